"""Facts of a Rust file: its exported functions and what they promise.

Ownership kinds (`Allocation.kind`, `Release.kind`, `RustExport.returns_owned`)
are strings, one per way of giving memory back to Rust's allocator:

- `"cstring"`: made by `CString::into_raw`; released by `CString::from_raw`.
- `"box:T"`: a `Box<T>` given away by `Box::into_raw` / `Box::leak`; released
  by `Box::from_raw` of a `*mut T`. `"box"` when `T` is unknown.
- `"vec:T"`: the buffer of a `Vec<T>` (a `String` is `vec:u8`, a boxed slice
  counts too) handed out after `mem::forget` / `ManuallyDrop::new` /
  `Vec::leak`; released by `Vec::from_raw_parts`, `String::from_raw_parts`
  or `Box::from_raw(slice::from_raw_parts_mut(..))`. `"vec"` when `T` is
  unknown.

`T` is written as in the source (last path segment, no generics), so it may be
an alias of the crate: compare kinds with `RustIndex.canonical_kind` /
`RustIndex.releases_kind`, which resolve aliases and treat an unknown `T` as
matching any.
"""

from __future__ import annotations

from msgspec import Struct

from interop_lint.analyzer.locations import Location


class RustParam(Struct, frozen=True):
    name: str  # the pattern as written (`p`, `_`, `mut n`)
    type: str  # normalized type text (rust.syntax.normalize_type)
    location: Location  # of the whole parameter


class Allocation(Struct, frozen=True):
    """Rust-allocated memory a function hands to its caller."""

    kind: str  # see the module docstring
    location: Location  # of the call that gives up ownership (`into_raw`, `mem::forget`)
    via: str  # "return", or the name of the out-parameter it is written through
    what: str  # how it is made, for messages: `CString::into_raw`
    # The kind as C sees it, when the memory leaves under another type (the opaque
    # handle pattern: a `Box<Session>` returned as `*mut session_handle` is
    # `box:session_handle`); None when it is the kind.
    handle: str | None = None
    # The struct whose literal holds it on the way out (`Error { message: .. }`):
    # its `Drop` may give the memory back.
    held_by: str | None = None
    # The field of the struct literal it leaves in (`error` of a returned
    # `CResult { value: null, error: msg }`), when it leaves in one.
    field: str | None = None


class Release(Struct, frozen=True):
    """Memory a function gives back to Rust's allocator."""

    kind: str  # see the module docstring
    location: Location  # of the `from_raw` / `from_raw_parts` call
    param_index: int | None  # the parameter released (0-based); None when not a parameter
    param_name: str | None
    what: str  # `CString::from_raw`
    # The field of the parameter that holds the pointer released (`data` of
    # `Vec::from_raw_parts(buf.data, ..)`); None when the parameter itself is.
    field: str | None = None
    # The kind as C passes it, when the parameter is cast to another type before it
    # is released (`Box::from_raw(h as *mut Session)` of `h: *mut session_handle`).
    handle: str | None = None
    # The parameter points to a type parameter (`fn free_box<T>(p: *mut T)`): the
    # type released is the one each caller passes.
    generic: bool = False
    # Not a parameter's: read from a field of a local value (`CString::from_raw(o.text)`
    # for each `o` of an array rebuilt from the caller's handle).
    from_local_field: bool = False


class PanicSite(Struct, frozen=True):
    """A place that can panic (RS101), with the wrappers that may guard it."""

    what: str  # "`.unwrap()`", "`panic!`", "indexing `v[i]`"
    location: Location
    # Calls that run it in a closure and macros that hold it, innermost first:
    # ("AssertUnwindSafe", "std::panic::catch_unwind"). The index decides
    # which of them are guards (the configuration can add some).
    guards: tuple[str, ...] = ()
    # `CString::new(msg).unwrap()` of a parameter: the site panics only when a caller
    # passes text with a NUL at this position (`self` not counted); see text_arguments.py.
    text_parameter: int | None = None


class RustCall(Struct, frozen=True):
    """A call to a function by name: `f()`, `Type::f()`, `x.f()` (RS101 follows these)."""

    name: str
    owner: str | None  # `Engine` of `Engine::new()` (`Self` resolved); None otherwise
    method: bool  # `x.f()`
    guards: tuple[str, ...] = ()  # as for PanicSite
    # The calls its value is handed to, innermost first (`run_safely` of
    # `run_safely(work())`): a guard there runs an `async fn`'s body, which runs
    # only when the future is polled.
    handed_to: tuple[str, ...] = ()
    # `module::f()`: a path names where `f` is (not the caller's own module's `f`):
    # its last segment, which may also be a type written in lower case (`thing::f()`
    # for a C-style `struct thing`).
    module: str | None = None
    # Positions of arguments that are text with no NUL (`set_error("bad input")`), and
    # (position, the caller's parameter position) of text parameters passed on.
    text_arguments: tuple[int, ...] = ()
    forwarded: tuple[tuple[int, int], ...] = ()
    # How many arguments it passes (not the receiver); None when not known (a macro's
    # repetition, a function passed by name).
    arguments: int | None = None


class PointerArgument(Struct, frozen=True):
    """An argument of a call whose pointee type is written where the call is: the
    caller's parameter `b: *mut Blind`, `p as *mut Blind`, `free::<Blind>(p)`. A
    generic helper releasing its argument releases that type (pointer_arguments.py)."""

    call: RustCall
    argument: int  # its position
    pointee: str  # `Blind`, as written


class PointerDemand(Struct, frozen=True):
    """A raw-pointer parameter that a function uses as RS102 says (`CStr::from_ptr(p)`)
    with no null check first: its callers must pass it non-null."""

    position: int  # of the parameter (0-based)
    location: Location  # of the first unchecked use
    what: str  # that use as written, for messages


class PointerPass(Struct, frozen=True):
    """A raw-pointer parameter a helper hands, unchecked, to another function of the
    crate (`fn keys(p: *const c_char) { to_string(p) }`): it needs it non-null when
    that function does (RS102)."""

    position: int  # of the parameter (0-based)
    callee: str  # the function called, as named: `to_string` of `utils::to_string(p)`
    qualifier: str | None  # `Type` of `Type::f(p)`, `Self`, a module path, or None
    argument: int  # the position it is passed at
    # Checked for null before it is passed: no demand on callers, but a dereference
    # where the function called dereferences it (RS103).
    checked: bool = False


class RustFunction(Struct, frozen=True):
    """Any function of the file (free, method, exported or not): what RS101 and
    RS105 follow across the crate."""

    name: str
    owner: str | None  # the type of the `impl` block; None for free functions
    has_self: bool
    location: Location  # of the name
    # How many arguments a call passes it (`self` not counted); None when not known
    # (a variadic or `#[cfg]`-gated parameter).
    arity: int | None = None
    panics: tuple[PanicSite, ...] = ()
    # The inline `mod name { .. }` declaring it; None at its file's top level.
    module: str | None = None
    calls: tuple[RustCall, ...] = ()
    hands_out: tuple[Allocation, ...] = ()
    release_kinds: tuple[str, ...] = ()  # kinds it releases of memory its parameters point to
    release_handles: tuple[str, ...] = ()  # the same as C passes them (Release.handle)
    # Releases of a parameter whose type is a type parameter (`fn free_box<T>(p: *mut
    # T)`), as (position, family): what each caller passes types them (not in
    # `release_kinds`), through the callers' `pointer_arguments`.
    generic_releases: tuple[tuple[int, str], ...] = ()
    pointer_arguments: tuple[PointerArgument, ...] = ()
    # Calls whose result it returns as its own (`fn version() -> *mut c_char { to_c(V) }`).
    returned_calls: tuple[RustCall, ...] = ()
    # Calls whose result it writes through an out-parameter, with the parameter and
    # the type it points to (`*out = into_handle(v)` of `out: *mut *mut Session`).
    written_calls: tuple[tuple[RustCall, str, str], ...] = ()
    # Whether it runs one of its own parameters under `catch_unwind`:
    # `fn guard<F: FnOnce()>(f: F) { catch_unwind(f) }` is a guard for its callers.
    guards_its_argument: bool = False
    is_async: bool = False  # a call of it makes a future; its body runs when polled
    # The functions it hands one of its generic parameters to (`fn ffi_safe_ptr<F:
    # FnOnce()>(f: F) { ffi_safe(f) }`): a guard when one of them is.
    hands_argument_to: tuple[str, ...] = ()
    # The trait it implements for `owner` (`Clone` of `impl Clone for Buf`); None
    # outside `impl Trait for ..`.
    trait_name: str | None = None
    # For `Drop::drop`: the kinds of memory it gives back, whatever holds the
    # pointer (`Vec::from_raw_parts(self.ptr, ..)`): what the type releases when
    # dropped (RS105). For another method: those of memory `self` holds, which a
    # `drop` calling it releases (wirefilter's `self.to_real_box_impl()`).
    drop_releases: tuple[str, ...] = ()
    # Its raw-pointer parameters that must not be null (RS102 follows exports' calls
    # into such helpers); only for functions without `self` that are not exported.
    needs_nonnull: tuple[PointerDemand, ...] = ()
    passes_pointers: tuple[PointerPass, ...] = ()  # its other pointer parameters, handed on
    # Those it dereferences only after a null check (`assert!(!p.is_null()); &*p`):
    # no demand on its callers, but a safe export handing it its pointer still
    # dereferences that pointer (RS103).
    dereferences: tuple[PointerDemand, ...] = ()
    # Those it panics on when null before it can return (`assert!(!p.is_null())`):
    # a call of it checks its argument for the caller (RS102).
    asserts_nonnull: tuple[PointerDemand, ...] = ()
    # What it gives back to Rust's allocator of memory its parameters point to
    # (`Box::from_raw(p)`): XL105 follows exports that hand it their own parameter.
    frees_parameters: tuple[Release, ...] = ()
    # For a `macro_rules!` macro (`name!`) whose value is a pointer into a temporary
    # it makes (`CString::new($s).unwrap().as_ptr()`): that temporary, as written.
    # Kept past the invocation's statement, the pointer dangles (RS106).
    dangling_value: str | None = None
    # For a `macro_rules!` macro: the SCREAMING_CASE names its transcribers mention,
    # the statics it may read or write for the function that invokes it (RS107).
    statics_named: tuple[str, ...] = ()
    # The `static mut`s of its own file it uses unserialised (`LAST_ERROR = ..` in a
    # `set_last_error` helper): an export calling it uses them too (RS107).
    static_uses: tuple[str, ...] = ()
    # The function whose body declares it (`fn inner` of an export's
    # `fn f() { fn inner() {..} inner() }`), by the location of its name: only
    # that function's code can call it.
    enclosing: Location | None = None


class RustStaticMut(Struct, frozen=True):
    name: str
    location: Location  # of the name


class RustExport(Struct, frozen=True):
    """An exported function (rules.md): C-family ABI and an exported symbol."""

    name: str  # the Rust name
    symbol: str  # the linker symbol C declares
    abi: str
    location: Location  # of the function's name
    is_unsafe: bool
    is_pub: bool
    params: tuple[RustParam, ...]
    return_type: str  # normalized; "()" when there is none
    return_location: Location | None  # None when there is no `-> T`
    uses_catch_unwind: bool  # `catch_unwind` appears in the body (macros included)
    # Owned Rust memory it hands out (returned or written to an out-parameter).
    hands_out: tuple[Allocation, ...] = ()
    # The kind of owned memory its return value is (an `Allocation` with via
    # "return"); None when it returns none it makes itself. Memory a helper
    # makes is found through `RustIndex.owned_return`.
    returns_owned: str | None = None
    # Memory it gives back to Rust's allocator, by parameter.
    releases: tuple[Release, ...] = ()


class ExportMacro(Struct, frozen=True):
    """A `macro_rules!` macro that exports the function its invocation writes
    (`fn NAME(..) .. { .. }`) under its name (rust.item_macros)."""

    name: str
    abi: str
    is_unsafe: bool  # it declares the export `unsafe` whatever the invocation says
    is_pub: bool
    # The type the invocation's return type is wrapped in and the export returns the
    # inside of: "Result" for `fn $n(..) -> Result<$rv:ty>` written as `-> $rv`.
    return_wrapper: str = ""
    # It puts `#[no_mangle]` before the whole items its invocation writes (`$($it:item)*`
    # written `$(#[no_mangle] $it)*`, miniz_oxide's `unmangle!`): an `extern` function
    # among them is exported with its own ABI, `unsafe` and `pub`.
    items: bool = False
    # Words a rule takes where the return type is written (`-> Binary`): a function
    # written so returns what that rule makes of the word, not a type of that name.
    return_words: tuple[str, ...] = ()


class MacroFunction(Struct, frozen=True):
    """A function written in an item-level macro invocation (rust.item_macros), as
    the export it is if the crate's macro of that name is an `ExportMacro`."""

    macro: str
    export: RustExport  # as if written `extern "C"` with `#[no_mangle]`


class NullCheckRule(Struct, frozen=True):
    """One rule of a `NullCheckMacro`: what it checks, or the macro it hands on to."""

    matcher: str  # the rule's left side, delimiters included
    checks: tuple[str, ...]  # metavariables (without `$`) checked before the rest runs
    hands_to: tuple[str, str] | None  # (macro, its token tree with `$x` kept) it expands to
    # (metavariable, the use as written: `*$len`) of pointers used unchecked (RS102)
    uses: tuple[tuple[str, str], ...] = ()
    # .. and used after the rule's own null check: non-null, still maybe dangling (RS103)
    checked_uses: tuple[tuple[str, str], ...] = ()


class NullCheckMacro(Struct, frozen=True):
    """A `macro_rules!` macro that checks a pointer its invocation names for null and
    leaves otherwise before the rest of the invocation runs, or that uses one
    unchecked (rust.null_macros)."""

    name: str
    rules: tuple[NullCheckRule, ...]


class RustAbiFunction(Struct, frozen=True):
    """A function exported under a symbol (`#[no_mangle]`, `export_name`) that keeps
    the Rust ABI: no `extern "C"`. C can link to it but not call it (XL108)."""

    name: str
    symbol: str
    location: Location  # of the function's name


class RustField(Struct, frozen=True):
    name: str  # "0", "1", ... for tuple structs
    type: str  # normalized
    location: Location


class RustStruct(Struct, frozen=True):
    name: str
    location: Location  # of the name
    repr: tuple[str, ...]  # `#[repr(C, packed)]` -> ("C", "packed"); () without repr
    fields: tuple[RustField, ...]
    is_pub: bool
    # Its type and const parameters in order, lifetimes left out: ("T",) for
    # `struct CResult<T>` (the XL rules compare `CResult<c_char>` field by field).
    generics: tuple[str, ...] = ()


class RustEnum(Struct, frozen=True):
    name: str
    location: Location
    repr: tuple[str, ...]
    has_fields: bool  # some variant carries data (`B(u32)`, `C { x: i32 }`)
    is_pub: bool
    generics: tuple[str, ...] = ()  # `FfiResult<T>`: ("T",)
    # The value each one-value tuple variant carries, by the variant's name: a pointer
    # handed out in `Config::Text(p)` and given back by matching on the variant.
    payloads: tuple[RustField, ...] = ()
    # The largest discriminant of a field-less enum whose discriminants are all
    # non-negative decimal literals or implicit; None when one is anything else.
    largest: int | None = None
    held_types: tuple[str, ...] = ()  # of every field of every variant


class RustTypeAlias(Struct, frozen=True):
    """`type Handle = *mut Engine;`"""

    name: str
    target: str  # normalized
    location: Location


class RustUseRename(Struct, frozen=True):
    """`use std::os::raw::c_char as cchar;`: `cchar` means `c_char` in this file."""

    alias: str
    path: str  # the full path as written: `std::os::raw::c_char`

    @property
    def original(self) -> str:
        return self.path.rsplit("::", 1)[-1]


class RustFileFacts(Struct, frozen=True):
    exports: tuple[RustExport, ...] = ()
    structs: tuple[RustStruct, ...] = ()
    enums: tuple[RustEnum, ...] = ()
    aliases: tuple[RustTypeAlias, ...] = ()
    renames: tuple[RustUseRename, ...] = ()
    # Plain `use` of a capitalised name from another crate (`use blockstore::BlockHeight;`):
    # an alias a path dependency of the project declares (RustIndex.resolve_name).
    imports: tuple[RustUseRename, ...] = ()
    # Plain `use` of a lower-case name (`use std::str::from_utf8;`, `use crate::text::
    # parse;`): a bare call of that name in the file is that function (rust.callgraph).
    imported_functions: tuple[RustUseRename, ...] = ()
    # (first segment, name) of what a `pub use` re-exports, `*` for a glob: where the
    # segment is a dependency, its `#[no_mangle]` functions are this library's symbols
    # too (rust.uses, RustIndex.crates_generating).
    reexported_symbols: tuple[tuple[str, str], ...] = ()
    # The symbols of the C functions the file's `extern "C" { .. }` blocks import.
    foreign_functions: tuple[str, ...] = ()
    functions: tuple[RustFunction, ...] = ()
    static_muts: tuple[RustStaticMut, ...] = ()
    # `macro_rules!` macros of the file whose expansion calls `catch_unwind`.
    guard_macros: tuple[str, ...] = ()
    # The file's other `macro_rules!` macros with the macros and functions their
    # transcribers hand invocation tokens to (`ffi_boundary_generic!(0, $($tt)*)`,
    # none for most): a macro that hands them to a guard is a guard
    # (RustIndex.guard_names), one that does not is none, whatever its name.
    macro_delegates: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Structs and enums whose `#[derive(..)]` names a macro with `Drop` in its name
    # (`DropStructMacro`): it writes their `impl Drop`, out of sight (RS105).
    derived_drops: tuple[str, ...] = ()
    # (type, trait) of each `impl Trait for Type`: the type has the trait's default
    # methods (`SourmashHyperLogLog::as_rust(p)`), even from an empty `impl`.
    trait_impls: tuple[tuple[str, str], ...] = ()
    # Symbols that the file's `macro_rules!` macros export (`#[no_mangle] extern
    # "C" fn` in a transcriber, named there or by the file's invocations), and
    # whether some could not be learnt (the macro is invoked from another file,
    # or its invocation did not match): then the crate exports symbols no fact
    # names (rust.generated).
    generated_symbols: tuple[str, ...] = ()
    exports_unknown_symbols: bool = False
    # The macros the file invokes outside of the invocations unwrapped into items
    # (rust.item_macros.invoked_macros): one that is a function-taking export macro
    # of the crate may export what no fact names (RustIndex.crates_that_may_generate).
    invoked_macros: tuple[str, ...] = ()
    generated_release_kinds: tuple[str, ...] = ()  # what those exports give back
    # The file's `macro_rules!` macros as functions named `name!` (rust.macros):
    # what their transcribers can panic on and call, for RS101.
    macros: tuple[RustFunction, ...] = ()
    # Levels of the clippy lints RS103/RS108 are (rust.lints): (lint, allowed) set
    # by the file's inner attributes, and (module, lint, allowed) set on its
    # `mod name;` declarations.
    lint_settings: tuple[tuple[str, bool], ...] = ()
    module_lint_settings: tuple[tuple[str, str, bool], ...] = ()
    # The `mod name;` declarations documented `cbindgen:ignore`: cbindgen reads
    # neither their files nor what those declare (XL104).
    cbindgen_skipped_modules: tuple[str, ...] = ()
    # (module, file) of the `#[path = "file.rs"] mod module;` declarations: that
    # file's functions are called as `module::f` (RustIndex.file_modules).
    module_paths: tuple[tuple[str, str], ...] = ()
    # Functions with an exported symbol but the Rust ABI (XL108).
    rust_abi_functions: tuple[RustAbiFunction, ...] = ()
    # The file's macros that export the functions their invocations write, and the
    # functions the file writes in item-level macro invocations: the index pairs
    # them across the crate (RustIndex.exports_in_file).
    export_macros: tuple[ExportMacro, ...] = ()
    macro_functions: tuple[MacroFunction, ...] = ()
    # The file's macros that check a pointer of their invocation for null (RS102).
    null_check_macros: tuple[NullCheckMacro, ...] = ()
    # Functions written as values in struct literals (a vtable's `destroy: destroy::<W>`),
    # as calls that reach them: called through the field (rust.stored_functions).
    stored_functions: tuple[RustCall, ...] = ()
