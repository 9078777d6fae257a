"""The grammar of a Rust type spelling: tokens, recursive descent, the std wrappers.

`Parser` reads one normalized type text (`*const c_char`,
`Option<unsafe extern "C" fn(*mut c_void) -> i32>`) into the model. `&T`,
`&mut T`, `NonNull<T>`, `Box<T>` and `Option` of those are pointers to `T`;
`Option<extern "C" fn(..)>` is a function pointer. Any of those pointers to
an unsized type (`str`, `[T]`, `CStr`, `dyn Trait`) is a `FatPointer`. What a
C ABI cannot carry by value (tuples, a Rust-ABI function pointer, `Option`
of anything else) raises `Unparsable`, which `RustTypes` turns into
`Unknown`. A path's name (`c_int`, `Engine`, `CResult<c_char>`) is handed to
the `RustTypes` of the crate, which knows its aliases and items.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from msgspec import Struct

from interop_lint.analyzer.rust.syntax import EXPORT_ABIS
from interop_lint.analyzer.typesys.model import (
    Array,
    FatPointer,
    Function,
    Pointer,
    Type,
    Unknown,
    Void,
)

if TYPE_CHECKING:
    from interop_lint.analyzer.typesys.rust import RustTypes

# Every wrapper that is a pointer to its argument (and fills Option's niche).
_POINTER_WRAPPERS = frozenset({"NonNull", "Box"})
_WRAPPERS = frozenset({"Option", "ManuallyDrop", *_POINTER_WRAPPERS})
# How deep a type may nest, counting the aliases and generic arguments RustTypes follows.
MAX_DEPTH = 32

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"[^"]*")
    | (?P<punct>->|::|\.\.\.|[<>()\[\];,*&!:=+])
    | (?P<word>(?:r\#)?[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_]*)
    )""",
    re.VERBOSE,
)


class Unparsable(Exception):
    """The spelling has no model (`RustTypes` makes it `Unknown`)."""


class Parsed(Struct, frozen=True):
    type: Type
    niche: bool = False  # never null: `Option` of it is a nullable pointer
    unsized: str | None = None  # what an unsized type is ("slice"): a pointer to it is fat
    # What a pointer points to when that is not `type`: a field-less enum of a
    # primitive repr is its integer by value, but behind a pointer it is also the
    # named handle C may declare opaque (`typedef struct Handle Handle;`, weld).
    pointed: Type | None = None


def unsized(what: str) -> Parsed:
    """An unsized type: no model by value, a `FatPointer` behind a pointer."""
    return Parsed(Unknown(what), unsized=what)


def tokenize(spelling: str) -> list[str]:
    """The tokens of a type spelling: words, punctuation, ABI strings."""
    found = []
    position = 0
    spelling = spelling.rstrip()
    while position < len(spelling):
        match = _TOKEN.match(spelling, position)
        if match is None or match.end() == position:
            raise Unparsable
        found.append(match.group(match.lastgroup or "word"))
        position = match.end()
    return found


class Parser:
    """Recursive descent over one type's tokens, depth-bounded."""

    def __init__(self, types: RustTypes, tokens: list[str], depth: int) -> None:
        self._types = types
        self._tokens = tokens
        self._position = 0
        self._depth = depth

    def peek(self) -> str | None:
        return self._tokens[self._position] if self._position < len(self._tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise Unparsable
        self._position += 1
        return token

    def type(self) -> Parsed:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise Unparsable
        try:
            return self._type()
        finally:
            self._depth -= 1

    def _type(self) -> Parsed:
        token = self.take()
        if token == "(":
            if self.peek() == ")":
                self.take()
                return Parsed(Void())
            inner = self.type()
            if self.take() != ")":
                raise Unparsable  # a tuple
            return inner
        if token == "!":
            return Parsed(Void())
        if token == "*":
            constness = self.take()
            if constness not in ("const", "mut"):
                raise Unparsable
            return Parsed(_pointer(self.type(), const=constness == "const"))
        if token == "&":
            const = self.peek() != "mut"
            if not const:
                self.take()
            return Parsed(_pointer(self.type(), const=const), niche=True)
        if token == "[":
            return self._array()
        if token in ("unsafe", "extern", "fn"):
            return self._function_pointer(token)
        if token == "dyn":
            self._skip_bounds()
            return unsized("trait object")
        if token in ("impl", "<"):
            raise Unparsable
        return self._path(token)

    def _array(self) -> Parsed:
        element = self.type()
        token = self.take()
        if token == "]":
            return unsized("slice")
        if token != ";":
            raise Unparsable
        length_tokens = []
        while self.peek() not in ("]", None):
            length_tokens.append(self.take())
        self.take("]")
        length = None
        if len(length_tokens) == 1 and length_tokens[0][0].isdigit():
            digits = re.sub(r"(?:[iu](?:8|16|32|64|128|size))$", "", length_tokens[0])
            length = int(digits.replace("_", ""), 0) if digits.isdigit() else None
        return Parsed(Array(element.type, length))

    def _skip_bounds(self) -> None:
        """Past a trait object's bounds (`Fn(i32) -> u8 + Send`): up to the `,`, `>`,
        `)`, `]` or `;` that closes the type around it."""
        depth = 0
        while (token := self.peek()) is not None:
            if depth == 0 and token in (",", ">", ")", "]", ";"):
                return
            depth += token in ("<", "(", "[")
            depth -= token in (">", ")", "]")
            self.take()

    def _function_pointer(self, token: str) -> Parsed:
        abi = "Rust"
        if token == "unsafe":
            token = self.take()
        if token == "extern":
            abi = "C"
            if self.peek() is not None and self.peek().startswith('"'):  # type: ignore[union-attr]
                abi = self.take().strip('"')
            token = self.take()
        if token != "fn":
            raise Unparsable
        self.take("(")
        params: list[Type] = []
        variadic = False
        while self.peek() != ")":
            if self.peek() == "...":
                self.take()
                variadic = True
            else:
                if self._lookahead(1) == ":" and self._lookahead(2) != ":":
                    self.take()  # a parameter name
                    self.take(":")
                params.append(self.type().type)
            if self.peek() == ",":
                self.take()
        self.take(")")
        returns: Type = Void()
        if self.peek() == "->":
            self.take()
            returns = self.type().type
        if abi not in EXPORT_ABIS:
            raise Unparsable  # a Rust-ABI function pointer has no C equivalent
        return Parsed(Pointer(Function(tuple(params), returns, variadic), False), niche=True)

    def _lookahead(self, offset: int) -> str | None:
        index = self._position + offset
        return self._tokens[index] if index < len(self._tokens) else None

    def _path(self, first: str) -> Parsed:
        name = first
        while self.peek() == "::":
            self.take()
            name = self.take()
        name = name.removeprefix("r#")
        if not (name[0].isalpha() or name[0] == "_"):
            raise Unparsable
        arguments: list[Parsed] = []
        if self.peek() == "<":
            self.take()
            while self.peek() != ">":
                if self.peek() == ",":  # where a lifetime was (`Fd<'a, T>` is `Fd<, T>`)
                    self.take()
                    continue
                arguments.append(self.type())
                if self.peek() == ",":
                    self.take()
            self.take(">")
        if not arguments:
            return self._types.named(name, self._depth)
        if name in _WRAPPERS:
            return _generic(name, arguments)
        return self._types.generic(name, arguments, self._depth)


def _pointer(pointee: Parsed, const: bool) -> Type:
    if pointee.unsized is not None:
        return FatPointer(pointee.unsized)  # `&str`, `&[u8]`, `Box<dyn Trait>`
    if pointee.pointed is not None:
        return Pointer(pointee.pointed, const)
    if isinstance(pointee.type, Unknown):
        return pointee.type
    return Pointer(pointee.type, const)


def _generic(name: str, arguments: list[Parsed]) -> Parsed:
    if len(arguments) != 1:
        raise Unparsable
    (argument,) = arguments
    if name == "Option":
        if not argument.niche:
            raise Unparsable  # `Option<u32>` has no C layout
        return argument
    if name in _POINTER_WRAPPERS:
        return Parsed(_pointer(argument, const=False), niche=True)
    if name == "ManuallyDrop":
        return argument
    raise Unparsable
