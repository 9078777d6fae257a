"""The Rust names behind a C type name, as cbindgen writes them.

cbindgen names a Rust type in C by its name, after `[export.rename]` and
`[export] prefix` (manifests.cbindgen), and an instance of a generic struct
by *mangling*: the struct's name, then each argument's, with separators
(`_` by default; none with `remove_underscores`):

    CResult<c_char>          CResult_c_char
    Pair<i32, Point>         Pair_i32__Point        (`__` between arguments)
    Foo<Bar<T>, E>           Foo_Bar_T_____E        (`___` closes a nested list
                                                     that is not last, then `__`)
    Foo<*mut T>, <*const T>  Foo_____T, Foo______T  (4 and 5 separators)

and prefixes the whole mangled name (`polar_CResult_c_char`). Arguments are
written with the names cbindgen had for them, with or without the prefix
depending on its version: both are read.

`CNames.rust_spellings` reads a C name back into Rust spellings
(`polar_CResult_c_char` -> `CResult<c_char>`), which the Rust side's model
turns into its own names. A C name is read only as far as the crate's names
(its structs, enums, included types), the primitives and, for an instance's
last argument, any identifier allow; what does not parse stays the C name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from interop_lint.analyzer.manifests.cbindgen import CbindgenConfig
from interop_lint.analyzer.typesys.rust import PRIMITIVES

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_PARSES = 16  # readings of one name kept (a name is short; this bounds the search)
_OPEN, _COMMA, _CLOSE, _MUT, _CONST = 1, 2, 3, 4, 5  # separators, as cbindgen counts them


class CNames:
    """How one crate's Rust type names are spelled in C."""

    def __init__(
        self,
        config: CbindgenConfig | None,
        type_names: Iterable[str],
        generics: dict[str, int],
    ) -> None:
        self.config = config
        self.prefix = config.prefix if config is not None else ""
        self._separator = config.mangle_separator if config is not None else "_"
        self._mangled = config is None or not config.mangle_recases
        self._generics = generics  # generic struct -> its number of parameters
        renames = dict(config.rename) if config is not None else {}
        overrides = config is not None and config.renaming_overrides_prefixing
        # C name -> Rust name, for the renamed ones.
        self._renamed = {(c if overrides else self.prefix + c): rust for rust, c in renames.items()}
        # Names an argument of an instance may be written as -> the Rust name.
        words: dict[str, str] = {name: name for name in PRIMITIVES}
        for name in (*type_names, *generics, *(config.include if config else ())):
            words.setdefault(name, name)
            words.setdefault(self.c_name(name), name)
            words.setdefault(renames.get(name, name), name)
        self._words = sorted(words.items(), key=lambda item: -len(item[0]))
        self.rust_spellings = lru_cache(maxsize=None)(self._rust_spellings)

    def c_name(self, rust: str) -> str:
        """The C name cbindgen gives a Rust type of this name (not an instance)."""
        config = self.config
        if config is None:
            return rust
        renamed = dict(config.rename).get(rust)
        if renamed is not None and config.renaming_overrides_prefixing:
            return renamed
        return self.prefix + (renamed or rust)

    def unprefixed(self, c_name: str) -> str | None:
        """The Rust-side name (maybe a mangled instance) a C name is cbindgen's spelling
        of, by the prefix and renames; None when it is none (it lacks the prefix)."""
        renamed = self._renamed.get(c_name)
        if renamed is not None:
            return renamed
        if not self.prefix:
            return c_name
        if c_name.startswith(self.prefix) and _IDENTIFIER.fullmatch(c_name[len(self.prefix) :]):
            return c_name[len(self.prefix) :]
        return None

    def _rust_spellings(self, c_name: str) -> tuple[str, ...]:
        """The Rust spellings a C type name may stand for, most likely first:
        `polar_Query` -> (`Query`,), `CResult_c_void` -> (`CResult<c_void>`, ..)."""
        name = self.unprefixed(c_name)
        if name is None:
            return ()
        found = [name]
        if self._mangled:
            for base, count in self._generics.items():
                opening = base + self._separator * _OPEN
                if name.startswith(opening) and len(name) > len(opening):
                    start = len(opening)
                    for arguments, end in self._arguments(name, start, count, last=True):
                        if end == len(name):
                            found.append(f"{base}<{', '.join(arguments)}>")
        return tuple(dict.fromkeys(found))

    # -- demangling ---------------------------------------------------------------------

    def _arguments(
        self, text: str, start: int, count: int, last: bool
    ) -> list[tuple[list[str], int]]:
        """Readings of `count` arguments from `start`: (their spellings, where they end)."""
        readings: list[tuple[list[str], int]] = [([], start)]
        for position in range(count):
            final = last and position == count - 1
            following = []
            for done, at in readings:
                if position:
                    if not text.startswith(self._separator * _COMMA, at):
                        continue
                    at += len(self._separator) * _COMMA
                for spelled, end in self._type(text, at, final):
                    following.append(([*done, spelled], end))
            readings = following[:_MAX_PARSES]
        return readings

    def _type(self, text: str, at: int, last: bool) -> list[tuple[str, int]]:
        """Readings of one argument at `at`: (its Rust spelling, where it ends)."""
        separator = self._separator
        found: list[tuple[str, int]] = []
        if separator:
            for count, pointer in ((_CONST, "*const "), (_MUT, "*mut ")):
                if text.startswith(separator * count, at):
                    inner = at + len(separator) * count
                    found += [(pointer + t, end) for t, end in self._type(text, inner, last)]
                    break  # five separators are never four and a name starting with one
        for word, rust in self._words:
            if not text.startswith(word, at):
                continue
            end = at + len(word)
            count = self._generics.get(rust)
            if count and text.startswith(separator * _OPEN, end):
                inner = end + len(separator) * _OPEN
                for arguments, after in self._arguments(text, inner, count, last):
                    if not last:
                        if not text.startswith(separator * _CLOSE, after):
                            continue
                        after += len(separator) * _CLOSE
                    found.append((f"{rust}<{', '.join(arguments)}>", after))
            found.append((rust, end))
        if last and all(end != len(text) for _, end in found):
            match = _IDENTIFIER.match(text, at)  # a name the crate does not declare
            if match is not None and match.end() == len(text):
                found.append((match.group(), match.end()))
        return found[:_MAX_PARSES]
