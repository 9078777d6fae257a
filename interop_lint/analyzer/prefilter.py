"""Which files can matter, decided from their bytes before anything is parsed.

Most files of a real repository never touch the boundary: ordinary Go
packages, ordinary Rust crates. Such a file cannot contribute a fact any
rule reads nor get a finding, so it is recognised here and never parsed.

- Go: a package directory is in scope iff one of its `.go` files contains
  `"C"` (every `import "C"`, grouped or not, does; so do a few comments and
  strings: harmless over-approximation). Every file of an in-scope directory
  is analysed: the GO rules read the whole package (a type declared in one
  file and used in a C call in another). Outside it, no rule reads a Go
  file: the GO rules stop at `GoPackage.uses_cgo`, DEP108 and the XL rules
  need a preamble or C calls, which only `import "C"` files have.
- Rust: a crate (the nearest `Cargo.toml` above; loose files form one crate)
  is in scope iff one of its files contains `extern`, `no_mangle`,
  `export_name` or `repr(`. An export needs `extern "ABI"`, a `#[repr(C)]`
  struct needs `repr(`: a crate without any has no exports and no C
  layouts, and every rule but RS106 reads a file only through its exports,
  its crate's exports or its `#[repr(C)]` types. RS101 follows calls across
  the crate, so every file of an in-scope crate is analysed. RS106 reads a
  file on its own and only when it mentions `as_ptr`/`as_mut_ptr`: such a
  file is analysed wherever it is. A crate an in-scope crate depends on by
  path (`blockcore = { path = "../core" }`, read from the bytes of its
  Cargo.toml and of the workspace's) lends it the aliases it imports (`use
  blockcore::BlockHeight;`): its files declaring a `type` alias are analysed,
  and those giving memory back to Rust (`from_raw`), which an export may call
  to free what it handed out (`ffi::free_c_string(s)`, RS105). A crate that
  depends by path on an in-scope crate with a `#[macro_export]` macro writing
  exports is in scope: invoking the macro writes the exports into it.
- C headers and sources, manifests, Python: always analysed. Headers are the
  contract and few; manifests are cheap; the Python extractor itself reads
  nothing (and loads no libcst) without `ctypes`.

A skipped file still gets facts, the ones a full extraction gives a file
nothing reads: its kind and digest, the package name of a Go file (from its
package clause), empty Rust facts. `tests/test_prefilter.py` runs every
fixture with and without the prefilter and demands identical reports, and
holds the rule-by-rule argument (`RULE_SCOPES`) that a new rule must extend.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence

from msgspec import Struct

from interop_lint.analyzer.discovery import FileKind

_GO_IMPORTS_C = b'"C"'
_RUST_MARKERS = (b"extern", b"no_mangle", b"export_name")
_RUST_EXPORT_MARKERS = (b"no_mangle", b"export_name")
_MACRO_EXPORT = b"macro_export"
_RUST_REPR = re.compile(rb"\brepr\s*\(")
_RUST_OWN_CHECK = (b"as_ptr", b"as_mut_ptr")  # RS106 reads a file on its own
_RUST_TYPE_ALIAS = re.compile(rb"\btype\s+[A-Z]\w*\s*(?:<[^=;]*>\s*)?=")
_RUST_RELEASE = (b"from_raw",)  # `CString::from_raw`, `Vec::from_raw_parts`, ..
_CARGO_PATH = re.compile(rb"""\bpath\s*=\s*["']([^"'\n]+)["']""")

# What each rule reads outside the scope above, and why skipping is safe for it.
# tests/test_prefilter.py fails when a rule is added without an entry here.
RULE_SCOPES: dict[str, str] = {
    "DEP101": "Cargo.toml only (always analysed)",
    "DEP102": "Cargo.toml only (always analysed)",
    "DEP103": "Cargo.toml and which files exist (every file is in the index)",
    "DEP104": "Cargo.toml and rust-toolchain files (always analysed)",
    "DEP105": "go.mod only (always analysed)",
    "DEP106": "go.mod and which files exist (every file is in the index)",
    "DEP107": "Cargo.toml and the crate's exports (exports need `extern`)",
    "DEP108": "#cgo directives: only in files that import C",
    "RS101": "files with exports, and their crate's functions (in-scope crates)",
    "RS102": "files with exports",
    "RS103": "files containing `extern`",
    "RS104": "files with exports",
    "RS105": "functions reached from the crate's exports, and releasing ones of path dependencies",
    "RS106": "any Rust file mentioning as_ptr/as_mut_ptr (always analysed)",
    "RS107": "files with exports, and their crate's statics",
    "RS108": "files with exports",
    "GO101": "Go packages that use cgo",
    "GO102": "Go packages that use cgo",
    "GO103": "Go packages that use cgo",
    "GO104": "Go packages that use cgo",
    "GO105": "Go packages that use cgo",
    "GO106": "Go packages that use cgo",
    "GO107": "Go packages that use cgo",
    "GO108": "Go packages that use cgo",
    "GO109": "Go packages that use cgo",
    "XL101": "headers and cgo preambles, against exports",
    "XL102": "C calls of files that import C",
    "XL103": "headers and preambles, against #[repr(C)] structs",
    "XL104": "headers, and Rust files with exports",
    "XL105": "Go packages that use cgo, and Rust files with exports",
    "XL106": "Go packages that use cgo",
    "XL107": "Python files using ctypes, against exports",
    "XL108": "Rust files with no_mangle/export_name, against headers and preambles",
}


class Candidate(Struct, frozen=True):
    path: str
    kind: FileKind
    data: bytes


def go_imports_c(data: bytes) -> bool:
    """Whether a Go file may `import "C"` (over-approximated from its bytes)."""
    return _GO_IMPORTS_C in data


def rust_marks_crate(data: bytes) -> bool:
    """Whether a Rust file may hold an export or a C layout (over-approximated)."""
    # Substring searches first: a regex alternation tries every position (10x slower).
    if any(marker in data for marker in _RUST_MARKERS):
        return True
    return b"repr" in data and _RUST_REPR.search(data) is not None


def rust_checked_alone(data: bytes) -> bool:
    return any(marker in data for marker in _RUST_OWN_CHECK)


def crate_directories(paths: Iterable[str]) -> frozenset[str]:
    """The directories holding a Cargo.toml, as `ProjectIndex.crate_dir_of` finds them."""
    return frozenset(posixpath.dirname(p) for p in paths if posixpath.basename(p) == "Cargo.toml")


def crate_dir_of(path: str, crates: frozenset[str], memo: dict[str, str | None]) -> str | None:
    """The nearest crate directory above `path` (None: outside any crate)."""
    directory = posixpath.dirname(path)
    if directory in memo:
        return memo[directory]
    walked = []
    found: str | None = None
    current = directory
    while True:
        if current in memo:
            found = memo[current]
            break
        walked.append(current)
        if current in crates:
            found = current
            break
        if not current:
            break
        current = posixpath.dirname(current)
    for d in walked:
        memo[d] = found
    return found


# Cargo's other targets beside the library: each file there is built as a crate of
# its own that links the library (an integration test's `#[no_mangle]` stub of a C
# callback is in no header), so none is part of the library's C interface.
_OTHER_TARGETS = frozenset({"tests", "benches", "examples"})


def other_target_files(files: Sequence[Candidate]) -> frozenset[str]:
    """The Rust files under a crate's `tests/`, `benches/` or `examples/` (not an
    example with a Cargo.toml of its own: that is a crate of its own)."""
    crates = crate_directories(f.path for f in files if f.kind is FileKind.CARGO_TOML)
    memo: dict[str, str | None] = {}
    found = set()
    for f in files:
        if f.kind is FileKind.RUST and any(f"{t}/" in f.path for t in _OTHER_TARGETS):
            crate = crate_dir_of(f.path, crates, memo)
            inside = f.path[len(crate) + 1 :] if crate else f.path
            if crate is not None and inside.split("/", 1)[0] in _OTHER_TARGETS:
                found.add(f.path)
    return frozenset(found)


def analysed(files: Sequence[Candidate]) -> frozenset[str]:
    """The paths of the files that can matter: to parse, extract and check."""
    crates = crate_directories(f.path for f in files if f.kind is FileKind.CARGO_TOML)
    memo: dict[str, str | None] = {}
    cgo_directories = set()
    boundary_crates = set()
    for f in files:
        if f.kind is FileKind.GO and go_imports_c(f.data):
            cgo_directories.add(posixpath.dirname(f.path))
        elif f.kind is FileKind.RUST and rust_marks_crate(f.data):
            boundary_crates.add(crate_dir_of(f.path, crates, memo))
    manifests = {posixpath.dirname(f.path): f.data for f in files if f.kind is FileKind.CARGO_TOML}
    boundary_crates |= _invoking_crates(files, boundary_crates, crates, memo, manifests)
    lending = path_dependencies(boundary_crates, manifests) - boundary_crates
    chosen = set()
    for f in files:
        if f.kind is FileKind.GO:
            keep = posixpath.dirname(f.path) in cgo_directories
        elif f.kind is FileKind.RUST:
            crate = crate_dir_of(f.path, crates, memo)
            keep = (
                crate in boundary_crates
                or rust_checked_alone(f.data)
                or (crate in lending and _lends(f.data))
            )
        else:
            keep = True
        if keep:
            chosen.add(f.path)
    return frozenset(chosen)


def _invoking_crates(
    files: Sequence[Candidate],
    boundary_crates: set[str | None],
    crates: frozenset[str],
    memo: dict[str, str | None],
    manifests: dict[str, bytes],
) -> set[str | None]:
    """The crates that depend by path on a crate with a `#[macro_export]` macro that
    may write exports: invoking it writes them into the crate (rust.macro_sharing)."""
    exporting = {
        crate_dir_of(f.path, crates, memo)
        for f in files
        if f.kind is FileKind.RUST
        and _MACRO_EXPORT in f.data
        and any(marker in f.data for marker in _RUST_EXPORT_MARKERS)
    }
    exporting &= boundary_crates
    if not exporting:
        return set()
    return {
        directory
        for directory in manifests
        if directory not in boundary_crates
        and path_dependencies([directory], manifests) & exporting
    }


def _lends(data: bytes) -> bool:
    """Whether a file of a crate a boundary crate depends on by path may declare what
    that crate reads of it: a type alias, or a function freeing memory."""
    return _RUST_TYPE_ALIAS.search(data) is not None or any(m in data for m in _RUST_RELEASE)


def path_dependencies(crates: Iterable[str | None], manifests: dict[str, bytes]) -> set[str]:
    """The crates that `crates` depend on by path, transitively (ProjectIndex's
    `path_dependencies_by_name` reads them exactly): every `path = ".."` of a
    crate's Cargo.toml and, for `workspace = true` entries, of its workspace's
    (over-approximated: a `path` of any table, an ancestor's manifest)."""
    found: set[str] = set()
    pending = [c for c in crates if c is not None and c in manifests]
    while pending:
        crate = pending.pop()
        sources = [(crate, manifests[crate])]
        if b"workspace" in manifests[crate]:
            sources += [
                (d, manifests[d])
                for d in _ancestors(crate)
                if d in manifests and b"[workspace" in manifests[d]
            ]
        for directory, data in sources:
            for match in _CARGO_PATH.finditer(data):
                joined = posixpath.join(directory, match.group(1).decode(errors="replace"))
                dependency = posixpath.normpath(joined)
                dependency = "" if dependency == "." else dependency
                if dependency in manifests and dependency not in found:
                    found.add(dependency)
                    pending.append(dependency)
    return found


def _ancestors(directory: str) -> Iterable[str]:
    while directory:
        directory = posixpath.dirname(directory)
        yield directory


_SPACE = frozenset(b" \t\r\n\f\v")
_NAME = re.compile(r"[^\W\d]\w*")


def _skip_blank(data: bytes, i: int) -> int:
    """The offset of the first byte at or after `i` that is not space or a comment."""
    n = len(data)
    while i < n:
        if data[i] in _SPACE:
            i += 1
        elif data.startswith(b"//", i):
            end = data.find(b"\n", i)
            i = n if end < 0 else end + 1
        elif data.startswith(b"/*", i):
            end = data.find(b"*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            break
    return i


def go_package_name(data: bytes) -> str:
    """The name in a Go file's package clause, read past comments ("" if none)."""
    i = _skip_blank(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
    if not data.startswith(b"package", i):
        return ""
    after = i + len(b"package")
    i = _skip_blank(data, after)
    if i == after:
        return ""  # `packagefoo`
    match = _NAME.match(data[i : i + 256].decode("utf-8", errors="replace"))
    return match.group(0) if match else ""
