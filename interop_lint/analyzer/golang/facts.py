"""Facts of a Go file: its package, its use of cgo, and what other files ask of it.

Everything here is plain, picklable data. Several questions cross files of
one Go package: the declaration of a type used in a C call in another file,
the function a value is passed to, the `Close` method that deletes a
`cgo.Handle`. Each file therefore records its type declarations, package
variables, constants, functions and handle releases, and `GoPackage`
(analyzer/golang/package.py) puts the files of one directory together.
"""

from __future__ import annotations

from msgspec import Struct

from interop_lint.analyzer.cgo import CgoDirective
from interop_lint.analyzer.locations import Location

# What a C call argument is made from (CCallSite.argument_sources).
C_ALLOCATORS = ("C.CString", "C.CBytes", "C.malloc", "C.calloc")


class CCallSite(Struct, frozen=True):
    """A call `C.name(...)` in a file that imports "C"."""

    name: str  # `engine_new` in `C.engine_new(...)`
    location: Location  # of the whole call expression
    argument_count: int
    # Per argument: "C.CString", "C.CBytes", "C.malloc" or "C.calloc" when the
    # argument is such an allocation, directly, through conversions or through
    # a local variable; else None.
    argument_sources: tuple[str | None, ...] = ()


class TypeExpr(Struct, frozen=True):
    """A Go type expression as plain data.

    `kind` is one of the constants of `analyzer.golang.types.Kind`:
    `name` (a named or builtin type: `int`, `T`, `C.struct_x`, `time.Time`),
    `pointer`, `slice`, `array`, `map`, `chan`, `func`, `interface`,
    `struct` or `unknown`.
    """

    kind: str
    name: str = ""  # kind `name`: the name as written, qualified when it is (`pkg.T`)
    elem: TypeExpr | None = None  # pointee, element, map value, channel value
    fields: tuple[Field, ...] = ()  # kind `struct`
    length: int | None = None  # kind `array`, when the length is a known constant


class Field(Struct, frozen=True):
    name: str  # the field's name; an embedded field is named after its type
    type: TypeExpr
    embedded: bool = False


class GoTypeDecl(Struct, frozen=True):
    """`type Name T` or `type Name = T` at package level."""

    name: str
    type: TypeExpr
    alias: bool = False


class GoVarDecl(Struct, frozen=True):
    """A package-level variable, with its type when written or evident."""

    name: str
    type: TypeExpr | None = None
    non_empty: bool = False  # initialized with a non-empty slice (`[]byte{0}`)


class ParamFlow(Struct, frozen=True):
    """Where a function's parameter goes, as far as the function's own body shows."""

    frees: bool = False  # passed to `C.free` (directly, converted, deferred)
    escapes: bool = False  # returned, stored in a field/global/element, sent, captured
    passed_to: tuple[tuple[str, int], ...] = ()  # (callee as written, argument index)


class GoFuncDecl(Struct, frozen=True):
    """A package-level function or method."""

    name: str
    receiver: str = ""  # the receiver's type name for a method (`Engine` for `*Engine`)
    params: tuple[TypeExpr | None, ...] = ()
    results: tuple[TypeExpr | None, ...] = ()
    param_flows: tuple[ParamFlow, ...] = ()
    variadic: bool = False  # the last parameter is `...T`: later arguments go to it too
    # Slice results non-empty unless the function fails (see golang/results.py).
    non_empty_results: tuple[int, ...] = ()
    # Slice parameters whose length it checks, with an error or bool result to say so
    # (see golang/validators.py).
    length_checked_params: tuple[int, ...] = ()
    # A method with a pointer receiver whose every `return` gives that pointer, converted
    # (`return (*C.Point)(unsafe.Pointer(p))`; see golang/results.py).
    returns_receiver: bool = False
    # A method that frees its receiver (`func (v *Val) Free() { C.free(unsafe.Pointer(v)) }`):
    # `defer ckey.Free()` frees the C memory `ckey` points to (see golang/ownership.py).
    frees_receiver: bool = False
    # The receiver's fields whose memory a method frees (`C.free(unsafe.Pointer(b.data))`).
    freed_receiver_fields: tuple[str, ...] = ()
    # Its first result is a struct literal whose element is a Go pointer on some `return`
    # (`return Val(C.MDB_val{mv_data: unsafe.Pointer(&p[0])})`): "field mv_data" (GO102).
    go_pointer_field: str = ""
    # (result, parameter) positions of slice results with as many elements as the
    # parameter has (see golang/sized_results.py; GO104).
    sized_results: tuple[tuple[int, int], ...] = ()
    # It returns a new `cgo.Handle` (a wrapper of `cgo.NewHandle`; see golang/handles.py).
    new_handle: bool = False
    # (allocator, result position, free position) of a fresh C allocation it returns
    # for the caller to free (`return C.CString(s), nil`; see golang/allocating.py); the
    # free position is that of a `func()` result that frees it, else -1.
    allocated_result: tuple[str, int, int] | None = None
    # The positions of its pointer and slice results that point to C memory on every
    # `return` (a C array made over `C.malloc`; see golang/c_results.py; GO107).
    c_memory_results: tuple[int, ...] = ()
    # (parameter position, C function) of the pointer parameters it passes on to a C
    # call, through conversions and local variables, without pinning (see
    # golang/wrappers.py).
    c_pointer_params: tuple[tuple[int, str], ...] = ()


class GoFileFacts(Struct, frozen=True):
    package: str  # the package clause's name
    imports_c: bool  # has `import "C"`
    cgo_directives: tuple[CgoDirective, ...] = ()
    c_calls: tuple[CCallSite, ...] = ()
    types: tuple[GoTypeDecl, ...] = ()
    variables: tuple[GoVarDecl, ...] = ()
    constants: tuple[tuple[str, int | None], ...] = ()  # integer constants, value if known
    functions: tuple[GoFuncDecl, ...] = ()
    # What zero-argument `.Delete()` calls release (see golang/handles.py):
    # "field:f", "index:m", or "*" for a handle recovered from an integer.
    handle_releases: tuple[str, ...] = ()
    # Fields ("field:f") and package variables ("global:g") that hold a handle as an
    # integer (see golang/handles.py).
    handle_integers: tuple[str, ...] = ()
    # (C function, parameter index): functions defined in the cgo preamble that take
    # ownership of that parameter (see clang/ownership.py).
    c_ownership: tuple[tuple[str, int], ...] = ()
    # Package types `T` that C memory is converted to `*T`, and those named as values
    # or that other memory is converted to (see golang/mirrors.py).
    c_pointer_types: tuple[str, ...] = ()
    go_pointer_types: tuple[str, ...] = ()
    # ("T.f", "c" | "go" | "field:T.g"): what the file stores in unexported fields of the
    # package's structs (see golang/field_memory.py).
    field_stores: tuple[tuple[str, str], ...] = ()
    # Functions the file exports to C with `//export Name` (callbacks Rust may import).
    c_exports: tuple[str, ...] = ()
