"""Every rule's metadata without importing the rule modules.

A run whose findings the cache already holds needs only the rules' IDs,
names and descriptions: importing the rules (and the analyzers they import)
would be most of its time. `_catalogue.py` holds that metadata, generated
from the rule classes by `python -m interop_lint.rules.docs` (as clippy's
`declared_lints.rs` is by `cargo dev update_lints`); tests/test_docs.py
fails when it is stale. A `RuleEntry` imports its class only when the rule
has to run.
"""

from __future__ import annotations

import importlib
import pprint
from functools import cache
from typing import TYPE_CHECKING

import msgspec.structs
from msgspec import Struct

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, RuleDescription

if TYPE_CHECKING:
    from interop_lint.rules.registry import Rule

GENERATED = "interop_lint/rules/_catalogue.py"


class RuleEntry(Struct, frozen=True):
    """A rule as the catalogue knows it: what a run needs before checking anything."""

    id: str
    module: str
    qualname: str
    cross_language: bool
    file_kinds: frozenset[FileKind]
    description: RuleDescription

    @property
    def name(self) -> str:
        return self.description.name

    @property
    def key(self) -> str:
        """What a cached result was made with: the ID and the code that checks it."""
        return f"{self.id}={self.module}.{self.qualname}"

    def describe(self) -> RuleDescription:
        return self.description

    def load(self) -> type[Rule]:
        """The rule's class (its module imported now)."""
        return getattr(importlib.import_module(self.module), self.qualname)  # type: ignore[no-any-return]


def rule_key(rule: type[Rule] | RuleEntry) -> str:
    """A rule's key (see RuleEntry.key), from its entry or its class."""
    if isinstance(rule, RuleEntry):
        return rule.key
    return f"{rule.id}={rule.__module__}.{rule.__qualname__}"


def rule_class(rule: type[Rule] | RuleEntry) -> type[Rule]:
    return rule.load() if isinstance(rule, RuleEntry) else rule


def entry_of(rule: type[Rule]) -> RuleEntry:
    return RuleEntry(
        id=rule.id,
        module=rule.__module__,
        qualname=rule.__qualname__,
        cross_language=rule.cross_language,
        file_kinds=frozenset(rule.file_kinds),
        description=rule.describe(),
    )


@cache
def catalogue() -> tuple[RuleEntry, ...]:
    """Every rule, sorted by ID, from the generated table."""
    from interop_lint.rules._catalogue import RULES

    entries = []
    for row in RULES:
        fields = dict(row)
        described = dict(fields.pop("description"))
        described["level"] = Level(described["level"])
        described["tags"] = tuple(described["tags"])
        entries.append(
            RuleEntry(
                id=fields["id"],
                module=fields["module"],
                qualname=fields["qualname"],
                cross_language=fields["cross_language"],
                file_kinds=frozenset(FileKind(k) for k in fields["file_kinds"]),
                description=RuleDescription(**described),
            )
        )
    return tuple(entries)


def render_catalogue(rules: tuple[type[Rule], ...]) -> str:
    """The source of `_catalogue.py` for these rule classes."""
    rows = []
    for rule in rules:
        entry = entry_of(rule)
        description = msgspec.structs.asdict(entry.description)
        description["level"] = entry.description.level.value
        description["tags"] = list(entry.description.tags)
        rows.append(
            {
                "id": entry.id,
                "module": entry.module,
                "qualname": entry.qualname,
                "cross_language": entry.cross_language,
                "file_kinds": sorted(kind.value for kind in entry.file_kinds),
                "description": description,
            }
        )
    body = pprint.pformat(rows, indent=1, width=100, sort_dicts=True)
    return (
        '"""Generated from the rule classes by `python -m interop_lint.rules.docs`."""\n'
        "\n"
        "# fmt: off\n"
        f"RULES = {body}\n"
    )
