"""What the two passes do to one file: index it, check it with the rules, forget
what was derived from it.

The engine (analyzer/engine.py) imports this module only when something has
to be analysed: a run whose findings the cache holds needs none of the
analyzers or rules it brings in.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from msgspec.structs import replace

from interop_lint.analyzer import prefilter
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts, is_binary
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Finding, Notification, NotificationKind, Violation
from interop_lint.analyzer.source import SourceFile

if TYPE_CHECKING:
    from interop_lint.analyzer.index import ProjectIndex
    from interop_lint.rules.registry import Rule

try:  # hashlib's own sha256, without hashlib's OpenSSL start-up (see cache_keys)
    from _sha256 import sha256
except ImportError:  # an interpreter without it
    from hashlib import sha256


_DERIVED = ("tree", "preamble", "lines", "text", "suppressions")
_caches_seen: list[object] = [0, []]  # modules scanned, and the caches found


def _per_file_caches() -> list[weakref.WeakKeyDictionary]:  # type: ignore[type-arg]
    """The analysis modules' caches of what they derive from one file: module-level
    WeakKeyDictionaries keyed by the SourceFile, or by what such a cache holds
    for it (a Go file's model keys its inferences)."""
    if _caches_seen[0] != len(sys.modules):
        found = []
        for name, module in list(sys.modules.items()):
            if name.startswith("interop_lint.") and module is not None:
                found += [
                    value
                    for value in vars(module).values()
                    if isinstance(value, weakref.WeakKeyDictionary)
                ]
        _caches_seen[:] = [len(sys.modules), found]
    return _caches_seen[1]  # type: ignore[return-value]


def release(source: SourceFile) -> None:
    """Forget everything derived from a file (its tree above all), to bound memory.

    A cache's value often holds its key (a model holds its file), so such an
    entry would live as long as the run: it is dropped here, and so are the
    entries keyed by what it held."""
    for derived in _DERIVED:
        source.__dict__.pop(derived, None)
    caches = _per_file_caches()
    released: list[object] = [source]
    for key in released:
        for cache in caches:
            try:
                value = cache.pop(key, None)
            except TypeError:  # not something a weak reference can point to
                break
            if value is not None:
                released.append(value)


def skipped_facts(source: SourceFile) -> FileFacts:
    """The facts of a file the prefilter leaves out: what nothing reads, unparsed."""
    facts = FileFacts(source.path, source.kind, source.digest)
    if is_binary(source):
        return extract_facts(source)  # the notification, and nothing to parse
    if source.kind is FileKind.GO:
        from interop_lint.analyzer.golang.facts import GoFileFacts

        facts.go = GoFileFacts(package=prefilter.go_package_name(source.data), imports_c=False)
    elif source.kind is FileKind.RUST:
        from interop_lint.analyzer.rust.facts import RustFileFacts

        facts.rust = RustFileFacts()
    return facts


def index_file(source: SourceFile) -> FileFacts:
    try:
        return extract_facts(source)
    except Exception as error:  # an extractor bug must not cost the other files
        facts = FileFacts(source.path, source.kind, source.digest)
        facts.notifications.append(
            Notification(
                source.path,
                0,
                NotificationKind.INTERNAL_ERROR,
                f"internal error while indexing: {_describe(error)}",
            )
        )
        return facts


def check_file(
    source: SourceFile, facts: FileFacts, index: ProjectIndex, rules: Sequence[type[Rule]]
) -> tuple[list[Finding], list[Notification]]:
    """Run every rule that reads this kind of file; findings in file order."""
    ctx = RuleContext(source, facts, index)
    ignored_here = index.config.ignored_by_path(source.path)
    findings: list[Finding] = []
    notes: list[Notification] = []
    for rule in rules:
        if source.kind not in rule.file_kinds:
            continue
        if any(prefix == "ALL" or rule.id.startswith(prefix) for prefix in ignored_here):
            continue
        try:
            violations = list(rule().check(ctx))
        except Exception as error:
            notes.append(
                Notification(
                    source.path,
                    0,
                    NotificationKind.RULE_ERROR,
                    f"rule failed on this file: {_describe(error)}",
                    rule.id,
                )
            )
            continue
        for violation in violations:
            if violation.location.path != source.path:
                notes.append(
                    Notification(
                        source.path,
                        0,
                        NotificationKind.INTERNAL_ERROR,
                        f"rule reported a location in another file ({violation.location.path})",
                        rule.id,
                    )
                )
                continue
            findings.append(_finding(rule, violation, source))
    findings.sort(key=lambda f: f.sort_key)
    return _with_fingerprints(findings, source), notes


def _finding(rule: type[Rule], violation: Violation, source: SourceFile) -> Finding:
    return Finding(
        rule_id=rule.id,
        level=violation.level or rule.level,
        message=violation.message,
        location=violation.location,
        related=violation.related,
        suppressed=source.suppressions.covers(rule.id, violation.location.line),
    )


def line_hash(rule_id: str, line_text: str) -> str:
    """A hash of the finding's line without whitespace: moving the line keeps it."""
    normalized = "".join(line_text.split())
    return sha256(f"{rule_id}\0{normalized}".encode()).hexdigest()[:16]


def _with_fingerprints(findings: list[Finding], source: SourceFile) -> list[Finding]:
    """Fingerprint each finding as `hash:n`, n counting equal lines of the same rule."""
    seen: Counter[str] = Counter()
    stamped = []
    for finding in findings:
        digest = line_hash(finding.rule_id, source.lines.line_text(finding.location.line))
        seen[digest] += 1
        stamped.append(replace(finding, fingerprint=f"{digest}:{seen[digest]}"))
    return stamped


def _describe(error: BaseException) -> str:
    import traceback  # for a failing rule only: not worth its import on every run

    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" ({os.path.basename(frame.filename)}:{frame.lineno})" if frame else ""
    return f"{type(error).__name__}: {error}{where}"
