"""The facts one file contributes to the project index.

Facts are plain, picklable data (msgspec Structs of strings, numbers, tuples
and `Location`s): the index pass can run in another process, and a later run can
take them from the cache by the file's content hash instead of re-parsing.
Each family keeps its own facts type next to its extractor; this container
holds whichever of them the file has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msgspec import Struct, field

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Notification

if TYPE_CHECKING:
    from interop_lint.analyzer.clang.facts import CFileFacts
    from interop_lint.analyzer.golang.facts import GoFileFacts
    from interop_lint.analyzer.manifests.cargo import CargoManifest
    from interop_lint.analyzer.manifests.cbindgen import CbindgenConfig
    from interop_lint.analyzer.manifests.gomod import GoMod
    from interop_lint.analyzer.manifests.toolchain import RustToolchain
    from interop_lint.analyzer.python.facts import PythonFileFacts
    from interop_lint.analyzer.rust.facts import RustFileFacts


class FileFacts(Struct):
    path: str
    kind: FileKind
    digest: str  # content hash, the cache key
    rust: RustFileFacts | None = None
    go: GoFileFacts | None = None
    # C declarations of a header or C source file, or of a Go file's cgo preamble.
    c: CFileFacts | None = None
    python: PythonFileFacts | None = None
    cargo: CargoManifest | None = None
    gomod: GoMod | None = None
    toolchain: RustToolchain | None = None
    cbindgen: CbindgenConfig | None = None  # a crate's cbindgen.toml: its C names
    # Parse errors and malformed manifests, found while extracting.
    notifications: list[Notification] = field(default_factory=list)
