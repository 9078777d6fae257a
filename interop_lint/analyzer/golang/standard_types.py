"""The standard library's struct types whose slice fields cgo code hands to C,
and the slice and string headers whose `Data` it converts to and from pointers.

Types of other packages are unknown to a syntax-only reading. The image
types are the exception worth knowing: codecs and GUI toolkits pass their
planes to C as `&img.Y[0]`, `&img.Pix[0]`, and their field types are fixed
by the Go 1 compatibility promise. Only the fields those questions need are
listed (every listed field is as declared; unlisted ones are left out).
"""

from __future__ import annotations

from interop_lint.analyzer.golang.facts import Field, TypeExpr


def _struct(*fields: Field) -> TypeExpr:
    return TypeExpr("struct", fields=fields)


_BYTES = TypeExpr("slice", elem=TypeExpr("name", name="uint8"))
_INT = TypeExpr("name", name="int")


def _planes(*names: str) -> tuple[Field, ...]:
    return tuple(Field(name, _BYTES) for name in names)


_PIXELS = _struct(*_planes("Pix"), Field("Stride", _INT))
_YCBCR = _struct(*_planes("Y", "Cb", "Cr"), Field("YStride", _INT), Field("CStride", _INT))

_UINTPTR = TypeExpr("name", name="uintptr")

STANDARD_STRUCTS: dict[str, TypeExpr] = {
    # A slice's or string's header: `Data` is an integer, a pointer only when read or
    # written through a `*reflect.SliceHeader` over a real slice (GO103).
    "reflect.SliceHeader": _struct(Field("Data", _UINTPTR), Field("Len", _INT), Field("Cap", _INT)),
    "reflect.StringHeader": _struct(Field("Data", _UINTPTR), Field("Len", _INT)),
    **{
        f"image.{name}": _PIXELS
        for name in ("RGBA", "RGBA64", "NRGBA", "NRGBA64", "Alpha", "Alpha16", "Gray")
    },
    "image.Gray16": _PIXELS,
    "image.CMYK": _PIXELS,
    "image.Paletted": _PIXELS,
    "image.YCbCr": _YCBCR,
    "image.NYCbCrA": _struct(
        Field("YCbCr", TypeExpr("name", name="image.YCbCr"), embedded=True),
        *_planes("A"),
        Field("AStride", _INT),
    ),
}

# Functions of well-known packages whose first result is a byte slice (`data, err :=
# json.Marshal(v)`), by import path and name: a result that is empty or nil when
# the input is, or on the error a caller may drop (`data, _ := ..`).
_MARSHALLERS = ("Marshal",)
BYTE_RESULTS: frozenset[tuple[str, str]] = frozenset(
    {
        ("encoding/json", "Marshal"),
        ("encoding/json", "MarshalIndent"),
        ("encoding/hex", "DecodeString"),
        ("io", "ReadAll"),
        ("io/ioutil", "ReadAll"),
        ("io/ioutil", "ReadFile"),
        ("os", "ReadFile"),
        ("encoding/xml", "Marshal"),
        ("encoding/xml", "MarshalIndent"),
        *(
            (path, name)
            for path in (
                "google.golang.org/protobuf/proto",
                "github.com/golang/protobuf/proto",
                "github.com/gogo/protobuf/proto",
                "github.com/vmihailenco/msgpack/v5",
                "github.com/fxamacker/cbor/v2",
            )
            for name in _MARSHALLERS
        ),
    }
)
# Of those, the ones whose result is never empty when they succeed: a JSON
# encoding has at least one token ("null" for nil; XML has none for nil).
NON_EMPTY_UNLESS_FAILED = frozenset(
    {("encoding/json", "Marshal"), ("encoding/json", "MarshalIndent")}
)
# Methods that by convention return `([]byte, error)` whatever their receiver
# (encoding.BinaryMarshaler, json.Marshaler, gogo and vtprotobuf messages), and
# `Bytes()`, a `[]byte` (`bytes.Buffer`, `big.Int`: empty for zero).
BYTE_RESULT_METHODS = frozenset(
    {"Marshal", "MarshalJSON", "MarshalBinary", "MarshalText", "MarshalVT", "MarshalSSZ", "Bytes"}
)
BYTE_SLICE = _BYTES
