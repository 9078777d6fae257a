"""Rust types into the model: primitives, `c_*` aliases, pointers, references, fn pointers.

Reads the normalized type text of the Rust facts (`*const c_char`,
`Option<unsafe extern "C" fn(*mut c_void) -> i32>`) with `rust_parser`, which
says what references, pointers, `Option`, `Box` and function pointers are.
Type aliases and `use` renames resolve through the crate; paths count by
their last segment, so `std::os::raw::c_int`, `core::ffi::c_int`,
`libc::c_int` and `c_int` are one type. What a C ABI cannot carry by value
(`String`, tuples, generic types of other crates, `Option` of anything
else) is `Unknown`; a pointer to an unsized type (`&str`, `&[u8]`,
`Box<dyn Trait>`) is a `FatPointer`. A pointer to one of the standard
library's owning types (`*mut Vec<u32>`, `&String`) points to a `Named` type
of its own: C may hold it as `void *` or an opaque struct, never as a scalar.

A generic struct of the crate instantiated with C types (`CResult<c_char>`)
is a `Named` type by its *canonical* spelling: the struct's name and each
argument spelled from the model (`CResult<*mut c_char>`, `Pair<i32, Point>`),
so `CResult<c_int>` and `CResult<i32>` are one name. `instance` reads such a
name back into the struct and what its parameters stand for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from interop_lint.analyzer.rust.facts import RustEnum, RustStruct
from interop_lint.analyzer.typesys.layout import C_ENUM_BITS, transparent_field
from interop_lint.analyzer.typesys.model import (
    POINTER_WIDTH,
    STANDARD_TYPEDEFS,
    Array,
    Bool,
    Float,
    Int,
    Named,
    Pointer,
    Type,
    Unknown,
    Void,
)
from interop_lint.analyzer.typesys.rust_parser import (
    MAX_DEPTH,
    Parsed,
    Parser,
    Unparsable,
    tokenize,
    unsized,
)

PRIMITIVES: dict[str, Type] = {
    **{f"i{n}": Int(n, True) for n in (8, 16, 32, 64, 128)},
    **{f"u{n}": Int(n, False) for n in (8, 16, 32, 64, 128)},
    "isize": Int(POINTER_WIDTH, True),
    "usize": Int(POINTER_WIDTH, False),
    "f32": Float(32),
    "f64": Float(64),
    "bool": Bool(),
    "c_void": Void(),
    "c_char": Int(8, None),
    "c_schar": Int(8, True),
    "c_uchar": Int(8, False),
    "c_short": Int(16, True),
    "c_ushort": Int(16, False),
    "c_int": Int(32, True),
    "c_uint": Int(32, False),
    "c_long": Int(64, True),  # LP64
    "c_ulong": Int(64, False),
    "c_longlong": Int(64, True),
    "c_ulonglong": Int(64, False),
    "c_float": Float(32),
    "c_double": Float(64),
    "c_size_t": Int(POINTER_WIDTH, False),
    "c_ssize_t": Int(POINTER_WIDTH, True),
    "c_ptrdiff_t": Int(POINTER_WIDTH, True),
    **STANDARD_TYPEDEFS,  # `libc::size_t` and friends
}
# The standard library's unsized types a crate names without declaring them: a
# pointer to one is a `FatPointer`.
_UNSIZED = frozenset({"str", "CStr", "OsStr"})
# Standard types that own memory or have no stable layout.
NO_C_LAYOUT = frozenset(
    {"String", "Vec", "VecDeque", "CString", "OsString", "PathBuf", "Rc", "Arc", "HashMap"}
    | {"HashSet", "BTreeMap", "BTreeSet", "Cow", "Result"}
)
# The collections and strings among those, and the standard locks: behind a pointer
# never a C scalar (`uint32_t *` for `*mut Vec<u32>` reads the Vec's header as its
# elements); C holds one as `void *` or a pointer to an opaque struct. (`Rc`, `Arc`,
# `Cow` and `Result` behind a pointer are not yet measured on real code.)
_STD_OWNERS = (NO_C_LAYOUT - {"Rc", "Arc", "Cow", "Result"}) | {"Mutex", "RwLock", "RefCell"}
_INT_REPRS = {name: t for name, t in PRIMITIVES.items() if name[0] in "iu" and "_" not in name}

TypeLookup = Callable[[str], "RustStruct | RustEnum | None"]


class RustTypes:
    """The model of Rust types as one crate spells them."""

    def __init__(
        self,
        resolve: Callable[[str], str],
        lookup: TypeLookup,
        known_also: frozenset[str] = frozenset(),
        bindings: Mapping[str, str] | None = None,
    ) -> None:
        self._resolve = resolve  # type aliases and `use` renames of the crate
        self._lookup = lookup  # structs and enums of the crate
        # Names known to be types of the Rust side though the crate does not
        # declare them (imported ones its cbindgen header shows, see `contract`).
        self._known_also = known_also
        self._bindings = dict(bindings or {})  # generic parameters -> argument spellings
        # A crate's exports spell the same few types over and over: model each once.
        self._models: dict[str, Type] = {}

    def model(self, spelling: str) -> Type:
        found = self._models.get(spelling)
        if found is None:
            found = self._models[spelling] = self._parse(spelling, 0).type
        return found

    def knows(self, name: str) -> bool:
        """Whether the name is a struct or enum of the crate (or known to be a type of
        the Rust side), or an instance of a generic struct of the crate. A generic
        struct's bare name is not one type: C spells some instance of it so."""
        if self.generic_struct(name) is not None or self._generic_data_enum(name) is not None:
            return False
        if self._lookup(name) is not None or name in self._known_also:
            return True
        if "<" not in name:
            return False
        model = self.model(name)
        return isinstance(model, Named) and model.known

    def wraps(self, spelling: str) -> bool:
        """Whether a Rust spelling names a `#[repr(transparent)]` struct of the crate that
        the model unwraps to its one field (`Flags`, an instance `Counter<u64>`)."""
        base = spelling.partition("<")[0].strip()
        item = self._lookup(self._resolve(base))
        return isinstance(item, RustStruct) and transparent_field(item, self._lookup) is not None

    def with_bindings(self, bindings: Mapping[str, str]) -> RustTypes:
        """These types with generic parameters standing for arguments: `T` -> `c_char`."""
        return RustTypes(self._resolve, self._lookup, self._known_also, bindings)

    def _generic_data_enum(self, name: str) -> RustEnum | None:
        item = self._lookup(name)
        if isinstance(item, RustEnum) and item.generics and item.has_fields and item.repr:
            return item
        return None

    def generic_struct(self, name: str) -> RustStruct | None:
        """The generic struct of the crate of that name, if it is one."""
        item = self._lookup(name)
        return item if isinstance(item, RustStruct) and item.generics else None

    def instance(self, canonical: str) -> tuple[RustStruct, dict[str, str]] | None:
        """The generic struct a canonical instance name (`CResult<*mut c_char>`) names,
        and what each of its parameters stands for (`{"T": "*mut c_char"}`)."""
        base, _, rest = canonical.partition("<")
        struct = self.generic_struct(base)
        if struct is None or not rest.endswith(">"):
            return None
        arguments = _split_arguments(rest[:-1])
        if arguments is None or len(arguments) != len(struct.generics):
            return None
        return struct, dict(zip(struct.generics, arguments, strict=True))

    def struct_of(self, t: Named) -> tuple[RustStruct, RustTypes] | None:
        """The struct of the crate a named type is, with the types its fields are written
        in (its parameters bound for an instance)."""
        for name in sorted(t.names):
            item = self._lookup(name)
            if isinstance(item, RustStruct):
                return item, self
            found = self.instance(name)
            if found is not None:
                return found[0], self.with_bindings(found[1])
        return None

    def generic(self, name: str, arguments: list[Parsed], depth: int) -> Parsed:
        """`Name<A, B>` for a generic struct of the crate, or a generic enum whose
        variants carry data (`FfiResult<*mut T>`, a tagged union by value): a `Named`
        type by its canonical spelling, known when every argument is."""
        struct = self.generic_struct(name) or self._generic_data_enum(name)
        if struct is None and name in _STD_OWNERS and self._lookup(name) is None:
            return _std_owner(name)
        if struct is None or len(struct.generics) != len(arguments):
            raise Unparsable
        spelled = [canonical(a.type) for a in arguments]
        if any(s is None for s in spelled):
            raise Unparsable
        if isinstance(struct, RustEnum):
            known = all(_known(a.type) for a in arguments)
            return Parsed(Named(frozenset({f"{name}<{', '.join(spelled)}>"}), known))  # type: ignore[arg-type]
        inner = transparent_field(struct, self._lookup)
        if inner is not None:  # `Wrapper<c_int>` of `#[repr(transparent)] struct Wrapper<T>(T)`
            bindings = dict(zip(struct.generics, spelled, strict=True))
            return self.with_bindings(bindings)._parse(inner, depth + 1)  # type: ignore[arg-type]
        known = all(_known(a.type) for a in arguments)
        return Parsed(Named(frozenset({f"{name}<{', '.join(spelled)}>"}), known))  # type: ignore[arg-type]

    def _parse(self, spelling: str, depth: int) -> Parsed:
        try:
            parser = Parser(self, tokenize(spelling), depth)
            parsed = parser.type()
            if parser.peek() is not None:
                raise Unparsable
            return parsed
        except Unparsable:
            return Parsed(Unknown(spelling))

    def named(self, name: str, depth: int) -> Parsed:
        """A path's last segment: a primitive, an alias, a type of the crate."""
        if name in PRIMITIVES:
            return Parsed(PRIMITIVES[name])
        bound = self._bindings.get(name)
        if bound is not None:
            if depth > MAX_DEPTH:
                raise Unparsable
            return RustTypes(self._resolve, self._lookup, self._known_also)._parse(bound, depth + 1)
        target = self._resolve(name)
        if target != name:
            if depth > MAX_DEPTH:
                raise Unparsable
            return self._parse(target, depth + 1)
        item = self._lookup(name)
        if item is None and name in _UNSIZED and name not in self._known_also:
            return unsized(f"`{name}`")
        if item is None and name in _STD_OWNERS:
            return _std_owner(name)
        if isinstance(item, RustEnum) and item.generics and item.has_fields:
            return Parsed(Named(frozenset({name}), False))  # which instance: unknown
        if isinstance(item, RustEnum):
            integer = next((_INT_REPRS[r] for r in item.repr if r in _INT_REPRS), None)
            if integer is not None and not item.has_fields:
                integer = _either_sign(integer, item.largest)
                handle = Named(frozenset({name}), True, enum=True, integer=integer)
                return Parsed(integer, pointed=handle)
            bits = C_ENUM_BITS if "C" in item.repr and not item.has_fields else None
            return Parsed(Named(frozenset({name}), True, enum=not item.has_fields, bits=bits))
        inner = transparent_field(item, self._lookup) if isinstance(item, RustStruct) else None
        if inner is not None and not item.generics:  # type: ignore[union-attr]
            if depth > MAX_DEPTH:
                raise Unparsable
            return self._parse(inner, depth + 1)
        if isinstance(item, RustStruct) and item.generics:
            return Parsed(Named(frozenset({name}), False))  # which instance: unknown
        return Parsed(Named(frozenset({name}), item is not None or name in self._known_also))


def _std_owner(name: str) -> Parsed:
    """A standard owning type (`_STD_OWNERS`): unknown by value, a type of the Rust
    side of its own behind a pointer."""
    return Parsed(Unknown(name), pointed=Named(frozenset({name}), True))


_SPELLED_INTS = {
    (bits, signed): f"{'i' if signed else 'u'}{bits}"
    for bits in (8, 16, 32, 64, 128)
    for signed in (True, False)
}


def _either_sign(integer: Int, largest: int | None) -> Int:
    """The enum's integer, read the same signed or not when its values allow it."""
    bits = 32 if integer.bits == POINTER_WIDTH else integer.bits  # the narrowest `usize`
    if largest is None or largest >= 1 << (bits - 1):
        return integer
    return Int(integer.bits, integer.signed, either_sign=True)


def canonical(t: Type) -> str | None:
    """A model type spelled in Rust, one spelling per model type (`c_int` is `i32`);
    None for what a generic argument of a C type cannot be (a function, unknown)."""
    if isinstance(t, Int):
        if t.signed is None:
            return "c_char"
        if t.bits == POINTER_WIDTH:
            return "isize" if t.signed else "usize"
        return _SPELLED_INTS.get((t.bits, t.signed))
    if isinstance(t, Float):
        return f"f{t.bits}"
    if isinstance(t, Bool):
        return "bool"
    if isinstance(t, Void):
        return "c_void"
    if isinstance(t, Pointer):
        pointee = canonical(t.pointee)
        return None if pointee is None else f"*{'const' if t.const else 'mut'} {pointee}"
    if isinstance(t, Array):
        element = canonical(t.element)
        return None if element is None or t.length is None else f"[{element}; {t.length}]"
    if isinstance(t, Named):
        return min(t.names)
    return None


def _known(t: Type) -> bool:
    """Whether every named type in `t` is a type of the Rust side."""
    while isinstance(t, (Pointer, Array)):
        t = t.pointee if isinstance(t, Pointer) else t.element
    return t.known if isinstance(t, Named) else True


def _split_arguments(text: str) -> list[str] | None:
    """`*mut c_char, Pair<i32, u8>` -> the two arguments (top-level commas only)."""
    arguments, depth, start = [], 0, 0
    for position, char in enumerate(text):
        if char in "<[(":
            depth += 1
        elif char in ">])":
            depth -= 1
            if depth < 0:
                return None
        elif char == "," and depth == 0:
            arguments.append(text[start:position].strip())
            start = position + 1
    arguments.append(text[start:].strip())
    return arguments if depth == 0 and all(arguments) else None
