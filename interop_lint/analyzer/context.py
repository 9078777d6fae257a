"""What a rule is given: one file, its facts, and the project index."""

from __future__ import annotations

from msgspec import Struct

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.source import SourceFile


class RuleContext(Struct, frozen=True):
    file: SourceFile
    facts: FileFacts
    index: ProjectIndex

    @property
    def config(self) -> Config:
        return self.index.config
