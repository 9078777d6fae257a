"""What a run produces: findings, and notifications about the run itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from msgspec import Struct

from interop_lint.analyzer.locations import Location, RelatedLocation


class Level(StrEnum):
    """Severity of a rule, with SARIF's names."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


class Violation(Struct, frozen=True):
    """What a rule reports: where, what, and the evidence. The engine adds the rest."""

    location: Location
    message: str
    related: tuple[RelatedLocation, ...] = ()
    # A lesser variant of the rule's finding (rules.md: XL101's constness
    # mismatch is a warning-level detail); None: the rule's own level.
    level: Level | None = None


class Finding(Struct, frozen=True):
    """A violation of one rule, ready for the reporters."""

    rule_id: str
    level: Level
    message: str
    location: Location
    related: tuple[RelatedLocation, ...] = ()
    # `primaryLocationLineHash`: stable when unrelated lines move (see engine).
    fingerprint: str = ""
    suppressed: bool = False

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule_id, self.message)


class RuleDescription(Struct, frozen=True):
    """A rule's metadata and documentation, as the reporters need it."""

    id: str
    name: str
    level: Level
    summary: str  # one sentence
    documentation: str  # Markdown: What it does / Why is this bad? / Example / Use instead
    tags: tuple[str, ...]  # e.g. "security", "external/cwe/cwe-248"
    precision: str  # very-high, high, medium, low (as CodeQL uses it)
    security_severity: float | None  # 0.0-10.0, for security rules
    help_uri: str


class NotificationKind(StrEnum):
    """Why the run tells the user something. Failures make the exit status 2."""

    READ_ERROR = "read-error"  # a file could not be read: failure
    RULE_ERROR = "rule-error"  # a rule raised on a file: failure
    INTERNAL_ERROR = "internal-error"  # failure
    PARSE_ERROR = "parse-error"  # syntax errors; analysed where it parsed
    MALFORMED = "malformed"  # a manifest (Cargo.toml, go.mod) that is not valid
    SKIPPED = "skipped"  # over the size cap, a symlink out of the root, binary
    CACHE = "cache"  # a corrupt cache entry was ignored
    TRUNCATED = "truncated"  # results cut to fit a consumer's limits

    @property
    def is_failure(self) -> bool:
        return self in _FAILURES


_FAILURES = frozenset(
    {NotificationKind.READ_ERROR, NotificationKind.RULE_ERROR, NotificationKind.INTERNAL_ERROR}
)


@dataclass(frozen=True, slots=True, order=True)
class Notification:
    """Something about the run a user must know: a file skipped, a rule that failed."""

    path: str
    line: int
    kind: NotificationKind = field(compare=False)
    message: str = ""
    rule_id: str = ""

    @property
    def level(self) -> Level:
        return Level.ERROR if self.kind.is_failure else Level.WARNING

    def describe(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f" [{self.rule_id}]" if self.rule_id else ""
        return f"{where}: {self.message}{who}" if where else self.message
