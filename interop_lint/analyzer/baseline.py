"""Baselines: the findings a project has accepted, so only new ones are reported.

A baseline is a JSON file of entries keyed on (rule, path, fingerprint). The
fingerprint is the finding's `primaryLocationLineHash` (a hash of its line's
text, see the engine), so an entry still matches after unrelated lines are
inserted above it; the line and message are kept for the humans who read it.

Matching is a multiset: each entry accepts one finding, so two equal findings
against one entry leave one new. Entries that match nothing are stale, but
only where this run could have found them again (a path in scope, a rule
that ran): the caller says which with `judged`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from msgspec import Struct, field

from interop_lint.analyzer.findings import Finding

BASELINE_VERSION = 1

BaselineKey = tuple[str, str, str]  # (rule, path, fingerprint)


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not a baseline."""


class BaselineEntry(Struct, frozen=True):
    rule: str
    path: str  # relative to the project root
    fingerprint: str
    line: int = 0  # informative only: lines move
    message: str = ""  # informative only

    @property
    def key(self) -> BaselineKey:
        return (self.rule, self.path, self.fingerprint)


def finding_key(finding: Finding) -> BaselineKey:
    return (finding.rule_id, finding.location.path, finding.fingerprint)


class BaselineOutcome(Struct):
    findings: list[Finding]  # what is left to report (suppressed ones kept, flagged)
    matched: int = 0
    stale: list[BaselineEntry] = field(default_factory=list)


def apply_baseline(
    findings: Iterable[Finding],
    entries: Sequence[BaselineEntry],
    judged: Callable[[BaselineEntry], bool] = lambda entry: True,
) -> BaselineOutcome:
    """Drop the findings the baseline accepts; count what it no longer finds."""
    remaining: Counter[BaselineKey] = Counter(entry.key for entry in entries)
    outcome = BaselineOutcome(findings=[])
    for finding in findings:
        key = finding_key(finding)
        # Suppressed findings are out of every report already: they neither
        # use up an entry nor become new.
        if not finding.suppressed and remaining[key] > 0:
            remaining[key] -= 1
            outcome.matched += 1
            continue
        outcome.findings.append(finding)
    for entry in entries:
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
            if judged(entry):
                outcome.stale.append(entry)
    return outcome


def entries_from(findings: Iterable[Finding]) -> list[BaselineEntry]:
    return [
        BaselineEntry(f.rule_id, f.location.path, f.fingerprint, f.location.line, f.message)
        for f in findings
        if not f.suppressed
    ]


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline file for these findings: sorted, stable, diff-friendly."""
    entries = sorted(entries_from(findings), key=lambda e: (e.path, e.line, e.rule, e.key))
    document = {
        "version": BASELINE_VERSION,
        "tool": "interop-lint",
        "entries": [
            {
                "rule": e.rule,
                "path": e.path,
                "fingerprint": e.fingerprint,
                "line": e.line,
                "message": e.message,
            }
            for e in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str) -> list[BaselineEntry]:
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        raise BaselineError("no such file (write one with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise BaselineError(f"cannot read: {reason}") from None
    return parse_baseline(text)


def parse_baseline(text: str) -> list[BaselineEntry]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"not valid JSON: {error.msg} (line {error.lineno})") from None
    if not isinstance(document, dict) or "entries" not in document:
        raise BaselineError("not an interop-lint baseline (no `entries`)")
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise BaselineError(f"unsupported baseline version {version!r} (expected 1)")
    raw_entries = document["entries"]
    if not isinstance(raw_entries, list):
        raise BaselineError("`entries` must be a list")
    return [_entry(number, raw) for number, raw in enumerate(raw_entries, start=1)]


def _entry(number: int, raw: Any) -> BaselineEntry:
    if not isinstance(raw, dict):
        raise BaselineError(f"entry {number} is not an object")
    for key in ("rule", "path", "fingerprint"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise BaselineError(f"entry {number}: `{key}` must be a non-empty string")
    line = raw.get("line", 0)
    message = raw.get("message", "")
    return BaselineEntry(
        raw["rule"],
        raw["path"],
        raw["fingerprint"],
        line if isinstance(line, int) else 0,
        message if isinstance(message, str) else "",
    )
