"""Whether a function's name says it frees what it is given, in any language.

GO101 reads it off the C functions a cgo file calls (`names_a_release`:
`C.xmlFreeDoc`), and RS102 off an export (`has_release_word`: `thing_free`) to
tell a release function, which C callers hand NULL as they hand it to `free`,
from one that merely consumes a handle.
"""

from __future__ import annotations

import re

# The words of a function's name that say it frees what it is given.
FREE_WORDS = frozenset({"free", "release", "dealloc", "deallocate", "destroy", "dispose"})
_CAMEL_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")
_PREFIXED_FREE = re.compile(r"[a-z]{1,2}free")


def names_a_release(name: str) -> bool:
    """Of the words of `name` (split at `_` and camel case), a free word (free,
    release, dealloc, destroy, dispose) is the first, the one after a library
    prefix, or the last (`free_string`, `xmlFreeDoc`, `duckdb_free`,
    `lib_string_release`), or the name is a free with a letter or two before it
    (`cfree`, `xfree`); not `lib_set_free_callback`."""
    if _PREFIXED_FREE.fullmatch(name):
        return True
    words = [w.lower() for w in _CAMEL_WORD.findall(name)]
    return any(w in FREE_WORDS for w in (*words[:2], *words[-1:]))


# Rust's and C++'s own words for it, which name exports but rarely C functions.
_RUST_RELEASE_WORDS = FREE_WORDS | {"drop", "delete", "deinit", "finalize"}


def has_release_word(name: str) -> bool:
    """Whether any word of an export's name says it releases (`thing_free`,
    `mapped_hyph_free_dictionary`, `libsql_error_deinit`, `engine_drop`): the
    export already takes a pointer back with `from_raw`, so the word alone
    tells a release function from one that consumes a handle
    (`writer_finish`)."""
    return any(w.lower() in _RUST_RELEASE_WORDS for w in _CAMEL_WORD.findall(name))
