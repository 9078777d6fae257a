"""## What it does
Checks `#cgo` directives (`CFLAGS`, `LDFLAGS`, `CPPFLAGS`, ...) in cgo
preambles for absolute paths that are not under `${SRCDIR}`:
`-L/opt/engine/lib`, `-I/home/me/engine/include`, `-Wl,-rpath,/opt/x`, or a
bare `/opt/x/libengine.a`.

The standard directories of a platform's package manager are not one
machine's layout and are left alone: `/usr/include`, `/usr/lib`,
`/usr/local/include`, `/usr/local/lib`, Homebrew's `/opt/homebrew/include`
and `/opt/homebrew/lib`, MacPorts' `/opt/local/...`, pkgsrc's `/usr/pkg/...`,
Raspberry Pi OS's `/opt/vc/include` and `/opt/vc/lib` (the directories
themselves and the library files directly in them, such as
`/usr/local/lib/libz.a`; not a project's folder below them).

## Why is this bad?
The build then depends on one machine's layout: it works where the Rust
library happened to be installed there and fails, or silently links a
different library, everywhere else. `${SRCDIR}` (the directory of the Go
file) makes the path relative to the checkout.

## Example
```go
// #cgo LDFLAGS: -L/home/ci/engine/target/release -lengine
import "C"
```

## Use instead
```go
// #cgo LDFLAGS: -L${SRCDIR}/../engine/target/release -lengine
import "C"
```
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from functools import lru_cache

from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, Violation
from interop_lint.rules.registry import Rule

# Flags whose argument is a path, attached (`-I/x`) or as the next word (`-I /x`).
_PATH_FLAGS = (
    "-isystem",
    "-iquote",
    "-idirafter",
    "-include",
    "-imacros",
    "--sysroot=",
    "-rpath=",
    "-rpath",
    "-I",
    "-L",
    "-F",
    "-B",
)
_ABSOLUTE = re.compile(r"^(/|[A-Za-z]:[\\/])")
# Where a platform's package manager installs headers and libraries: every
# machine of that platform has them (OpenBSD ports, Homebrew, MacPorts...).
_SYSTEM_DIRECTORIES = frozenset(
    f"{prefix}/{leaf}"
    # Raspberry Pi OS installs its VideoCore libraries under /opt/vc (go-sdl2).
    for prefix in ("/usr", "/usr/local", "/opt/homebrew", "/opt/local", "/usr/pkg", "/opt/vc")
    for leaf in ("include", "lib", "lib64")
) | frozenset({"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"})


@lru_cache(maxsize=4096)  # the files of a package repeat the same directives
def absolute_paths(values: str) -> tuple[str, ...]:
    """The absolute paths among a directive's flags (defines are not paths)."""
    if "/" not in values and "\\" not in values:
        return ()  # no path at all (`-lfoo -DNDEBUG`): no need to split
    try:
        words = shlex.split(values, comments=False)
    except ValueError:
        words = values.split()
    found = []
    expect_path = False
    for word in words:
        candidates = [word] if expect_path else _path_arguments(word)
        expect_path = word in _PATH_FLAGS
        found += [c for c in candidates if _ABSOLUTE.match(c) and not _is_system_directory(c)]
    return tuple(found)


# A library file: `libz.a`, `libfido2.so.1`, `libSystem.tbd`.
_LIBRARY_FILE = re.compile(r"^lib[^/]*\.(?:a|so(?:\.\d+)*|dylib|tbd)$")


def _is_system_directory(path: str) -> bool:
    """A package manager's directory, or a library file directly in one
    (go-libfido2's static build links `/usr/local/lib/libfido2.a`)."""
    path = path.rstrip("/")
    directory, _, name = path.rpartition("/")
    return path in _SYSTEM_DIRECTORIES or (
        directory in _SYSTEM_DIRECTORIES and _LIBRARY_FILE.match(name) is not None
    )


def _path_arguments(word: str) -> list[str]:
    if word.startswith("-D") or word.startswith("-U"):
        return []
    if word.startswith("-Wl,") or word.startswith("-Xlinker,"):
        return [part.removeprefix("-rpath=") for part in word.split(",")[1:]]
    for flag in _PATH_FLAGS:
        if word.startswith(flag) and len(word) > len(flag):
            return [word[len(flag) :]]
    return [] if word.startswith("-") else [word]


class CgoAbsolutePathFlags(Rule):
    id = "DEP108"
    name = "cgo-absolute-path-flags"
    level = Level.WARNING
    file_kinds = frozenset({FileKind.GO})
    cwe = (427,)
    precision = "high"

    def check(self, ctx: RuleContext) -> Iterator[Violation]:
        go = ctx.facts.go
        if go is None:
            return
        for directive in go.cgo_directives:
            if directive.name == "pkg-config":
                continue
            paths = absolute_paths(directive.values)
            if paths:
                yield Violation(
                    directive.location,
                    f"`#cgo {directive.name}` uses the absolute path `{paths[0]}`: the build "
                    "depends on this machine's layout; use a path under `${SRCDIR}`",
                )
