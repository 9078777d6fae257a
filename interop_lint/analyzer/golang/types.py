"""Go types as plain data (`TypeExpr`), and the questions rules ask of them.

A type expression of the syntax tree becomes a `TypeExpr`; named types are
resolved through a lookup (the package's type declarations, any file of the
package), with cycles and depth bounded. Nothing here needs a type checker:
where a type cannot be known (another package, a type parameter) the
answers are the cautious ones ("no Go pointers", "not a slice").
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from functools import cache

from tree_sitter import Node

from interop_lint.analyzer.golang.facts import Field, TypeExpr
from interop_lint.analyzer.golang.standard_types import STANDARD_STRUCTS
from interop_lint.analyzer.parsing import text


class Kind:
    NAME = "name"
    POINTER = "pointer"
    SLICE = "slice"
    ARRAY = "array"
    MAP = "map"
    CHAN = "chan"
    FUNC = "func"
    INTERFACE = "interface"
    STRUCT = "struct"
    UNKNOWN = "unknown"


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


UNKNOWN = TypeExpr(Kind.UNKNOWN)
# Lookup of a type name of the package (`T`) to its declared type, or None.
TypeLookup = Callable[[str], TypeExpr | None]
# The value of a constant expression (an array length), or None.
Constant = Callable[[Node], int | None]

BUILTIN_TYPES = _words(
    "bool byte rune int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr "
    "float32 float64 complex64 complex128 string error any"
)
_POINTERFUL_BUILTINS = frozenset({"string", "error", "any"})
# Types of the standard library whose values hold Go pointers (the rest: unknown, none).
_POINTERFUL_LIBRARY = frozenset(
    {"time.Time", "bytes.Buffer", "strings.Builder", "big.Int", "big.Float", "atomic.Value"}
    | {"bytes.Reader", "strings.Reader", "bufio.Reader", "bufio.Writer", "os.File"}
    | {"reflect.Value", "regexp.Regexp", "sync.Map", "sync.Pool", "log.Logger", "url.URL"}
    # Interfaces: a binding's struct that keeps the caller's reader or writer and is
    # handed to C as callback data (goflac's `Encoder{writer io.WriteCloser}`).
    | {f"io.{n}" for n in ("Reader", "Writer", "Closer", "Seeker", "ReaderAt", "WriterAt")}
    | {f"io.{n}" for n in ("ReadWriter", "ReadCloser", "WriteCloser", "ReadWriteCloser")}
    | {f"io.{n}" for n in ("ReadSeeker", "WriteSeeker", "ReadWriteSeeker", "ReadSeekCloser")}
    | {f"io.{n}" for n in ("ByteReader", "ByteWriter", "RuneReader", "StringWriter")}
    | {"context.Context", "fmt.Stringer", "sort.Interface", "sync.Locker", "reflect.Type"}
    | {"net.Conn", "net.Listener", "net.Addr", "net.PacketConn", "fs.FS", "fs.File"}
    | {"fs.FileInfo", "os.FileInfo", "hash.Hash", "hash.Hash32", "hash.Hash64"}
    | {"http.Handler", "http.ResponseWriter", "http.RoundTripper", "slog.Handler"}
)
_MAX_DEPTH = 64
_GO_INTEGERS = _words(
    "byte rune int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 uintptr"
)
_C_INTEGERS = _words("char schar uchar short ushort int uint long ulong longlong ulonglong")
# Names cgo gives the C builtin types (`C.int`, `C.uchar`, ...).
C_BUILTIN_TYPES = _C_INTEGERS | _words("float double complexfloat complexdouble size_t ssize_t")
# GLib's basic typedefs, which GTK, GStreamer and libnotify bindings convert to
# through headers of the system (`C.g_free(C.gpointer(cs))`): no preamble shows them.
GLIB_TYPES = _words(
    """gpointer gconstpointer gchar guchar gint guint gshort gushort glong gulong gint8
    guint8 gint16 guint16 gint32 guint32 gint64 guint64 gfloat gdouble gsize gssize
    goffset gintptr guintptr gboolean gunichar"""
)
_C_INTEGER_TYPEDEF = re.compile(r"^(u?int(8|16|32|64|ptr|max)_t|s?size_t|ptrdiff_t)$")


@cache
def named(name: str) -> TypeExpr:
    """The type named `name` (one instance per name: a TypeExpr is frozen)."""
    return TypeExpr(Kind.NAME, name=name)


def pointer_to(elem: TypeExpr | None) -> TypeExpr:
    return TypeExpr(Kind.POINTER, elem=elem or UNKNOWN)


def slice_of(elem: TypeExpr | None) -> TypeExpr:
    return TypeExpr(Kind.SLICE, elem=elem or UNKNOWN)


def type_expr(node: Node | None, constant: Constant | None = None, depth: int = 0) -> TypeExpr:
    """The `TypeExpr` of a type node of the Go tree (UNKNOWN for what it cannot read).

    `constant` evaluates an array length expression, when the caller can.
    """
    if node is None or depth > _MAX_DEPTH:
        return UNKNOWN
    kind = node.type
    inner = depth + 1
    if kind in ("type_identifier", "identifier"):
        return named(_spelling(node))
    if kind == "qualified_type":
        return named(_spelling(node).replace(" ", ""))
    if kind == "generic_type":
        return type_expr(node.child_by_field_name("type"), constant, inner)
    if kind in ("parenthesized_type", "type_elem", "type_constraint"):
        child = node.named_children[0] if node.named_children else None
        return type_expr(child, constant, inner)
    if kind == "pointer_type":
        child = node.named_children[0] if node.named_children else None
        return TypeExpr(Kind.POINTER, elem=type_expr(child, constant, inner))
    if kind == "slice_type":
        return slice_of(type_expr(node.child_by_field_name("element"), constant, inner))
    if kind in ("array_type", "implicit_length_array_type"):
        length_node = node.child_by_field_name("length")
        length = constant(length_node) if constant and length_node is not None else None
        element = type_expr(node.child_by_field_name("element"), constant, inner)
        return TypeExpr(Kind.ARRAY, elem=element, length=length)
    if kind == "map_type":
        return TypeExpr(Kind.MAP, elem=type_expr(node.child_by_field_name("value"), constant))
    if kind == "channel_type":
        return TypeExpr(Kind.CHAN, elem=type_expr(node.child_by_field_name("value"), constant))
    if kind == "function_type":
        return TypeExpr(Kind.FUNC)
    if kind == "interface_type":
        return TypeExpr(Kind.INTERFACE)
    if kind == "struct_type":
        return TypeExpr(Kind.STRUCT, fields=_fields(node, constant, inner))
    return UNKNOWN


def _spelling(node: Node) -> str:
    """`parsing.text` of a node that is there, reading `node.text` (~0.3 us) once."""
    raw = node.text
    return raw.decode("utf-8", errors="replace") if raw is not None else ""


def _fields(struct: Node, constant: Constant | None, depth: int) -> tuple[Field, ...]:
    found: list[Field] = []
    body = next((c for c in struct.named_children if c.type == "field_declaration_list"), None)
    for declaration in body.named_children if body is not None else ():
        if declaration.type != "field_declaration":
            continue
        field_type = type_expr(declaration.child_by_field_name("type"), constant, depth)
        names = [text(n) for n in declaration.children_by_field_name("name")]
        if names:
            found += [Field(name, field_type) for name in names]
        else:  # embedded: `T`, `*T`, `pkg.T` (the `*` is a token of the declaration)
            short = field_type.name.rsplit(".", 1)[-1]
            if any(child.type == "*" for child in declaration.children):
                field_type = TypeExpr(Kind.POINTER, elem=field_type)
            found.append(Field(short, field_type, embedded=True))
    return tuple(found)


def is_c_type(t: TypeExpr | None) -> bool:
    """A type of the pseudo-package C (`C.int`, `C.struct_x`), as written."""
    return t is not None and t.kind == Kind.NAME and t.name.startswith("C.")


def is_c_pointer_type(t: TypeExpr | None) -> bool:
    """`*C.T`, `**C.T`, ...: a pointer whose innermost pointee is a C type."""
    if t is None or t.kind != Kind.POINTER:
        return False
    pointee = t.elem
    while pointee is not None and pointee.kind == Kind.POINTER:
        pointee = pointee.elem
    return is_c_type(pointee)


def underlying(t: TypeExpr | None, lookup: TypeLookup) -> TypeExpr:
    """Follow names declared in the package (or the standard library's image types,
    golang.standard_types) to a type literal (or a foreign/builtin name)."""
    seen: set[str] = set()
    current = t or UNKNOWN
    while current.kind == Kind.NAME and current.name not in seen:
        seen.add(current.name)
        declared = lookup(current.name) or STANDARD_STRUCTS.get(current.name)
        if declared is None:
            return current
        current = declared
    return current if current.kind != Kind.NAME or current.name not in seen else UNKNOWN


def is_integer_type(t: TypeExpr | None) -> bool:
    """Go's integer types and C's (`C.int`, `C.size_t`, `C.uintptr_t`), by name."""
    if t is None or t.kind != Kind.NAME:
        return False
    name = t.name.removeprefix("C.")
    if t.name.startswith("C."):
        return name in _C_INTEGERS or _C_INTEGER_TYPEDEF.match(name) is not None
    return name in _GO_INTEGERS


def is_uintptr(t: TypeExpr | None) -> bool:
    return t is not None and t.kind == Kind.NAME and t.name == "uintptr"


def is_go_pointer_type(t: TypeExpr | None, lookup: TypeLookup) -> bool:
    """A value of this type is a Go pointer (rules.md, GO): `*T`, slice, string, map,
    chan, func, interface. C types, `unsafe.Pointer` and `uintptr` are not."""
    u = underlying(t, lookup)
    if u.kind == Kind.POINTER:
        return not points_to_c(u, lookup) and not is_c_function_pointer(u)
    if u.kind in (Kind.SLICE, Kind.MAP, Kind.CHAN, Kind.FUNC, Kind.INTERFACE):
        return True
    return u.kind == Kind.NAME and u.name in _POINTERFUL_BUILTINS


def is_c_function_pointer(t: TypeExpr) -> bool:
    """`*[0]byte`: cgo's spelling of a C function pointer (`(*[0]byte)(C.callback)`),
    the type Go mirrors of C callback fields declare (malgo's `OnMalloc *[0]byte`)."""
    pointee = t.elem if t.kind == Kind.POINTER else None
    element = pointee.elem if pointee is not None and pointee.kind == Kind.ARRAY else None
    return (
        pointee is not None
        and pointee.length == 0
        and element is not None
        and element.kind == Kind.NAME
        and element.name in ("byte", "uint8")
    )


def points_to_c(t: TypeExpr, lookup: TypeLookup) -> bool:
    """`*C.T`, `**C.T`, or a pointer to a package type declared as a C type
    (`type addrinfo = C.struct_addrinfo`): the Go spelling of a C pointer."""
    pointee = t.elem
    for _ in range(_MAX_DEPTH):
        if pointee is None:
            return False
        if is_c_type(pointee):
            return True
        if pointee.kind == Kind.POINTER:
            pointee = pointee.elem
        elif pointee.kind == Kind.NAME and underlying(pointee, lookup) != pointee:
            pointee = underlying(pointee, lookup)
        else:
            return False
    return False


def contains_go_pointers(t: TypeExpr | None, lookup: TypeLookup) -> bool:
    """Whether memory of type `t` holds Go pointers: pointer, slice, string, map, chan,
    func or interface values, in fields, array elements, nested structs and named
    types of the package (each named type visited once, so cycles end)."""
    seen: set[str] = set()
    stack = [t or UNKNOWN]
    while stack:
        current = stack.pop()
        if current.kind == Kind.NAME:
            if current.name in seen:
                continue
            seen.add(current.name)
            declared = None if is_c_type(current) else lookup(current.name)
            if declared is not None:
                stack.append(declared)
            elif current.name in _POINTERFUL_BUILTINS or current.name in _POINTERFUL_LIBRARY:
                return True
        elif current.kind == Kind.ARRAY:
            if current.length != 0 and current.elem is not None:
                stack.append(current.elem)
        elif current.kind == Kind.STRUCT:
            stack.extend(f.type for f in current.fields)
        elif current.kind != Kind.UNKNOWN and is_go_pointer_type(current, lookup):
            return True
    return False


def field_type(t: TypeExpr | None, name: str, lookup: TypeLookup) -> TypeExpr | None:
    """The type of field `name` of a struct (or pointer to struct), embedded fields
    searched breadth-first; None when unknown."""
    queue = deque([t])
    seen: set[str] = set()
    while queue and len(seen) < _MAX_DEPTH:
        current = queue.popleft()
        if current is not None and current.kind == Kind.POINTER:
            current = current.elem  # an embedded *T is searched like T
        if current is None:
            continue
        if current.kind == Kind.NAME:
            if current.name in seen:
                continue
            seen.add(current.name)
        u = underlying(current, lookup)
        if u.kind == Kind.POINTER:
            u = underlying(u.elem, lookup)
        if u.kind != Kind.STRUCT:
            continue
        for f in u.fields:
            if f.name == name:
                return f.type
        queue += [f.type for f in u.fields if f.embedded]
    return None


def element_type(t: TypeExpr | None, lookup: TypeLookup) -> TypeExpr | None:
    """The type of `x[i]` for `x` of type `t` (slice, array, pointer to array, map, string)."""
    u = underlying(t, lookup)
    if u.kind == Kind.POINTER:
        u = underlying(u.elem, lookup)
        if u.kind != Kind.ARRAY:
            return None
    if u.kind in (Kind.SLICE, Kind.ARRAY, Kind.MAP):
        return u.elem
    if u.kind == Kind.NAME and u.name == "string":
        return named("byte")
    return None


def holds_address(t: TypeExpr) -> bool:
    """A pointer type or `unsafe.Pointer` (already resolved with `underlying`)."""
    return t.kind == Kind.POINTER or (t.kind == Kind.NAME and t.name == "unsafe.Pointer")


def is_slice(t: TypeExpr | None, lookup: TypeLookup) -> bool:
    return underlying(t, lookup).kind == Kind.SLICE


def is_array(t: TypeExpr | None, lookup: TypeLookup) -> bool:
    return underlying(t, lookup).kind == Kind.ARRAY


def describe(t: TypeExpr | None) -> str:
    """A short Go spelling of a type for messages (`[]string`, `*Config`)."""
    if t is None or t.kind == Kind.UNKNOWN:
        return "?"
    prefix = {
        Kind.POINTER: "*",
        Kind.SLICE: "[]",
        Kind.ARRAY: f"[{t.length if t.length is not None else '...'}]",
        Kind.CHAN: "chan ",
    }.get(t.kind)
    if prefix is not None:
        return prefix + describe(t.elem)
    if t.kind == Kind.MAP:
        return f"map[...]{describe(t.elem)}"
    if t.kind == Kind.NAME:
        return t.name
    return {"struct": "struct{...}", "interface": "interface{...}"}.get(t.kind, t.kind)
