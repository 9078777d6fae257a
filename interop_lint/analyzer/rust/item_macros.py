"""Functions written in an item-level macro invocation, and the macros that export them.

FFI crates stamp out their C API with a macro defined in one file and invoked
in the others (hyper's `ffi_fn!`, regex-capi's `ffi_fn!`):

    // macros.rs
    macro_rules! ffi_fn {
        ($(#[$doc:meta])* fn $name:ident($($arg:ident: $t:ty),*) -> $ret:ty $body:block) => {
            $(#[$doc])* #[no_mangle] pub extern "C" fn $name($($arg: $t),*) -> $ret { .. $body .. }
        };
    }
    // body.rs
    ffi_fn! {
        /// Create a new body.
        fn hyper_body_new() -> *mut hyper_body { .. } ?= ptr::null_mut()
    }

The invocation holds a whole function, signature and body, as the export
will have them. So a Rust file is parsed with the wrapper of each such
invocation blanked out, byte for byte (`ffi_fn! {`, the closing `}` and what
follows the function's body, `?= ptr::null_mut()`): the function becomes an
item of the file like any other, at its place, and every rule sees its body.
Which macro wrapped it is kept (`SourceFile.item_macros`). Whether that macro
exports it is the crate's knowledge, not the file's: each file records the
macros it defines that write an invocation's `fn NAME` as `#[no_mangle]
extern "C" fn NAME` (`ExportMacro`), and the index pairs the two across the
crate (RustIndex.exports_in_file), so that editing the macro's file changes
what the invoking file exports without its own facts changing.

`cfg_if! { if #[cfg(unix)] { items } else { items } }` (the cfg-if crate) is
unwrapped the same way, every branch at once: its items are plain items of the
file, exports by their own `#[no_mangle]` and helpers of the exports around
them, compiled on some platform each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from tree_sitter import Node, Tree

from interop_lint.analyzer.parsing import Grammar, error_positions, parse, text
from interop_lint.analyzer.rust.body import bodies_of
from interop_lint.analyzer.rust.facts import ExportMacro, RustFileFacts
from interop_lint.analyzer.rust.invocation_wrappers import CFG_IF, macro_name, wrapper_spans
from interop_lint.analyzer.rust.macros import STANDARD
from interop_lint.analyzer.rust.panics import PANIC_MACROS
from interop_lint.analyzer.rust.syntax import ExportedFunction, function_abi

if TYPE_CHECKING:
    from interop_lint.analyzer.rust.index import RustIndex
    from interop_lint.analyzer.source import SourceFile

# `fn $name:ident` in a rule's matcher: the invocation names the function.
_NAMED_FN = re.compile(r"\bfn\s+\$([A-Za-z_]\w*)\s*:\s*ident\b")
# `) -> Binary $body:block` in a matcher: a word where the return type is written.
_RETURN_WORD = re.compile(r"\)\s*->\s*([A-Za-z_]\w*)\s*\$")
# Attributes, and the invocation's forwarded ones (`$(#[$attr])*`), in any order.
_ATTRIBUTES = r"(?:(?:#\s*\[[^\]]*\]|\$\s*\(\s*#\s*\[[^\]]*\]\s*\)\s*[*+?])\s*)*"
# `-> Result<$rv:ty>` in a matcher: the export returns what `$rv` binds.
_WRAPPED_RETURN = re.compile(
    r"->\s*(?:[A-Za-z_]\w*\s*::\s*)*([A-Za-z_]\w*)\s*<\s*\$(\w+)\s*:\s*ty\s*>"
)
# `#[no_mangle] pub unsafe extern "C" fn $name` in a transcriber; `pub $($unsafe)?
# extern` forwards an optional `unsafe` of the invocation's (citeproc-rs's `ffi_fn!`).
_EXPORTED_FN = re.compile(
    r"#\s*\[\s*(?:unsafe\s*\(\s*)?no_mangle\s*\)?\s*\]\s*"
    + _ATTRIBUTES
    + r"(?P<pub>pub(?:\s*\([^)]*\))?\s+)?(?P<unsafe>unsafe\s+)?(?:\$\s*\(\s*\$\w+\s*\)\s*\?\s*)?"
    r"extern\s*(?:\"(?P<abi>[^\"]*)\"\s*)?fn\s+\$(?P<name>[A-Za-z_]\w*)\b"
)


# `$it:item` in a matcher, and `#[no_mangle] $it` in a transcriber.
_ITEM_FRAGMENT = re.compile(r"\$([A-Za-z_]\w*)\s*:\s*item\b")
_EXPORTED_ITEM = re.compile(
    r"#\s*\[\s*(?:unsafe\s*\(\s*)?no_mangle\s*\)?\s*\]\s*"
    + _ATTRIBUTES
    + r"\$(?P<name>[A-Za-z_]\w*)\b"
)


def export_macro(definition: Node) -> ExportMacro | None:
    """What a `macro_rules!` definition makes of the functions its invocations write,
    when one of its rules takes `fn $name:ident` and writes `#[no_mangle] extern "C"
    fn $name`; None otherwise (a rule that only hands on to another is no matter)."""
    name = definition.child_by_field_name("name")
    if name is None:
        return None
    for rule in definition.named_children:
        left, right = rule.child_by_field_name("left"), rule.child_by_field_name("right")
        if rule.type != "macro_rule" or left is None or right is None:
            continue
        items = set(_ITEM_FRAGMENT.findall(text(left)))
        if any(f.group("name") in items for f in _EXPORTED_ITEM.finditer(text(right))):
            return ExportMacro(text(name), "", False, False, items=True)
        named = set(_NAMED_FN.findall(text(left)))
        for found in _EXPORTED_FN.finditer(text(right)) if named else ():
            if found.group("name") in named:
                abi = found.group("abi")
                return ExportMacro(
                    text(name),
                    "C" if abi is None else abi,
                    found.group("unsafe") is not None,
                    found.group("pub") is not None,
                    _return_wrapper(text(left), text(right), found.end()),
                    return_words=_return_words(definition),
                )
    return None


def _return_words(definition: Node) -> tuple[str, ...]:
    """The words a rule takes literally where the function's return type is written
    (rpm-sequoia's `fn $f:ident(..) -> Binary $body:block`, handed on as `-> c_int`)."""
    words: set[str] = set()
    for rule in definition.named_children:
        left = rule.child_by_field_name("left") if rule.type == "macro_rule" else None
        if left is not None and _NAMED_FN.search(text(left)):
            words.update(_RETURN_WORD.findall(text(left)))
    return tuple(sorted(words))


def _return_wrapper(matcher: str, transcriber: str, signature_at: int) -> str:
    """The wrapper the matcher takes the return type in and the transcriber drops
    (`-> Result<$rv:ty>` written `-> $rv`), or ""."""
    wrapped = _WRAPPED_RETURN.search(matcher)
    if wrapped is None:
        return ""
    body = transcriber.find("{", signature_at)
    written = transcriber[signature_at : body if body >= 0 else len(transcriber)]
    return wrapped.group(1) if re.search(r"->\s*\$" + wrapped.group(2) + r"\b", written) else ""


class _Wrapped(NamedTuple):
    """An item-level invocation holding whole functions, and what to blank of it."""

    start: int
    end: int
    macro: str
    blanks: list[tuple[int, int]]


def unwrap_item_macros(tree: Tree, data: bytes) -> tuple[Tree, dict[int, str]]:
    """The file's tree with the wrapper of every item-level invocation that holds whole
    functions blanked out, and the macro each such function was written in, by the
    function's start byte. An invocation whose unwrapping makes a syntax error (what
    it held was not a function after all) stays as it was; the tree as it was, and
    no functions, when none is left."""
    root = tree.root_node
    wrapped = [
        _Wrapped(invocation.start_byte, invocation.end_byte, macro_name(invocation), blanks)
        for invocation in items_of_kind(root, "macro_invocation")
        if (blanks := wrapper_spans(invocation)) is not None
    ]
    for _ in range(2):  # the second time without those the first one's errors are in
        if not wrapped:
            return tree, {}
        unwrapped_data = bytearray(data)
        for invocation in wrapped:
            for start, end in invocation.blanks:
                unwrapped_data[start:end] = _blank(unwrapped_data[start:end])
        unwrapped = parse(Grammar.RUST, bytes(unwrapped_data))
        if root.has_error or not unwrapped.root_node.has_error:
            break
        errors = error_positions(unwrapped.root_node)
        wrapped = [w for w in wrapped if not any(w.start <= at < w.end for at in errors)]
    else:
        return tree, {}
    written: dict[int, str] = {}
    for item in _items(unwrapped.root_node):
        if item.type != "function_item":
            continue
        at = item.start_byte
        macro = next((w.macro for w in wrapped if w.start <= at < w.end), None)
        if macro is not None and macro != CFG_IF:
            written[at] = macro
    return unwrapped, written


def item_macro(source: SourceFile, function: Node) -> str | None:
    """The macro whose invocation a function item of the file was written in, or None."""
    found = source.item_macros
    return found.get(function.start_byte) if found else None


def _blank(data: bytearray) -> bytes:
    """Spaces for every byte but line breaks, so that lines stay where they were."""
    return bytes(c if c in (0x0A, 0x0D) else 0x20 for c in data)


def _items(root: Node) -> Iterator[Node]:
    """Items of the file and of its inline modules."""
    stack = [root]
    while stack:
        for child in stack.pop().named_children:
            yield child
            if child.type == "mod_item":
                body = child.child_by_field_name("body")
                if body is not None:
                    stack.append(body)


def items_of_kind(root: Node, kind: str) -> Iterator[Node]:
    """Items of a kind in the file and its inline modules (an invocation in item
    position may be parsed as an expression statement)."""
    stack = [root]
    while stack:
        for child in stack.pop().named_children:
            if child.type == "expression_statement" and child.named_child_count == 1:
                child = child.named_children[0]
            if child.type == kind:
                yield child
            elif child.type == "mod_item" and (body := child.child_by_field_name("body")):
                stack.append(body)


def exported_functions(source: SourceFile, rust: RustIndex) -> list[ExportedFunction]:
    """The exported functions of a file: written out (`RustBodies.exports`), then those
    the crate's macros make of the functions the file writes in their invocations."""
    bodies = bodies_of(source)
    written = source.item_macros
    if not written:
        return bodies.exports
    found = list(bodies.exports)
    written_out = {export.node for export in found}  # `#[no_mangle]` of its own too
    crate = rust.crate_of(source.path)
    for item in bodies.scan.items:
        macro = written.get(item.start_byte) if item.type == "function_item" else None
        made = rust.export_macro(crate, macro) if macro is not None else None
        if made is None:
            continue
        abi = function_abi(item)
        if made.items and abi not in (None, "Rust") and item not in written_out:
            found.append(ExportedFunction(item, text(item.child_by_field_name("name")), abi))
        elif not made.items and abi is None:
            name = text(item.child_by_field_name("name"))
            found.append(
                ExportedFunction(
                    item,
                    name,
                    made.abi,
                    made.return_wrapper,
                    return_unknown=_returns_word(item, made),
                    made_pub=made.is_pub,
                    made_unsafe=made.is_unsafe,
                )
            )
    return found


def _returns_word(function: Node, macro: ExportMacro) -> bool:
    returns = function.child_by_field_name("return_type")
    return returns is not None and text(returns) in macro.return_words


# `name!(`, `name! [`, `name!{`: an invocation (not `!=`).
_INVOCATION = re.compile(rb"\b([A-Za-z_]\w*)\s*!\s*[(\[{]")


def invoked_macros(source: SourceFile, definitions: list[Node]) -> tuple[str, ...]:
    """The macros a file invokes, or names as if invoking them, outside of the
    invocations unwrapped into items and of its own `macro_rules!` definitions:
    in another macro's tokens, in comments too (a crate that so invokes its export
    macro exports what no fact names: rust.generated)."""
    root = source.root
    data = bytearray(root.text or b"")
    for definition in definitions:
        start, end = definition.start_byte - root.start_byte, definition.end_byte - root.start_byte
        data[start:end] = bytes(end - start)
    names = {found.decode() for found in _INVOCATION.findall(data)}
    return tuple(sorted(names - STANDARD - PANIC_MACROS))


def may_export(facts: RustFileFacts | None) -> bool:
    """Whether a file may have exports, written out or made by a macro of its crate."""
    return facts is not None and bool(facts.exports or facts.macro_functions)
