"""The index pass for Python files: ctypes bindings, for files that use ctypes.

A file whose bytes do not mention `ctypes` is not parsed at all (its facts
stay empty), and libcst is imported only when one does.
"""

from __future__ import annotations

from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.findings import Notification, NotificationKind
from interop_lint.analyzer.python.guard import refusal
from interop_lint.analyzer.source import SourceFile


def uses_ctypes(data: bytes) -> bool:
    return b"ctypes" in data


def extract_python(source: SourceFile, facts: FileFacts) -> None:
    if not uses_ctypes(source.data):
        return
    refused = refusal(source.data)
    if refused is not None:
        kind = NotificationKind.PARSE_ERROR if refused.syntax_error else NotificationKind.SKIPPED
        facts.notifications.append(Notification(source.path, refused.line, kind, refused.message))
        return
    from interop_lint.analyzer.python.bindings import read_bindings
    from interop_lint.analyzer.python.syntax import ParseFailure, parse

    parsed = parse(source.data, source.lines)
    if isinstance(parsed, ParseFailure):
        kind = NotificationKind.PARSE_ERROR
        facts.notifications.append(Notification(source.path, parsed.line, kind, parsed.message))
        return
    try:
        facts.python = read_bindings(parsed.module, parsed.locate)
    except RecursionError:
        facts.notifications.append(
            Notification(
                source.path,
                0,
                NotificationKind.SKIPPED,
                "skipped: Python nested too deeply to analyse",
            )
        )
