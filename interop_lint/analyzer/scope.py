"""Changed-files mode: which files a run checks with which rules, and which of
their findings it reports.

A run over the root checks every file that can matter with every rule. When
the paths named are narrower, the named files get every rule; outside them
only a cross-language rule can report something, through a related location
in scope, so the XL rules run only on the files the index links to the named
ones (analyzer/linked.py) and other cross-language rules on every file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interop_lint.analyzer.findings import Finding

if TYPE_CHECKING:
    from interop_lint.analyzer.facts import FileFacts
    from interop_lint.analyzer.index import ProjectIndex
    from interop_lint.analyzer.source import SourceFile
    from interop_lint.rules.registry import Rule

# The XL rules relate a file only to what the index links it to (analyzer/linked.py).
_LINKED_RULES = "interop_lint.rules.cross."


def in_scope(path: str, scope: Iterable[str]) -> bool:
    return any(not p or path == p or path.startswith(p + "/") for p in scope)


def is_reported(finding: Finding, scope: Iterable[str], cross_language: bool) -> bool:
    """Changed-files mode: the primary location is in scope, or, for a
    cross-language rule, any related one (the other side of the boundary)."""
    if in_scope(finding.location.path, scope):
        return True
    return cross_language and any(in_scope(r.location.path, scope) for r in finding.related)


@dataclass
class Work:
    """A file to check, and with which rules."""

    source: SourceFile
    facts: FileFacts
    rules: tuple[type[Rule], ...]


def plan_checks(
    sources: Sequence[SourceFile],
    all_facts: Sequence[FileFacts],
    analysed: frozenset[str],
    index: ProjectIndex,
    rules: tuple[type[Rule], ...],
    scope: tuple[str, ...],
) -> list[Work]:
    """Which files to check with which rules (`scope` holds "" for the whole root)."""
    from interop_lint.analyzer.one_file import is_binary

    everything = "" in scope
    outside_everywhere = tuple(
        r for r in rules if r.cross_language and not r.__module__.startswith(_LINKED_RULES)
    )
    outside_linked = tuple(
        r for r in rules if r.cross_language and r.__module__.startswith(_LINKED_RULES)
    )
    linked: set[str] = set()
    if not everything and outside_linked:
        from interop_lint.analyzer.linked import linked_to_scope

        candidates = [s.path for s in sources if s.path in analysed and not in_scope(s.path, scope)]
        linked = linked_to_scope(index, candidates, lambda p: in_scope(p, scope))
    work = []
    for source, facts in zip(sources, all_facts, strict=True):
        if source.path not in analysed or is_binary(source):
            continue
        if everything or in_scope(source.path, scope):
            chosen = rules
        elif source.path in linked:
            chosen = outside_everywhere + outside_linked
        else:
            chosen = outside_everywhere
        chosen = tuple(r for r in chosen if source.kind in r.file_kinds)
        if chosen:
            work.append(Work(source, facts, chosen))
    return work
