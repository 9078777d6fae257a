"""A rule's documentation page, from its module docstring.

`interop-lint explain ID` prints it; `python -m interop_lint.rules.docs`
writes every page to docs/rules/ID.md, and the rule catalogue
(rules/_catalogue.py) beside this module (a test fails when they are stale).
"""

from __future__ import annotations

import os
import sys

from interop_lint.analyzer.discovery import FileKind
from interop_lint.rules.catalogue import render_catalogue
from interop_lint.rules.registry import Rule, all_rules

# How a comment starts in the files a rule reports on (Go, Rust, C and go.mod: `//`).
_COMMENT_MARKERS = {
    FileKind.CARGO_TOML: "#",
    FileKind.RUST_TOOLCHAIN: "#",
    FileKind.PYTHON: "#",
}


def render_rule_page(rule: type[Rule]) -> str:
    description = rule.describe()
    facts = [
        f"- **Level:** {description.level.value}",
        f"- **Precision:** {description.precision}",
    ]
    if description.tags:
        facts.append(f"- **Tags:** {', '.join(f'`{tag}`' for tag in description.tags)}")
    if description.security_severity is not None:
        facts.append(f"- **Security severity:** {description.security_severity:.1f}")
    markers = sorted({_COMMENT_MARKERS.get(kind, "//") for kind in rule.file_kinds})
    comments = " or ".join(f"`{m} interop-lint: ignore[{rule.id}]`" for m in markers)
    return (
        f"# {rule.id} `{rule.name}`\n\n"
        + "\n".join(facts)
        + f"\n\n{description.documentation}\n\n"
        + "## Suppressing\n\n"
        + f"{comments} on the reported line or the line above it, "
        + f'or `ignore = ["{rule.id}"]` in the configuration.\n'
    )


def write_pages(directory: str) -> list[str]:
    """Write every rule's page; returns the paths written."""
    os.makedirs(directory, exist_ok=True)
    written = []
    for rule in all_rules():
        path = os.path.join(directory, f"{rule.id}.md")
        with open(path, "w", encoding="utf-8") as f:
            f.write(render_rule_page(rule))
        written.append(path)
    return written


def write_catalogue(path: str) -> str:
    """Write the rule catalogue (rules/catalogue.py) from the rule classes."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(render_catalogue(all_rules()))
    return path


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join("docs", "rules")
    for path in write_pages(target):
        print(path)
    print(write_catalogue(os.path.join(os.path.dirname(__file__), "_catalogue.py")))
