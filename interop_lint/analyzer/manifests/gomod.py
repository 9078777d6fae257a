"""Facts of a go.mod: the module line, requirements and replacements.

go.mod has a small line grammar (golang.org/x/mod/modfile): a directive per
line, or `directive ( ... )` blocks with one entry per line, `//` comments,
and tokens that may be quoted. We read it line by line and keep positions.
"""

from __future__ import annotations

import posixpath
import re

from msgspec import Struct

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Notification, NotificationKind
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.source import SourceFile

_DIRECTIVES = frozenset(
    {
        "module",
        "go",
        "toolchain",
        "godebug",
        "require",
        "exclude",
        "replace",
        "retract",
        "tool",
        "ignore",
    }
)
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|//.*|=>|[()]|[^\s()"`]+')
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]")
_GO_VERSION = re.compile(r"^(\d+)\.(\d+)")


class GoRequire(Struct, frozen=True):
    module: str
    version: str
    location: Location


class GoReplace(Struct, frozen=True):
    old: str  # module path
    old_version: str | None  # the replacement applies to this version only
    new: str  # a module path, or a filesystem path
    new_version: str | None
    location: Location  # the directive's line, or the entry's line in a block

    @property
    def is_local(self) -> bool:
        """The replacement is a directory on disk (modfile.IsDirectoryPath)."""
        new = self.new
        return (
            new.startswith(("./", "../", "/", ".\\", "..\\"))
            or new in (".", "..")
            or bool(_WINDOWS_ABSOLUTE.match(new))
        )


class GoMod(Struct, frozen=True):
    directory: str
    module: str | None
    module_location: Location | None
    requires: tuple[GoRequire, ...]
    replaces: tuple[GoReplace, ...]
    go_version: tuple[int, int] | None = None  # `go 1.15`: the language version

    def predates(self, major: int, minor: int) -> bool:
        """Whether the module's `go` line names a language version before this one."""
        return self.go_version is not None and self.go_version < (major, minor)

    def replaced_locally(self, require: GoRequire) -> bool:
        """Built from a directory: such a module has no checksum in go.sum."""
        return any(
            r.is_local and r.old == require.module and r.old_version in (None, require.version)
            for r in self.replaces
        )


def _tokens(line: str) -> list[str]:
    """The tokens of a go.mod line, quotes removed, without its `//` comment."""
    words = []
    for match in _TOKEN.finditer(line):
        token = match.group()
        if token.startswith("//"):
            break
        if token[0] == '"':
            token = token[1:-1].replace('\\"', '"')
        elif token[0] == "`":
            token = token[1:-1]
        words.append(token)
    return words


def extract_go_mod(source: SourceFile, facts: FileFacts) -> None:
    module: str | None = None
    module_location: Location | None = None
    requires: list[GoRequire] = []
    replaces: list[GoReplace] = []
    block: str | None = None
    go_version: tuple[int, int] | None = None
    for number, raw in enumerate(source.text.splitlines(), start=1):
        words = _tokens(raw)
        if not words:
            continue
        if block is not None:
            if words == [")"]:
                block = None
                continue
            verb, args = block, words
        else:
            verb, args = words[0], words[1:]
            if verb not in _DIRECTIVES:
                facts.notifications.append(
                    Notification(
                        source.path,
                        number,
                        NotificationKind.MALFORMED,
                        f"go.mod: unknown directive `{verb}`",
                    )
                )
                continue
            if args == ["("]:
                block = verb
                continue
            if args == ["(", ")"]:
                continue  # `require ()`: an empty block
        location = source.lines.line_location(number)
        if verb == "module" and args:
            module, module_location = args[0], location
        elif verb == "go" and args and (version := _GO_VERSION.match(args[0])):
            go_version = (int(version.group(1)), int(version.group(2)))
        elif verb == "require" and len(args) >= 2:
            requires.append(GoRequire(args[0], args[1], location))
        elif verb == "replace" and "=>" in args:
            arrow = args.index("=>")
            old, new = args[:arrow], args[arrow + 1 :]
            if old and new:
                replaces.append(
                    GoReplace(
                        old[0],
                        old[1] if len(old) > 1 else None,
                        new[0],
                        new[1] if len(new) > 1 else None,
                        location,
                    )
                )
    if block is not None:
        facts.notifications.append(
            Notification(
                source.path,
                0,
                NotificationKind.MALFORMED,
                f"go.mod: `{block} (` block is never closed",
            )
        )
    facts.gomod = GoMod(
        directory=posixpath.dirname(source.path),
        module=module,
        module_location=module_location,
        requires=tuple(requires),
        replaces=tuple(replaces),
        go_version=go_version,
    )
