"""What every reporter is given, and the pieces they share."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from msgspec import Struct, field

from interop_lint.analyzer.findings import Finding, Notification, RuleDescription


class Report(Struct, frozen=True):
    """One run, as the reporters see it."""

    root: str  # absolute project root
    findings: Sequence[Finding]  # sorted; suppressed ones included, flagged
    notifications: Sequence[Notification]
    rules: Sequence[RuleDescription]  # the enabled rules, sorted by ID
    version: str
    successful: bool  # every file was read and every rule ran
    files_indexed: int = 0
    # Baseline bookkeeping, for the summary.
    baseline_matched: int = 0
    baseline_stale: int = 0

    @property
    def reported(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]


class Rendered(Struct):
    text: str
    warnings: list[str] = field(default_factory=list)  # for stderr, never the report


# Maps a root-relative path to what the user sees (text output: relative to cwd).
PathStyle = Callable[[str], str]

# Control characters a file name may hold: printed raw, a newline would start a line
# of its own (`::warning ..` is a workflow command in a GitHub Actions log).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """`text` with its control characters escaped (`\\n`, `\\x1b`)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def count_by_level(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.level.value for f in findings)


def plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def count_by_rule(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.rule_id for f in findings)


def statistics_lines(report: Report) -> list[str]:
    """`--statistics`, as ruff prints it: `count<TAB>ID<TAB>name`, by rule ID."""
    counts = count_by_rule(report.reported)
    names = {rule.id: rule.name for rule in report.rules}
    width = max((len(str(n)) for n in counts.values()), default=1)
    return [f"{counts[rule]:>{width}}\t{rule}\t{names.get(rule, '')}" for rule in sorted(counts)]


def baseline_summary(report: Report) -> list[str]:
    """The baseline's part of a summary line: what it accepted, what it no longer finds."""
    parts = []
    if report.baseline_matched:
        parts.append(f"{report.baseline_matched} in the baseline.")
    if report.baseline_stale:
        stale = plural(report.baseline_stale, "baseline entry", "baseline entries")
        parts.append(f"{stale} no longer found (stale).")
    return parts
