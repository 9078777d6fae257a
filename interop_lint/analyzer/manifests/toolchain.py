"""Facts of `rust-toolchain.toml` and the legacy one-line `rust-toolchain` file."""

from __future__ import annotations

import posixpath
import re
import tomllib

from msgspec import Struct

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Notification, NotificationKind
from interop_lint.analyzer.locations import Location
from interop_lint.analyzer.manifests.toml_lines import key_lines, line_of
from interop_lint.analyzer.source import SourceFile

# `stable`, `beta`, `nightly`, optionally with a host triple, move under you.
_FLOATING = re.compile(r"^(stable|beta|nightly)(-[a-z0-9_]+(-[a-z0-9_]+)+)?$")
# A bare version (`1.78`, `1.78.0`) or a dated channel (`nightly-2024-05-01`).
_PINNED = re.compile(r"^(\d+\.\d+(\.\d+)?|(stable|beta|nightly)-\d{4}-\d{2}-\d{2})(-.+)?$")


class RustToolchain(Struct, frozen=True):
    directory: str
    channel: str | None
    channel_location: Location | None

    @property
    def is_floating(self) -> bool:
        """Names a channel that moves (never true for a version or a dated channel)."""
        channel = self.channel
        return channel is not None and not _PINNED.match(channel) and bool(_FLOATING.match(channel))


def extract_toolchain(source: SourceFile, facts: FileFacts) -> None:
    directory = posixpath.dirname(source.path)
    text = source.text
    legacy = posixpath.basename(source.path) == "rust-toolchain"
    if legacy and "[toolchain]" not in text:
        # The legacy format: the first non-empty line is the channel.
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                location = source.lines.line_location(number)
                facts.toolchain = RustToolchain(directory, line.strip(), location)
                return
        facts.toolchain = RustToolchain(directory, None, None)
        return
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as error:  # too deep: a RecursionError
        facts.notifications.append(
            Notification(
                source.path,
                0,
                NotificationKind.MALFORMED,
                f"toolchain file is not valid TOML: {error}",
            )
        )
        return
    table = data.get("toolchain")
    channel = table.get("channel") if isinstance(table, dict) else None
    if not isinstance(channel, str):
        facts.toolchain = RustToolchain(directory, None, None)
        return
    line = line_of(key_lines(text), ("toolchain", "channel"))
    facts.toolchain = RustToolchain(directory, channel, source.lines.line_location(line))
