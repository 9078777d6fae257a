"""Macro bodies are re-parsed as Rust, and what is found there maps back to the file."""

from __future__ import annotations

from interop_lint.analyzer.rust.body import Located
from tests.rust_helpers import bodies, find

FFI_TRY = """fn run(x: Option<u8>) -> u8 {
    ffi_try! {
        let v = x.unwrap();
        v
    }
}
"""


def test_a_braced_macro_body_is_parsed_as_statements() -> None:
    found = bodies(FFI_TRY)
    call = find(found, "call_expression", "x.unwrap()")
    assert call.fragment.is_macro_body
    location = found.location(call)
    assert (location.line, location.column, location.end_line, location.end_column) == (
        3,
        17,
        3,
        27,
    )
    assert call.text == FFI_TRY.encode()[call.start : call.end].decode()


def test_arguments_and_arrays_parse_too() -> None:
    found = bodies('fn f(v: Vec<u8>) { assert_eq!(v[0], 1, "first"); let w = vec![v[1]; 2]; }')
    assert find(found, "index_expression", "v[0]").fragment.is_macro_body
    assert find(found, "index_expression", "v[1]").fragment.is_macro_body


def test_macro_in_macro_is_opened_and_mapped() -> None:
    code = "fn f(s: &str) {\n    outer!{ inner!(s.parse::<u8>().unwrap()) }\n}\n"
    found = bodies(code)
    call = find(found, "call_expression", "s.parse::<u8>().unwrap()")
    assert call.fragment.depth == 2
    assert found.location(call).line == 2
    assert code[call.start : call.end] == "s.parse::<u8>().unwrap()"


def test_unparsable_and_unevaluated_bodies_stay_closed() -> None:
    found = bodies('fn f() { stringify!(x.unwrap()); html!{ <div a=1> }; println!("{x}") }')
    opened = {m.host.text.decode().split("!")[0] for m in found.fragments if m.host is not None}
    assert opened == {"println"}


def test_macros_outside_functions_are_not_opened() -> None:
    found = bodies("thread_local! { static X: u8 = 0; }\nmacro_rules! m { () => { a.unwrap() } }\n")
    assert len(found.fragments) == 1


def test_ancestors_cross_from_a_macro_body_to_its_host() -> None:
    found = bodies(FFI_TRY)
    call = find(found, "call_expression", "x.unwrap()")
    kinds = [a.type for a in call.ancestors()]
    assert kinds[-4:] == ["macro_invocation", "block", "function_item", "source_file"]
    assert found.function_of(call) is not None


def test_columns_are_utf16_after_non_ascii_text() -> None:
    code = 'fn f(x: Option<u8>) { m!{ let s = "é😀"; x.unwrap() } }'
    found = bodies(code)
    method = find(found, "field_identifier", "unwrap")
    prefix = code[: code.index("unwrap")]
    assert method.start == len(prefix.encode())  # bytes: "é" is 2, "😀" is 4
    assert found.location(method).column == len(prefix.encode("utf-16-le")) // 2 + 1


def test_walk_enters_macro_bodies_but_not_token_trees() -> None:
    found = bodies(FFI_TRY)
    function = found.file.root.named_children[0]
    kinds = [x.type for x in found.walk(Located(function, found.file))]
    assert "token_tree" not in kinds
    assert "let_declaration" in kinds
