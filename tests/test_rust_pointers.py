"""RS102/RS103's questions: pointer parameters, uses that need them valid, null checks."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.rust.nullness import checked_before
from interop_lint.analyzer.rust.pointers import pointer_parameters, pointer_uses
from interop_lint.analyzer.rust.types import TypeNames
from tests.rust_helpers import bodies, project_index

PROLOGUE = "type Handle = *mut Engine;\n"


def _unchecked(body: str, parameters: str = "p: *const u8, q: *mut u8") -> list[str]:
    """The uses in `body` that no null check protects, as written."""
    code = f"{PROLOGUE}unsafe fn f({parameters}) -> u8 {{\n{body}\n}}\n"
    found = bodies(code)
    function = found.file.root.named_children[1]
    names = TypeNames(project_index({"src/lib.rs": code}).rust, "")
    params = {p.name for p in pointer_parameters(function, names.is_raw_pointer)}
    return [
        use.what
        for use in pointer_uses(found, function, params)
        if not any(checked_before(use.at, n, found) for n in {use.name, use.local})
    ]


@pytest.mark.parametrize(
    "body",
    [
        "if p.is_null() { return 0; }\n*p",
        "if !p.is_null() { *p } else { 0 }",
        "if p.is_null() { 0 } else { *p }",
        "if let Some(v) = p.as_ref() { *p + v } else { 0 }",
        "match NonNull::new(q) { Some(_) => *q, None => 0 }",
        "let Some(v) = p.as_ref() else { return 0 };\n*p + v",
        "let v = p.as_ref().ok_or(())?;\n*p",
        "let v = match unsafe { p.as_ref() } { Some(v) => v, None => return 0 };\n*p",
        "if p == std::ptr::null() { return 0; }\n*p",
        "if std::ptr::null_mut() != q { *q } else { 0 }",
        "if p.is_null() || q.is_null() { return 0; }\n*p + *q",
        "!p.is_null() && *p > 0;\n0",
        "assert!(!p.is_null());\n*p",
        'if p.is_null() { panic!("null") }\n*p',
        'if p.is_null() { ffi_bail!("null") }\n*p',
        "while !p.is_null() { return *p; }\n0",
        "ffi_try!{ if p.is_null() { return 0; } *p }",
        "if p.is_null() { return 0; }\nffi_try!{ *p }",
        "check_not_null!(p);\n*p",
        "validate(p)?;\n*p",
        "let p = NonNull::new(p as *mut u8)?;\n*p.as_ptr()",
        "let r = p.cast::<u16>();\nif r.is_null() { return 0; }\n*r as u8",
        # `(NULL, 0)` allowed: the length the null check is under guards the use.
        "if p.is_null() && n > 0 { return 0; }\nif n > 0 { *p } else { 0 }",
        "if n != 0 && p.is_null() { return 0; }\nif 0 < n { *p } else { 0 }",
        "if p.is_null() && n > 0 { return 0; }\nif n == 0 { 0 } else { *p }",
        "if p.is_null() && n >= 1 { return 0; }\nif !(n == 0) { *p } else { 0 }",
        "if p.is_null() && n > 0 { return 0; }\nif n == 0 { return 0; }\n*p",
        "if p.is_null() && !done { return 0; }\nif !done && n > 1 { *p } else { 0 }",
        # A result that exists only when the pointer was not null.
        "let r = if p.is_null() { Err(1) } else { Ok(2) };\nmatch r { Ok(_) => *p, Err(_) => 0 }",
        "let r = if !p.is_null() { Some(1) } else { None };\nif let Some(_) = r { *p } else { 0 }",
        # ... and loops that run only when the length is not 0.
        "if p.is_null() && n > 0 { return 0; }\nlet mut s = 0;\n"
        "for i in 0..n { s += *p.add(i); }\ns",
        "if n > 0 && p.is_null() { return 0; }\nlet m = n as usize;\n"
        "for i in 0..m as usize { return *p.add(i); }\n0",
        "if p.is_null() && n != 0 { return 0; }\nlet mut i = 0;\nwhile i < n { i += 1; }\n"
        "while i < n { return *p; }\n0",
        "if q.is_null() || p.is_null() && n > 0 { return 0; }\n"
        "let out = std::slice::from_raw_parts_mut(q, n);\n"
        "for (i, o) in out.iter_mut().enumerate() { *o = *p.add(i); }\n0",
    ],
)
def test_checked_uses(body: str) -> None:
    assert _unchecked(body) == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("*p", ["*p"]),
        ("let r = &*p;\n*r", ["*p"]),
        ("(*q).max(1)", ["*q"]),
        ("*p.add(1)", ["*p.add(1)"]),
        ("CStr::from_ptr(p.cast()).to_bytes()[0]", ["CStr::from_ptr(p.cast())"]),
        ("std::slice::from_raw_parts(p, 4)[0]", ["std::slice::from_raw_parts(p, 4)"]),
        ("ptr::write(q, 1);\n0", ["ptr::write(q, 1)"]),
        ("p.read()", ["p.read()"]),
        ("if q.is_null() { return 0; }\n*p", ["*p"]),
        ('if p.is_null() { eprintln!("null"); }\n*p', ["*p"]),
        ("let v = *p;\nif p.is_null() { return 0; }\nv", ["*p"]),
        ("if p.is_null() && q.is_null() { return 0; }\n*p", ["*p"]),
        ("let r = p.cast::<u16>();\n*r as u8", ["*r"]),
        ("ffi_try!{ *p }", ["*p"]),
        ("debug_assert!(!p.is_null());\n*p", ["*p"]),
        ("if p.is_null() && n > 0 { return 0; }\n*p", ["*p"]),
        ("if p.is_null() && n > 0 { return 0; }\nif m > 0 { *p } else { 0 }", ["*p"]),
        ("if p.is_null() && n > 0 { return 0; }\nif n == 0 { *p } else { 0 }", ["*p"]),
        ("if n > 0 { return 0; }\nif p.is_null() && n > 0 { return 0; }\n*p", ["*p"]),
        ("if p.is_null() && n > 0 { 0 } else { 1 };\nif n > 0 { *p } else { 0 }", ["*p"]),
        ("if p.is_null() && n > 0 { return 0; }\nfor i in 0..=n { return *p; }\n0", ["*p"]),
        (
            "let r = if p.is_null() { Ok(1) } else { Err(2) };\n"
            "match r { Ok(_) => *p, Err(_) => 0 }",
            ["*p"],
        ),
        (
            "let r = if p.is_null() { Err(1) } else { Ok(2) };\n"
            "match r { Ok(_) => 0, Err(_) => *p }",
            ["*p"],
        ),
        (
            "let r = if n > 0 { Err(1) } else { Ok(2) };\nmatch r { Ok(_) => *p, Err(_) => 0 }",
            ["*p"],
        ),
        ("if p.is_null() && n > 0 { return 0; }\nfor i in 0..m { return *p; }\n0", ["*p"]),
        ("if p.is_null() && n > 0 { return 0; }\nfor i in 1..n { return *p; }\n0", ["*p"]),
        ("if p.is_null() && i < n { return 0; }\nfor j in 0..n { return *p; }\n0", ["*p"]),
        (
            "if q.is_null() || p.is_null() && n > 0 { return 0; }\n"
            "let out = std::slice::from_raw_parts_mut(q, 4);\n"
            "for o in out.iter_mut() { *o = *p; }\n0",
            ["*p"],
        ),
    ],
)
def test_unchecked_uses(body: str, expected: list[str]) -> None:
    assert _unchecked(body) == expected


def test_aliases_of_pointers_are_pointer_parameters() -> None:
    assert _unchecked("Box::from_raw(h);\n0", "h: Handle, n: usize, r: &u8") == ["Box::from_raw(h)"]


def test_a_new_binding_of_the_name_is_not_the_parameter() -> None:
    assert _unchecked("let p = &0u8;\n*p") == []
    assert _unchecked("[1u8].iter().map(|p| *p).sum()") == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # zlib-rs's `uncompress`: one local holds `q`, then `p`; each use is its own.
        ("let data = q;\nlet a = *data;\nlet data = p;\na + *data", ["*data", "*data"]),
        # `q` checked through the local does not check the `p` it holds later.
        (
            "let data = q;\nif data.is_null() { return 0; }\nlet a = *data;\n"
            "let data = p;\na + *data",
            ["*data"],
        ),
        # Each checked after its own binding.
        (
            "let data = q;\nif data.is_null() { return 0; }\nlet a = *data;\n"
            "let data = p;\nif data.is_null() { return 0; }\na + *data",
            [],
        ),
        # A cast of the same pointer keeps the check.
        ("if p.is_null() { return 0; }\nlet p = p.cast::<u8>();\n*p", []),
    ],
)
def test_a_local_bound_to_two_pointers_in_turn(body: str, expected: list[str]) -> None:
    assert _unchecked(body) == expected


def test_pointer_parameter_positions_count_self_but_not_comments_or_attributes() -> None:
    code = (
        "impl E {\n    fn f(&self, /* n */ a: u8, #[cfg(x)] p: *mut u8,\n"
        "        // q\n        q: Handle) {}\n}\n"
    )
    function = bodies(PROLOGUE + code).file.root.named_children[1].named_children[-1]
    function = function.named_children[0]
    names = TypeNames(project_index({"src/lib.rs": PROLOGUE + code}).rust, "")
    found = pointer_parameters(function, names.is_raw_pointer)
    assert [(p.name, p.position) for p in found] == [("p", 2), ("q", 3)]
