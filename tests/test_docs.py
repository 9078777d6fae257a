"""Rule documentation: complete in each module, and docs/rules/ in sync with it."""

from __future__ import annotations

import pytest

from interop_lint.rules.catalogue import GENERATED, catalogue, entry_of, render_catalogue
from interop_lint.rules.docs import render_rule_page
from interop_lint.rules.registry import REQUIRED_SECTIONS, all_rules
from tests.conftest import ROOT

DOCS = ROOT / "docs" / "rules"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_rule_documentation_has_the_four_sections_in_order(rule) -> None:
    doc = rule.documentation()
    lines = doc.splitlines()
    positions = [lines.index(s) if s in lines else -1 for s in REQUIRED_SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.id} lacks a section: {positions}"
    assert positions == sorted(positions)
    assert "```" in doc.split("## Example", 1)[1], f"{rule.id}: the example needs code"
    assert rule.summary().endswith(".")


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_rule_metadata(rule) -> None:
    assert rule.__module__.rsplit(".", 1)[1].startswith(rule.id.lower() + "_")
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.file_kinds


@pytest.mark.parametrize("rule", all_rules(), ids=lambda rule: rule.id)
def test_generated_page_is_current(rule) -> None:
    page = DOCS / f"{rule.id}.md"
    assert page.exists(), "run `python -m interop_lint.rules.docs` to generate docs/rules/"
    assert page.read_text(encoding="utf-8") == render_rule_page(rule), (
        f"{page} is stale: run `python -m interop_lint.rules.docs`"
    )


def test_no_page_for_a_rule_that_does_not_exist() -> None:
    known = {f"{rule.id}.md" for rule in all_rules()}
    assert sorted(p.name for p in DOCS.glob("*.md") if p.name not in known) == []


def test_generated_catalogue_is_current() -> None:
    """The metadata a cached run reports from is the rules' own (rules/catalogue.py)."""
    generated = ROOT / GENERATED
    assert generated.read_text(encoding="utf-8") == render_catalogue(all_rules()), (
        f"{GENERATED} is stale: run `python -m interop_lint.rules.docs`"
    )
    assert catalogue() == tuple(entry_of(rule) for rule in all_rules())
    assert [entry.load() for entry in catalogue()] == list(all_rules())
