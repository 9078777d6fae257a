"""Exports written by the C-API macros of well-known FFI crates.

The macro is defined in a dependency, out of the project's sight, but what
its invocation exports is fixed by the crate's documentation. mozilla's
ffi-support writes one release export per invocation:

    define_string_destructor!(glean_str_free);        // CString::from_raw
    define_box_destructor!(Widget, widget_free);      // Box::<Widget>::from_raw

Without them every `CString::into_raw` of a crate built on ffi-support would
look never given back (RS105), and the header's declarations of those
symbols would look unexported.
"""

from __future__ import annotations

from tree_sitter import Node

from interop_lint.analyzer.parsing import text
from interop_lint.analyzer.rust.attributes import split_arguments
from interop_lint.analyzer.rust.generated import GeneratedExports
from interop_lint.analyzer.rust.item_macros import items_of_kind

# Macro -> (the argument naming the symbol, the family it gives back or None, the
# argument naming the type given back or None).
_DESTRUCTORS: dict[str, tuple[int, str | None, int | None]] = {
    "define_string_destructor": (0, "cstring", None),
    "define_box_destructor": (1, "box", 0),
    "define_bytebuffer_destructor": (0, None, None),  # ffi-support's own ByteBuffer
    "define_handle_map_deleter": (1, None, None),  # a handle, not an allocation
}
MARKER = b"define_"  # in every file that may invoke one


def dependency_exports(root: Node) -> GeneratedExports | None:
    """The exports the file's item-level invocations of those macros write; None when
    it has none. A macro the file defines under the same name is its own."""
    defined = {text(m.child_by_field_name("name")) for m in items_of_kind(root, "macro_definition")}
    symbols: list[str] = []
    kinds: list[str] = []
    for invocation in items_of_kind(root, "macro_invocation"):
        macro = invocation.child_by_field_name("macro")
        name = text(macro).rsplit("::", 1)[-1] if macro is not None else ""
        if name not in _DESTRUCTORS or name in defined:
            continue
        tokens = next((c for c in invocation.named_children if c.type == "token_tree"), None)
        given = split_arguments(text(tokens)[1:-1]) if tokens is not None else []
        symbol, family, typed = _DESTRUCTORS[name]
        if len(given) <= symbol or not given[symbol].isidentifier():
            continue
        symbols.append(given[symbol])
        if family is not None:
            written = given[typed].rsplit("::", 1)[-1] if typed is not None else ""
            kinds.append(f"{family}:{written}" if written.isidentifier() else family)
    if not symbols:
        return None
    return GeneratedExports(tuple(symbols), False, tuple(dict.fromkeys(kinds)))
