"""A ctypes binding compared with the Rust export it binds.

Knowledge only: how the `argtypes`, the `restype` (or its absence) and the
`_fields_` of the structures they name disagree with the Rust function and
its `#[repr(C)]` structs, each side in its own spelling. XL107 decides how
to say it.
"""

from __future__ import annotations

from msgspec import Struct

from interop_lint.analyzer.contract import repr_c_struct, rust_types
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.python.facts import (
    CtypesBinding,
    CtypesKind,
    CtypesStructure,
    CtypesType,
)
from interop_lint.analyzer.rust.facts import RustExport, RustStruct
from interop_lint.analyzer.typesys.ctypes import (
    CtypesTypes,
    compare_binding,
    is_record,
    leaves,
    suggested,
    truncated_as_int,
)
from interop_lint.analyzer.typesys.ctypes_layout import explicit_padding_removed
from interop_lint.analyzer.typesys.layout import fields_in_c
from interop_lint.analyzer.typesys.model import Function, Int, Named, Pointer, Type, Verdict
from interop_lint.analyzer.typesys.rust import RustTypes


class LayoutMismatch(Struct, frozen=True):
    """A `Structure` whose `_fields_` differ from the Rust struct in the same place."""

    structure: CtypesStructure
    rust_path: str
    rust_struct: RustStruct
    detail: str  # "field 2 (`count`) is `c_uint32` here but `u64` in Rust"


class BindingDifference(Struct, frozen=True):
    """One way a binding disagrees with its export."""

    # "count", "parameter", "return", "no-restype" (pointer or wide value, no
    # restype), "owned-string" (`c_char_p` for memory that must be freed)
    part: str
    location: Location  # in the Python file
    python: str = ""  # the ctypes spelling (for "count": how many argtypes)
    rust: str = ""  # the Rust spelling (for "count": how many parameters)
    position: int = 0  # 1-based, for a parameter
    name: str = ""  # the Rust parameter's name
    layout: LayoutMismatch | None = None  # the types agree but the fields do not
    suggestion: str | None = None  # a ctypes type that would be right
    release: str | None = None  # "owned-string": the export that frees it
    # "no-restype": a float or a struct, which C `int` does not truncate but misreads
    misread: bool = False


class BindingContract:
    """Bindings of one Python file compared with the exports of one crate."""

    def __init__(self, index: ProjectIndex, path: str, crate: str | None) -> None:
        self._index = index
        self._crate = crate
        self._rust: RustTypes = rust_types(index, crate)
        self._ctypes = CtypesTypes(lambda name: index.python.named(path, name))
        # (Python class, Rust struct) -> how their fields differ, compared once
        self._layouts: dict[tuple[str, str], str | None] = {}

    def differences(
        self, binding: CtypesBinding, rust_path: str, export: RustExport, missing_restype: bool
    ) -> list[BindingDifference]:
        """How the binding disagrees with the export; `missing_restype`: whether a
        binding without `restype` is reported here (`PythonIndex.reports_missing_restype`)."""
        found: list[BindingDifference] = []
        for setting in binding.argtypes:
            if setting.types is not None:
                found += self._arguments(setting.types, setting.location, export)
        for restype in binding.restypes:
            found += self._returned(restype.type, restype.location, rust_path, export)
        if not binding.restypes and missing_restype:
            returned = self._rust.model(export.return_type)
            if truncated_as_int(returned):
                owned = self._owned(rust_path, export) is not None
                found.append(
                    BindingDifference(
                        "no-restype",
                        binding.first_access,
                        rust=export.return_type,
                        suggestion=suggested(returned, owned),
                        misread=not isinstance(returned, (Int, Pointer)),
                    )
                )
        return found

    def _arguments(
        self, types: tuple[CtypesType, ...], where: Location, export: RustExport
    ) -> list[BindingDifference]:
        if len(types) != len(export.params):
            return [BindingDifference("count", where, str(len(types)), str(len(export.params)))]
        found = []
        for position, (ctype, param) in enumerate(zip(types, export.params, strict=True), 1):
            verdict, layout = self._compare_argument(ctype, param.type)
            if verdict is Verdict.DIFFERENT or layout is not None:
                name = param.name.removeprefix("mut ")
                found.append(
                    BindingDifference(
                        "parameter", where, ctype.spell(), param.type, position, name, layout
                    )
                )
        return found

    def _returned(
        self, ctype: CtypesType, where: Location, rust_path: str, export: RustExport
    ) -> list[BindingDifference]:
        verdict, layout = self.compare(ctype, export.return_type)
        if verdict is Verdict.DIFFERENT or layout is not None:
            returned = self._rust.model(export.return_type)
            return [
                BindingDifference(
                    "return",
                    where,
                    ctype.spell(),
                    export.return_type,
                    layout=layout,
                    suggestion=suggested(returned, self._owned(rust_path, export) is not None),
                )
            ]
        kind = self._owned(rust_path, export) if _converts_to_bytes(ctype) else None
        if kind is None:
            return []
        return [
            BindingDifference(
                "owned-string",
                where,
                ctype.spell(),
                export.return_type,
                suggestion="c_void_p",
                release=self._release(kind),
            )
        ]

    # -- types and layouts -------------------------------------------------------------

    def _compare_argument(
        self, ctype: CtypesType, rust_spelling: str
    ) -> tuple[Verdict, LayoutMismatch | None]:
        """`compare` for an argument. ctypes passes an array it is given for `T * n` as
        the address of its first element, as C does: it is a `*const T` to Rust, or a
        pointer to the whole array (`&mut [T; n]`)."""
        found = self.compare(ctype, rust_spelling)
        if found[0] is not Verdict.DIFFERENT or ctype.kind is not CtypesKind.ARRAY:
            return found
        for pointee in (ctype.of, ctype):  # the first element, or the whole array
            decayed = CtypesType(CtypesKind.POINTER, of=pointee)
            verdict = self.compare(decayed, rust_spelling)
            if verdict[0] is not Verdict.DIFFERENT:
                return verdict
        return found

    def compare(
        self, ctype: CtypesType, rust_spelling: str
    ) -> tuple[Verdict, LayoutMismatch | None]:
        """The verdict for the two types, and the first `_fields_` mismatch of a
        structure they hold or point to when the types themselves agree."""
        python, rust = self._ctypes.model(ctype), self._rust.model(rust_spelling)
        verdict = compare_binding(python, rust)
        if verdict is Verdict.DIFFERENT:
            return verdict, None
        return verdict, self._layout(python, rust)

    def _layout(self, python: Type, rust: Type) -> LayoutMismatch | None:
        """The first structure the two agreeing types hold or point to, directly or as
        a parameter or result of a callback (`CFUNCTYPE(None, POINTER(Record))` for an
        `extern "C" fn(*const Record)`), whose `_fields_` differ from the Rust struct."""
        pending = [(python, rust)]
        while pending:
            python_leaf, rust_leaf = leaves(*pending.pop(0))
            if isinstance(python_leaf, Function) and isinstance(rust_leaf, Function):
                params = zip(python_leaf.params or (), rust_leaf.params or (), strict=False)
                pending += [*params, (python_leaf.returns, rust_leaf.returns)]
                continue
            if not (is_record(python_leaf) and is_record(rust_leaf)):
                continue
            assert isinstance(python_leaf, Named) and isinstance(rust_leaf, Named)
            named = CtypesType(CtypesKind.NAMED, min(python_leaf.names))
            structure = self._ctypes.structure(named)
            rust_struct = repr_c_struct(self._index, self._crate, tuple(sorted(rust_leaf.names)))
            if structure is None or rust_struct is None:
                continue
            pair = (structure.name, rust_struct[1].name)
            if pair not in self._layouts:
                self._layouts[pair] = None  # while it is compared: a struct that points to itself
                self._layouts[pair] = self._fields_difference(structure, rust_struct[1])
            detail = self._layouts[pair]
            if detail is not None:
                return LayoutMismatch(structure, rust_struct[0], rust_struct[1], detail)
        return None

    def _fields_difference(self, structure: CtypesStructure, rust_struct: RustStruct) -> str | None:
        fields = structure.fields
        if fields is None or structure.inexact or structure.is_union:
            return None  # no literal field list, or a layout the list alone does not give
        if set(rust_struct.repr) - {"C"}:
            return None  # packed or aligned: ctypes would need `_pack_` / padding to match
        rust_fields = fields_in_c(rust_struct)  # a `PhantomData` has no ctypes field
        if len(fields) != len(rust_fields):
            fields = explicit_padding_removed(fields)
        if len(fields) != len(rust_fields):
            return f"{len(structure.fields)} field(s) here, {len(rust_fields)} in Rust"
        for position, (field, rust_field) in enumerate(zip(fields, rust_fields, strict=True), 1):
            verdict, nested = self.compare(field.type, rust_field.type)
            if verdict is Verdict.DIFFERENT:
                return (
                    f"field {position} (`{field.name}`) is `{field.type.spell()}` here "
                    f"but `{rust_field.type}` in Rust"
                )
            if nested is not None:
                return f"field {position} (`{field.name}`): {nested.detail}"
        return None

    # -- ownership ------------------------------------------------------------------------

    def _owned(self, rust_path: str, export: RustExport) -> str | None:
        return self._index.rust.owned_return(self._crate, rust_path, export)

    def _release(self, kind: str) -> str | None:
        """The export of the crate that gives memory of this kind back to Rust."""
        rust = self._index.rust
        wanted = rust.canonical_kind(self._crate, kind).partition(":")[0]
        for _, export in rust.exports_in_crate(self._crate):
            for release in export.releases:
                if rust.canonical_kind(self._crate, release.kind).partition(":")[0] == wanted:
                    return export.symbol
        return None


def _converts_to_bytes(ctype: CtypesType) -> bool:
    """`c_char_p` itself (not a subclass) turns a returned pointer into `bytes`."""
    return ctype.kind is CtypesKind.SIMPLE and ctype.name == "c_char_p" and not ctype.subclass
