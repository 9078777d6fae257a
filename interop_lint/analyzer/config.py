"""Configuration: `.interop-lint.toml`, or `[tool.interop-lint]` in pyproject.toml.

Every key is checked: an unknown key or a value of the wrong type is a
`ConfigError` naming the file and the key, which the CLI turns into one line
on stderr and exit status 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from msgspec import Struct, field
from msgspec.structs import fields

from interop_lint.analyzer.cache_keys import blake2b

if TYPE_CHECKING:
    import pathspec

CONFIG_FILE = ".interop-lint.toml"
DEFAULT_MAX_FILE_SIZE = 4 * 1024 * 1024


class ConfigError(Exception):
    """A configuration (file or command line) that cannot be used."""


class Config(Struct, frozen=True):
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # RS101: functions or macros that count as a panic guard, by name or path suffix.
    panic_guards: tuple[str, ...] = ()
    # GO101: Go functions that free C memory, and functions that take ownership of it.
    free_functions: tuple[str, ...] = ()
    ownership_taking: tuple[str, ...] = ()
    # XL rules: which headers are the contract (default: every .h file).
    header_globs: tuple[str, ...] = ()
    # RS103/RS108: also honour clippy's switches for the lints they are
    # (`#![allow(clippy::missing_safety_doc)]`); off by default, as ruff and clippy
    # honour only their own suppressions.
    follow_clippy_allows: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    source: str = ""  # the file it came from, for messages

    def digest(self) -> str:
        """A stable hash of everything that can change a result (for the cache)."""
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "source"}
        encoded = json.dumps(data, sort_keys=True, default=list).encode()
        return blake2b(encoded, digest_size=8).hexdigest()

    def ignored_by_path(self, path: str) -> frozenset[str]:
        """The rule prefixes `per-file-ignores` turns off for `path`."""
        return _per_file_matcher(tuple(self.per_file_ignores.items())).get(path)

    def header_in_contract(self, path: str) -> bool:
        if not self.header_globs:
            return True
        return _glob_spec(self.header_globs).match_file(path)


@cache
def _glob_spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    import pathspec  # not for a run that finds its findings in the cache

    return pathspec.GitIgnoreSpec.from_lines(globs)


class _PerFileMatcher:
    def __init__(self, items: tuple[tuple[str, tuple[str, ...]], ...]) -> None:
        self._specs = [(_glob_spec((glob,)), ids) for glob, ids in items]
        self._cache: dict[str, frozenset[str]] = {}

    def get(self, path: str) -> frozenset[str]:
        found = self._cache.get(path)
        if found is None:
            found = frozenset(
                rule for spec, ids in self._specs if spec.match_file(path) for rule in ids
            )
            self._cache[path] = found
        return found


_MATCHERS: dict[tuple[tuple[str, tuple[str, ...]], ...], _PerFileMatcher] = {}


def _per_file_matcher(items: tuple[tuple[str, tuple[str, ...]], ...]) -> _PerFileMatcher:
    matcher = _MATCHERS.get(items)
    if matcher is None:
        matcher = _MATCHERS[items] = _PerFileMatcher(items)
    return matcher


_LIST_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "exclude": "exclude",
    "panic-guards": "panic_guards",
    "free-functions": "free_functions",
    "ownership-taking": "ownership_taking",
    "header-globs": "header_globs",
}


def _string_list(value: Any, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: `{key}` must be a list of strings")
    if "" in value:
        raise ConfigError(f"{source}: `{key}` holds an empty string")
    return tuple(value)


# The keys whose strings are gitignore-style globs.
_GLOB_KEYS = frozenset({"exclude", "header-globs"})


def _check_globs(globs: Iterable[str], key: str, source: str) -> None:
    """A ConfigError for a glob pathspec cannot read (git would skip it: the user
    would see nothing excluded, and not why)."""
    import pathspec  # only for a config that has globs

    for glob in globs:
        try:
            pathspec.GitIgnoreSpec.from_lines([glob])
        except ValueError:
            raise ConfigError(f"{source}: `{key}` holds an invalid glob `{glob}`") from None


def config_from_mapping(data: Mapping[str, Any], source: str) -> Config:
    """Validate a parsed TOML table into a Config."""
    values: dict[str, Any] = {"source": source}
    for key, value in data.items():
        if key in _LIST_KEYS:
            values[_LIST_KEYS[key]] = _string_list(value, key, source)
            if key in _GLOB_KEYS:
                _check_globs(values[_LIST_KEYS[key]], key, source)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: `per-file-ignores` must be a table of glob = [IDs]")
            _check_globs(value, "per-file-ignores", source)
            values["per_file_ignores"] = {  # matched as `select`/`ignore` are: `rs1` is RS1
                glob: tuple(
                    i.strip().upper() for i in _string_list(ids, f"per-file-ignores.{glob}", source)
                )
                for glob, ids in value.items()
            }
        elif key == "follow-clippy-allows":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: `follow-clippy-allows` must be true or false")
            values["follow_clippy_allows"] = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"{source}: `max-file-size` must be a number of bytes (>= 0)")
            values["max_file_size"] = value
        else:
            others = ("per-file-ignores", "max-file-size", "follow-clippy-allows")
            known = ", ".join(sorted([*_LIST_KEYS, *others]))
            raise ConfigError(f"{source}: unknown key `{key}` (known keys: {known})")
    return Config(**values)


def _read_toml(path: str, shown: str) -> dict[str, Any]:
    import tomllib  # only when there is a file to read: most runs have none

    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except OSError as error:
        raise ConfigError(f"{shown}: cannot read: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{shown}: invalid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: invalid TOML: not UTF-8 text") from None
    except RecursionError:
        raise ConfigError(f"{shown}: invalid TOML: nested too deeply") from None


def load_config(root: str, explicit: str | None = None) -> Config:
    """The configuration for a run: `--config FILE`, else the root's files, else defaults."""
    if explicit is not None:
        shown = explicit
        data = _read_toml(explicit, shown)
        if os.path.basename(explicit) == "pyproject.toml":
            data = _tool_table(data, shown)
        return config_from_mapping(data, shown)
    own = os.path.join(root, CONFIG_FILE)
    if os.path.isfile(own):
        return config_from_mapping(_read_toml(own, CONFIG_FILE), CONFIG_FILE)
    pyproject = os.path.join(root, "pyproject.toml")
    if os.path.isfile(pyproject):
        table = _tool_table(_read_toml(pyproject, "pyproject.toml"), "pyproject.toml")
        if table:
            return config_from_mapping(table, "pyproject.toml")
    return Config()


def _tool_table(data: dict[str, Any], shown: str) -> dict[str, Any]:
    tools = data.get("tool", {})
    table = tools.get("interop-lint", {}) if isinstance(tools, dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{shown}: `[tool.interop-lint]` must be a table")
    return table


def resolve_selection(
    rule_ids: Iterable[str], select: Iterable[str], ignore: Iterable[str]
) -> frozenset[str]:
    """The enabled rules: the most specific matching selector wins, as in ruff.

    `select = ["RS"]`, `ignore = ["RS101"]` enables RS102..RS108;
    `select = ["RS101"]`, `ignore = ["RS"]` enables RS101 alone. An ignore
    wins a tie. A selector that matches no rule is a ConfigError.
    """
    ids = sorted(rule_ids)
    selectors = [("select", s.strip().upper()) for s in select if s.strip()]
    selectors += [("ignore", s.strip().upper()) for s in ignore if s.strip()]
    check_prefixes(ids, (prefix for _, prefix in selectors))
    enabled = set()
    for rule in ids:
        best_select = max(
            (_specificity(p) for kind, p in selectors if kind == "select" and _matches(p, rule)),
            default=-1,
        )
        best_ignore = max(
            (_specificity(p) for kind, p in selectors if kind == "ignore" and _matches(p, rule)),
            default=-1,
        )
        if best_select > best_ignore:
            enabled.add(rule)
    return frozenset(enabled)


def check_prefixes(rule_ids: Iterable[str], prefixes: Iterable[str]) -> None:
    """A ConfigError for the first prefix that names no rule (a typo would turn
    nothing on, or nothing off, without a word)."""
    ids = tuple(rule_ids)
    for prefix in prefixes:
        wanted = prefix.strip().upper()
        if wanted != "ALL" and not any(rule.startswith(wanted) for rule in ids):
            raise ConfigError(f"unknown rule or prefix `{prefix.strip()}`")


def _matches(prefix: str, rule: str) -> bool:
    return prefix == "ALL" or rule.startswith(prefix)


def _specificity(prefix: str) -> int:
    return 0 if prefix == "ALL" else len(prefix)


def split_ids(value: str | None) -> tuple[str, ...]:
    """`--select RS,GO101` into its parts."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())
