"""The two sides of the contract compared: signatures and struct layouts.

Knowledge only: what differs between a C declaration and a Rust export, or
a C struct and a `#[repr(C)]` Rust struct, with each side's own spelling.
The XL rules decide what to report and how to say it.

`contract_types(index, unit, crate)` gives both sides' type models for a C
unit bound to a crate. C names are read the way cbindgen writes the
crate's names (`typesys.cbindgen`, with the crate's `cbindgen.toml` when it
has one): `struct polar_Query` is Rust's `Query` under `prefix = "polar_"`,
`CResult_c_void` is `CResult<c_void>`. Under a prefix or renames, a name the
unit declares in the crate's spelling (`typedef struct polar_Polar ..`) is a
type of the Rust side even when the crate only imports it (`pub use
core::Polar;`): cbindgen wrote it for a Rust type, and names two such types
differently only when they are different.
"""

from __future__ import annotations

import re

from msgspec import Struct

from interop_lint.analyzer.clang.facts import CFunction, CStruct
from interop_lint.analyzer.clang.syntax import spell
from interop_lint.analyzer.index import ProjectIndex, join_path, parent_directories
from interop_lint.analyzer.manifests.cbindgen import CbindgenConfig
from interop_lint.analyzer.rust.facts import RustExport, RustStruct
from interop_lint.analyzer.typesys.c import CTypes
from interop_lint.analyzer.typesys.cbindgen import CNames
from interop_lint.analyzer.typesys.layout import fields_in_c
from interop_lint.analyzer.typesys.model import (
    Named,
    Pointer,
    Type,
    Verdict,
    compare,
    outer_constness,
    two_words_for_one,
)
from interop_lint.analyzer.typesys.rust import RustTypes
from interop_lint.analyzer.typesys.spelling import callback_difference, resolved_c, resolved_rust

Crate = str | None


def rust_types(
    index: ProjectIndex, crate: Crate, known_also: frozenset[str] = frozenset()
) -> RustTypes:
    """Rust types as the crate spells them (its aliases, renames, structs and enums)."""

    def lookup(name: str):  # type: ignore[no-untyped-def]
        found = index.rust.type_named(crate, name)
        return found[1] if found is not None else None

    return RustTypes(lambda name: index.rust.resolve_name(crate, name), lookup, known_also)


def cbindgen_config(index: ProjectIndex, crate: Crate) -> CbindgenConfig | None:
    """The crate's `cbindgen.toml`: next to its Cargo.toml, else the nearest one above
    it (a workspace's, at its root, that the build runs cbindgen with)."""
    if crate is None:
        return None
    for directory in parent_directories(crate):
        facts = index.files.get(join_path(directory, "cbindgen.toml"))
        if facts is not None and facts.cbindgen is not None:
            return facts.cbindgen
    return None


def c_names(index: ProjectIndex, crate: Crate) -> CNames:
    """How the crate's type names are spelled in C (one per crate and run)."""
    known = index.c.contract_cache
    found = known.get(("names", crate))
    if found is None:
        structs = [
            item
            for _, rust in index.rust.files_by_crate.get(crate, [])
            for item in (*rust.structs, *rust.enums)
        ]
        generics = {  # cbindgen mangles instances of these (a tagged enum's too)
            s.name: len(s.generics)
            for s in structs
            if s.generics
            and ("C" in s.repr if isinstance(s, RustStruct) else s.has_fields and bool(s.repr))
        }
        names = [s.name for s in structs]
        found = known[("names", crate)] = CNames(cbindgen_config(index, crate), names, generics)
    assert isinstance(found, CNames)
    return found


class ContractTypes(Struct, frozen=True):
    """Both sides' type models for one C unit bound to one crate."""

    c: CTypes
    rust: RustTypes
    names: CNames


def contract_types(index: ProjectIndex, unit: str, crate: Crate) -> ContractTypes:
    """The type models a unit's declarations are compared in against the crate's."""
    known = index.c.contract_cache
    found = known.get(("types", unit, crate))
    if found is None:
        names = c_names(index, crate)
        rust = rust_types(index, crate, _known_from_c(index, unit, names))

        def rust_named(c_name: str) -> list[Named]:
            models = (rust.model(spelling) for spelling in names.rust_spellings(c_name))
            return [m for m in models if isinstance(m, Named)]

        def wraps(c_name: str) -> bool:
            return any(map(rust.wraps, names.rust_spellings(c_name)))

        c = CTypes(index.c.scope(unit), rust.knows, rust_named, wraps)
        found = known[("types", unit, crate)] = ContractTypes(c, rust, names)
    assert isinstance(found, ContractTypes)
    return found


def _known_from_c(index: ProjectIndex, unit: str, names: CNames) -> frozenset[str]:
    """Types of the Rust side the crate's cbindgen configuration vouches for: those
    it includes, and, under a prefix or renames, those the unit names in its spelling."""
    config = names.config
    if config is None:
        return frozenset()
    found = set(config.include)
    if config.prefix or config.rename:
        for c_name in index.c.type_names(unit):
            rust = names.unprefixed(c_name)
            if rust is not None and rust != c_name:
                found.add(rust)
    return frozenset(found)


def repr_c_struct(
    index: ProjectIndex, crate: Crate, names: tuple[str, ...]
) -> tuple[str, RustStruct] | None:
    """The `#[repr(C)]` struct of the crate going by one of `names` (aliases resolved)."""
    for name in names:
        # the `#[repr(C)]` one of several of that name (an FFI mirror of an engine type)
        for path, item in index.rust.types_named(crate, index.rust.resolve_name(crate, name)):
            if isinstance(item, RustStruct) and "C" in item.repr:
                return path, item
    return None


class StructMatch(Struct, frozen=True):
    """The `#[repr(C)]` Rust struct a C struct mirrors."""

    rust_path: str
    struct: RustStruct
    rust: RustTypes  # its field types' model (an instance's parameters bound)
    spelled: str  # `Point`, or the instance: `CResult<c_char>`


def rust_struct_for(
    index: ProjectIndex, crate: Crate, names: tuple[str, ...], types: ContractTypes
) -> StructMatch | None:
    """The `#[repr(C)]` struct of the crate a C struct going by `names` mirrors: by a
    name (aliases resolved), else by the Rust name cbindgen spelled it from
    (`polar_Query`, an instance `CResult_c_char`)."""
    direct = repr_c_struct(index, crate, names)
    if direct is not None:
        return StructMatch(direct[0], direct[1], types.rust, direct[1].name)
    for name in names:
        for spelling in types.names.rust_spellings(name):
            model = types.rust.model(spelling)
            if not isinstance(model, Named):
                continue
            found = types.rust.struct_of(model)
            if found is None or "C" not in found[0].repr:
                continue
            declared = index.rust.type_named(crate, found[0].name)
            if declared is not None and declared[1] is found[0]:
                return StructMatch(declared[0], found[0], found[1], min(model.names))
    return None


def c_types(index: ProjectIndex, unit: str, rust: RustTypes) -> CTypes:
    """C types as a unit sees them, named types checked against the Rust side's."""
    return CTypes(index.c.scope(unit), rust.knows)


class Difference(Struct, frozen=True):
    """One way a C declaration and a Rust export disagree."""

    part: str  # "count", "variadic", "parameter", "return"
    # DIFFERENT; CONSTNESS when only constness differs, VALUES for `bool` as a byte
    verdict: Verdict
    c_spelling: str = ""
    rust_spelling: str = ""
    position: int = 0  # 1-based, for a parameter
    name: str = ""  # the parameter's name (C's, else Rust's)
    c_resolved: str = ""  # what a C typedef resolves to (`typesys.spelling`), or ""
    rust_resolved: str = ""  # what a Rust alias, enum or wrapper resolves to, or ""
    detail: str = ""  # for two callbacks, where they differ (`spelling.callback_difference`)


REPORTED = (Verdict.DIFFERENT, Verdict.CONSTNESS, Verdict.VALUES)


def shown(spelled: str, resolved: str) -> str:
    """A type in a message: its spelling, and what it resolves to when that differs."""
    return f"`{spelled}` ({resolved})" if resolved else f"`{spelled}`"


def _harmless_constness(c: Type, rust: Type, returned: bool, c_types: CTypes) -> bool:
    """A constness difference of the outermost pointer in the direction that cannot
    break anything. A parameter C declares `char *` that Rust takes as `*const c_char`:
    C callers may pass anything, Rust only reads. A result C declares `const char *`
    that Rust returns as `*mut c_char`: C callers only read; nor can they write through
    a result C declares `gifski *` for a `*const GifskiHandle` when C only declares
    the struct. The other directions let one side write to memory the other considers
    read-only; a difference deeper down (`char **` against `*const *const c_char`) is
    never harmless."""
    outer = outer_constness(c, rust)
    if outer is None:
        return False
    c_const, rust_const = outer
    if returned:
        return c_const or (isinstance(c, Pointer) and c_types.is_opaque(c.pointee))
    return rust_const


def signature_differences(
    function: CFunction, c: CTypes, export: RustExport, rust: RustTypes
) -> list[Difference]:
    """How a C declaration disagrees with the Rust export (unknown types never count,
    nor a harmless constness difference: `_harmless_constness`)."""
    signature = function.type
    found: list[Difference] = []
    returns_c = spell(signature.of) if signature.of else "?"
    if signature.of is not None:
        c_model, rust_model = c.model(signature.of), rust.model(export.return_type)
        verdict, detail = compare(c_model, rust_model), callback_difference(c_model, rust_model)
        if verdict is Verdict.CONSTNESS and _harmless_constness(c_model, rust_model, True, c):
            verdict = Verdict.EQUAL
        if verdict is Verdict.UNKNOWN:
            verdict, detail = _renamed_struct(c_model, c, rust_model, rust) or (verdict, detail)
        if verdict in REPORTED:
            returns_rust = rust_spelled(export.return_type)
            found.append(
                Difference(
                    "return",
                    verdict,
                    returns_c,
                    returns_rust,
                    c_resolved=resolved_c(returns_c, c_model),
                    rust_resolved=resolved_rust(returns_rust, rust_model),
                    detail=detail,
                )
            )
    if signature.variadic:
        found.append(Difference("variadic", Verdict.DIFFERENT))
    if not signature.prototype:
        return found  # `f()`: C does not say what the parameters are
    if len(signature.params) != len(export.params):
        found.append(
            Difference(
                "count",
                Verdict.DIFFERENT,
                str(len(signature.params)),
                str(len(export.params)),
            )
        )
        return found
    for position, (param, rust_param) in enumerate(
        zip(function.params, export.params, strict=True), start=1
    ):
        c_model, rust_model = c.parameter(param.type), rust.model(rust_param.type)
        verdict, detail = compare(c_model, rust_model), callback_difference(c_model, rust_model)
        if verdict is Verdict.CONSTNESS and _harmless_constness(c_model, rust_model, False, c):
            continue
        if verdict is Verdict.UNKNOWN:
            verdict, detail = _renamed_struct(c_model, c, rust_model, rust) or (verdict, detail)
        if verdict in REPORTED:
            name = param.name or rust_param.name.removeprefix("mut ")
            c_text, rust_text = spell(param.type), rust_spelled(rust_param.type)
            found.append(
                Difference(
                    "parameter",
                    verdict,
                    c_text,
                    rust_text,
                    position,
                    name,
                    resolved_c(c_text, c_model),
                    resolved_rust(rust_text, rust_model),
                    detail,
                )
            )
    return found


def _renamed_struct(
    c_model: Type, c: CTypes, rust_model: Type, rust: RustTypes
) -> tuple[Verdict, str] | None:
    """For a struct the header names otherwise than the crate (by value, or through a
    pointer), both defined: how their layouts differ (a renamed `struct Array` whose
    `len` went from `size_t` to `usize`'s half). None when they agree, or cannot be
    compared (an opaque handle)."""
    if isinstance(c_model, Pointer) and isinstance(rust_model, Pointer):
        c_model, rust_model = c_model.pointee, rust_model.pointee
    if not (isinstance(c_model, Named) and isinstance(rust_model, Named)):
        return None
    if c_model.enum or rust_model.enum or c_model.names & rust_model.names:
        return None
    c_struct, rust_found = c.struct_of(c_model), rust.struct_of(rust_model)
    if c_struct is None or rust_found is None or "C" not in rust_found[0].repr:
        return None
    layout = layout_difference(c_struct, c, rust_found[0], rust_found[1])
    if layout is None:
        return None
    return layout.verdict, f"the structs differ: {layout.detail}"


class LayoutDifference(Struct, frozen=True):
    """How a C struct and a `#[repr(C)]` Rust struct disagree: the field count, the
    first field out of order, or every field whose type differs (in one detail)."""

    part: str  # "count", "order", "field"
    detail: str  # a phrase naming the fields and types concerned
    verdict: Verdict = Verdict.DIFFERENT


def rust_spelled(spelling: str) -> str:
    """A Rust type as a message shows it: the places of erased lifetimes left out
    (`Fd<>` is `Fd`, `Pair<, T>` is `Pair<T>`)."""
    return _ERASED.sub("<", spelling).replace("<>", "")


_ERASED = re.compile(r"<(?:,\s*)+")


def _field_name(name: str) -> str:
    return name.removeprefix("r#")


def layout_difference(
    struct: CStruct, c: CTypes, rust_struct: RustStruct, rust: RustTypes
) -> LayoutDifference | None:
    """How the two layouts differ (field count, order, the fields' types), or None."""
    c_fields, rust_fields = struct.fields, fields_in_c(rust_struct)
    if len(c_fields) != len(rust_fields):
        return LayoutDifference("count", f"{len(c_fields)} fields here, {len(rust_fields)} in Rust")
    c_names = [f.name for f in c_fields]
    rust_names = [_field_name(f.name) for f in rust_fields]
    if c_names != rust_names and sorted(c_names) == sorted(rust_names):
        position, (here, there) = next(
            (i, pair)
            for i, pair in enumerate(zip(c_names, rust_names, strict=True), start=1)
            if pair[0] != pair[1]
        )
        return LayoutDifference("order", f"field {position} is `{here}` here but `{there}` in Rust")
    differing: list[tuple[Verdict, str]] = []
    for position, (c_field, rust_field) in enumerate(
        zip(c_fields, rust_fields, strict=True), start=1
    ):
        c_model, rust_model = c.model(c_field.type), rust.model(rust_field.type)
        verdict = compare(c_model, rust_model)
        if two_words_for_one(c_model, rust_model):
            verdict = Verdict.DIFFERENT
        if verdict not in REPORTED:
            continue
        c_text, rust_text = spell(c_field.type), rust_spelled(rust_field.type)
        detail = (
            f"field {position} (`{c_field.name}`) is "
            f"{shown(c_text, resolved_c(c_text, c_model))} here but "
            f"{shown(rust_text, resolved_rust(rust_text, rust_model))} in Rust"
            f"{detail_note(verdict)}"
        )
        differing.append((verdict, detail))
    if not differing:
        return None
    verdicts = [verdict for verdict, _ in differing]
    worst = Verdict.DIFFERENT if Verdict.DIFFERENT in verdicts else verdicts[0]
    return LayoutDifference("field", "; ".join(detail for _, detail in differing), worst)


def detail_note(verdict: Verdict) -> str:
    """What a warning-level difference is, after the types it concerns."""
    if verdict is Verdict.CONSTNESS:
        return ": only the constness differs"
    if verdict is Verdict.VALUES:
        return ": a byte where Rust has `bool`, which must be 0 or 1 (same size and passing)"
    return ""
