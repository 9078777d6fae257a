"""The two passes: index every file of the root, then check each with the rules.

1. Index: discover the files, read and parse each once, extract its facts.
2. Check: every enabled rule gets each file of a kind it reads, with the
   index, and yields violations. The engine turns them into findings:
   suppressions, per-file ignores, fingerprints, the report scope, order.

A failure is contained to its file: an unreadable file, an extractor or a
rule that raises becomes a notification and the run goes on.
"""

from __future__ import annotations

import hashlib
import os
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import discover
from interop_lint.analyzer.extract import extract_facts, is_binary
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Finding, Notification, NotificationKind, Violation
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import Rule

# Told how far a pass has got: (phase, files done, files in the pass), phase
# "index" or "check". The engine never prints; the command line decides.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunOptions:
    root: str  # absolute
    config: Config
    rules: Sequence[type[Rule]]  # the enabled rules
    # What is reported: paths relative to the root, files or directories ("" = all).
    scope: tuple[str, ...] = ("",)
    jobs: int = 1
    progress: ProgressCallback | None = None


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)  # suppressed ones included
    notifications: list[Notification] = field(default_factory=list)
    files_indexed: int = 0

    @property
    def failed(self) -> bool:
        """Something could not be analysed: a read error, a rule or internal error."""
        return any(n.kind.is_failure for n in self.notifications)

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]


def in_scope(path: str, scope: Iterable[str]) -> bool:
    return any(not p or path == p or path.startswith(p + "/") for p in scope)


def is_reported(finding: Finding, scope: Iterable[str], cross_language: bool) -> bool:
    """Changed-files mode: the primary location is in scope, or, for a
    cross-language rule, any related one (the other side of the boundary)."""
    if in_scope(finding.location.path, scope):
        return True
    return cross_language and any(in_scope(r.location.path, scope) for r in finding.related)


def _no_progress(phase: str, done: int, total: int) -> None:
    pass


def run(options: RunOptions) -> RunResult:
    result = RunResult()
    progress = options.progress or _no_progress
    discovery = discover(options.root, options.config.exclude, options.config.max_file_size)
    result.notifications.extend(discovery.notifications)
    sources: list[SourceFile] = []
    all_facts: list[FileFacts] = []
    for done, found in enumerate(discovery.files, start=1):
        progress("index", done, len(discovery.files))
        try:
            source = SourceFile.read(options.root, found.path, found.kind)
        except OSError as error:
            result.notifications.append(
                Notification(
                    found.path,
                    0,
                    NotificationKind.READ_ERROR,
                    f"cannot read: {error.strerror or error}",
                )
            )
            continue
        facts = _index_file(source)
        result.notifications.extend(facts.notifications)
        sources.append(source)
        all_facts.append(facts)
    result.files_indexed = len(sources)
    index = ProjectIndex(options.root, all_facts, options.config)
    # Outside the scope only a cross-language rule can report something (through
    # a related location in scope), so the other rules are not run there at all.
    cross_ids = {rule.id for rule in options.rules if rule.cross_language}
    cross_rules = [rule for rule in options.rules if rule.cross_language]
    for done, (source, facts) in enumerate(zip(sources, all_facts, strict=True), start=1):
        progress("check", done, len(sources))
        if is_binary(source):
            continue
        rules = options.rules if in_scope(source.path, options.scope) else cross_rules
        if not rules:
            continue
        findings, notes = check_file(source, facts, index, rules)
        result.findings.extend(
            f for f in findings if is_reported(f, options.scope, f.rule_id in cross_ids)
        )
        result.notifications.extend(notes)
    result.findings.sort(key=lambda f: f.sort_key)
    result.notifications = sorted(
        {n for n in result.notifications if _is_notified(n, options.scope)}
    )
    return result


def _is_notified(note: Notification, scope: tuple[str, ...]) -> bool:
    """Warnings about files outside the scope (a syntax error elsewhere) are noise
    in changed-files mode; failures are kept: they mean the index is incomplete."""
    return note.kind.is_failure or not note.path or in_scope(note.path, scope)


def _index_file(source: SourceFile) -> FileFacts:
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
        if any(rule.id.startswith(prefix) for prefix in ignored_here):
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
    return hashlib.sha256(f"{rule_id}\0{normalized}".encode()).hexdigest()[:16]


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
    frame = traceback.extract_tb(error.__traceback__)[-1] if error.__traceback__ else None
    where = f" ({os.path.basename(frame.filename)}:{frame.lineno})" if frame else ""
    return f"{type(error).__name__}: {error}{where}"
