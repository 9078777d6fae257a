"""What a type written through names (typedefs, aliases, enums, wrappers) resolves to,
for messages: `Level` (`int32_t`) in C against `Level` (`u8`) in Rust.

`resolved_c` spells the model of a C type in C, `resolved_rust` that of a Rust
type in Rust (`rust.canonical`), each as a phrase for a message (in
backticks); "" when the spelling already says it (only primitives and
pointers to them) or when the model has no short spelling (a function, a
struct).
"""

from __future__ import annotations

import re

from interop_lint.analyzer.typesys import c as c_types
from interop_lint.analyzer.typesys import rust as rust_types
from interop_lint.analyzer.typesys.layout import C_ENUM_BITS
from interop_lint.analyzer.typesys.model import (
    POINTER_WIDTH,
    Array,
    Bool,
    FatPointer,
    Float,
    Function,
    Int,
    Named,
    Pointer,
    Type,
    Verdict,
    Void,
    compare,
)

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_C_WORDS = frozenset({"const", "volatile", "restrict", "signed", "unsigned", "long", "short"})
_RUST_WORDS = frozenset({"const", "mut", "std", "core", "libc", "ffi", "os", "raw"})


def resolved_c(spelled: str, model: Type) -> str:
    """The C spelling of what a C type resolves to, when its spelling names a typedef."""
    if all(w in c_types.PRIMITIVES or w in _C_WORDS for w in _WORD.findall(spelled)):
        return ""
    pointee = model.pointee if isinstance(model, Pointer) else None
    if isinstance(pointee, Named) and pointee.enum and pointee.bits == C_ENUM_BITS:
        return "a pointer to an `int`-sized enum"
    if isinstance(model, Named) and model.enum:
        return "an `int`-sized enum" if model.bits == C_ENUM_BITS else ""
    text = _in_c(model)
    return f"`{text}`" if text is not None and text != spelled else ""


def resolved_rust(spelled: str, model: Type) -> str:
    """The Rust spelling of what a Rust type resolves to, when it names an alias, an
    enum or a wrapper."""
    if isinstance(model, FatPointer):
        return f"a two-word pointer to a {model.pointee}"
    if all(w in rust_types.PRIMITIVES or w in _RUST_WORDS for w in _WORD.findall(spelled)):
        return ""
    pointee = model.pointee if isinstance(model, Pointer) else None
    if isinstance(pointee, Named) and pointee.integer is not None:
        return f"a pointer to `{rust_types.canonical(pointee.integer)}`"
    if isinstance(model, Named):
        return "a `c_int`-sized enum" if model.enum and model.bits == C_ENUM_BITS else ""
    text = rust_types.canonical(model) if _plain(model) else None
    return f"`{text}`" if text is not None and text != spelled else ""


def _plain(t: Type) -> bool:
    """Whether a type is built of primitives only (no names to spell)."""
    while isinstance(t, (Pointer, Array)):
        t = t.pointee if isinstance(t, Pointer) else t.element
    return isinstance(t, (Int, Float, Bool, Void))


def _in_c(t: Type) -> str | None:
    if isinstance(t, Pointer):
        inner = _in_c(t.pointee)
        if inner is None:
            return None
        if isinstance(t.pointee, Pointer):
            return f"{inner}{'const ' if t.const else ''}*"
        return f"{'const ' if t.const else ''}{inner} *"
    if isinstance(t, Array):
        element = _in_c(t.element)
        return None if element is None or t.length is None else f"{element}[{t.length}]"
    if isinstance(t, Int):
        if t.signed is None:
            return "char"
        if t.bits == POINTER_WIDTH:
            return "size_t" if not t.signed else "ptrdiff_t"
        return f"{'' if t.signed else 'u'}int{t.bits}_t"
    if isinstance(t, Float):
        return "float" if t.bits == 32 else "double"
    if isinstance(t, Bool):
        return "bool"
    if isinstance(t, Void):
        return "void"
    return None


def callback_difference(c: Type, rust: Type) -> str:
    """Where two function pointer types differ, in words: a typedef'd callback's name
    on both sides says nothing ("the callback returns `bool` here but `i32`")."""
    c_function, rust_function = _function_of(c), _function_of(rust)
    if c_function is None or rust_function is None:
        return ""
    if compare(c_function.returns, rust_function.returns) is Verdict.DIFFERENT:
        return "the callback returns " + _both(c_function.returns, rust_function.returns)
    c_params, rust_params = c_function.params, rust_function.params
    if c_params is None or rust_params is None:
        return ""
    if len(c_params) != len(rust_params):
        return f"the callback takes {len(c_params)} parameter(s) here but {len(rust_params)}"
    for position, (a, b) in enumerate(zip(c_params, rust_params, strict=True), start=1):
        if compare(a, b) is Verdict.DIFFERENT:
            return f"the callback's parameter {position} is " + _both(a, b)
    return ""


def _function_of(t: Type) -> Function | None:
    while isinstance(t, Pointer):
        t = t.pointee
    return t if isinstance(t, Function) else None


def _both(c: Type, rust: Type) -> str:
    c_text, rust_text = _in_c(c), rust_types.canonical(rust)
    return f"`{c_text or '?'}` here but `{rust_text or '?'}`"
