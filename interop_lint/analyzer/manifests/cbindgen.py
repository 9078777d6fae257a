"""Facts of a crate's `cbindgen.toml`: how the crate's names appear in its C header.

Only what changes a type's name (cbindgen never renames functions: a
function's C name is its symbol):

- `[export] prefix = "polar_"`: every exported type is `polar_<name>`;
- `[export.rename]`: `"Query" = "PolarQuery"`, applied before the prefix
  (instead of it with `renaming_overrides_prefixing = true`);
- `[export.mangle]`: how a generic instance is named, `CResult<c_char>` as
  `CResult_c_char` by default; `remove_underscores = true` drops the `_`,
  and a `rename_types` rule recases the parts (not followed: such names
  are left unread);
- `[export] include`: types exported though no function uses them, so
  types of the Rust side even when the crate imports them;
- `[export] exclude`: items (functions among them) cbindgen leaves out of
  the header, so a header without them has not drifted (XL104).

The file is read next to the crate's Cargo.toml (where cbindgen's build
script or command line finds it); `typesys.cbindgen` maps the names.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any

from msgspec import Struct

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.manifests.toml_lines import load_toml
from interop_lint.analyzer.source import SourceFile


class CbindgenConfig(Struct, frozen=True):
    directory: str  # of the cbindgen.toml (the crate's, when next to its Cargo.toml)
    prefix: str = ""  # `[export] prefix`
    rename: tuple[tuple[str, str], ...] = ()  # `[export.rename]`: (Rust name, C name)
    renaming_overrides_prefixing: bool = False
    include: tuple[str, ...] = ()  # `[export] include`
    exclude: tuple[str, ...] = ()  # `[export] exclude`
    mangle_separator: str = "_"  # "" with `[export.mangle] remove_underscores = true`
    # `[export.mangle] rename_types` recases the parts of instance names.
    mangle_recases: bool = False
    language: str = "C"  # `language`: "C", "C++", "Cython"


def extract_cbindgen(source: SourceFile, facts: FileFacts) -> None:
    data = load_toml(source, facts, "cbindgen.toml")
    if data is None:
        return
    export = _table(data.get("export"))
    mangle = _table(export.get("mangle"))
    rename = _table(export.get("rename"))
    recase = mangle.get("rename_types")
    facts.cbindgen = CbindgenConfig(
        directory=posixpath.dirname(source.path),
        prefix=_string(export.get("prefix")),
        rename=tuple(
            (rust, c) for rust, c in sorted(rename.items()) if isinstance(c, str) and c and rust
        ),
        renaming_overrides_prefixing=export.get("renaming_overrides_prefixing") is True,
        include=_names(export.get("include")),
        exclude=_names(export.get("exclude")),
        mangle_separator="" if mangle.get("remove_underscores") is True else "_",
        mangle_recases=isinstance(recase, str) and recase.lower() not in ("", "none"),
        language=_string(data.get("language")) or "C",
    )


def _table(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(value: Any) -> tuple[str, ...]:
    return tuple(n for n in _list(value) if isinstance(n, str))


def _string(value: Any) -> str:
    return value if isinstance(value, str) else ""
