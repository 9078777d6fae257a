"""The rule base class and the registry of every rule.

A rule is a class in its own module under `interop_lint/rules/<family>/`.
The module's docstring is the rule's documentation, in ruff's four parts
("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
`interop-lint explain`, `docs/rules/ID.md` and the SARIF help all come from
it. The class carries the metadata and one `check` method.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterable
from functools import cache
from typing import ClassVar, Literal

from interop_lint import HOMEPAGE
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.findings import Level, RuleDescription, Violation

Precision = Literal["very-high", "high", "medium", "low"]
FAMILIES = ("deps", "rust", "go", "cross")
REQUIRED_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")
_CROSS_PACKAGE = "interop_lint.rules.cross."


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]  # kebab-case, fixed forever like the ID
    level: ClassVar[Level]
    file_kinds: ClassVar[frozenset[FileKind]]  # the files `check` is called for
    cwe: ClassVar[tuple[int, ...]] = ()
    precision: ClassVar[Precision] = "high"
    # Set for rules whose findings are security problems (memory safety, crashes).
    security_severity: ClassVar[float | None] = None
    # Whether a finding's related locations are the other side of the boundary, so
    # that naming either side's file (changed-files mode) reports it. Defaults to
    # True for the `cross` family (see __init_subclass__); a rule may override it.
    cross_language: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if "cross_language" not in vars(cls) and cls.__module__.startswith(_CROSS_PACKAGE):
            cls.cross_language = True

    def check(self, ctx: RuleContext) -> Iterable[Violation]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(inspect.getmodule(cls).__doc__ or "")  # type: ignore[union-attr]

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it does", on one line."""
        doc = cls.documentation()
        body = doc.split("## What it does", 1)[-1].strip().split("\n\n", 1)[0]
        sentence = re.split(r"(?<=\.)\s", " ".join(body.split()), maxsplit=1)[0]
        return sentence

    @classmethod
    def tags(cls) -> tuple[str, ...]:
        tags = ["security"] if cls.security_severity is not None else []
        tags += [f"external/cwe/cwe-{n}" for n in cls.cwe]
        return tuple(tags)

    @classmethod
    def describe(cls) -> RuleDescription:
        return RuleDescription(
            id=cls.id,
            name=cls.name,
            level=cls.level,
            summary=cls.summary(),
            documentation=cls.documentation(),
            tags=cls.tags(),
            precision=cls.precision,
            security_severity=cls.security_severity,
            help_uri=f"{HOMEPAGE}/blob/main/docs/rules/{cls.id}.md",
        )


@cache
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class of every family, sorted by ID."""
    found: dict[str, type[Rule]] = {}
    for family in FAMILIES:
        package = importlib.import_module(f"interop_lint.rules.{family}")
        for module_info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
            for value in vars(module).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, Rule)
                    and value.__module__ == module.__name__
                    and "id" in vars(value)
                ):
                    if value.id in found:
                        raise RuntimeError(f"rule {value.id} is defined twice")
                    found[value.id] = value
    return tuple(found[rule_id] for rule_id in sorted(found))


def rule_by_id(rule_id: str) -> type[Rule] | None:
    wanted = rule_id.strip().upper()
    return next((rule for rule in all_rules() if rule.id == wanted), None)
