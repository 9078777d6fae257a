"""The command line: `interop-lint check | rules | explain`.

Heavy modules (tree-sitter, the rules, the reporters) are imported inside the
commands, so `interop-lint --version` and `--help` start at once.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from interop_lint import __version__

if TYPE_CHECKING:
    from interop_lint.analyzer.config import Config
    from interop_lint.analyzer.engine import RunResult
    from interop_lint.reporters.base import Rendered, Report

FORMATS = ("text", "json", "sarif", "github")


def fail(message: str) -> NoReturn:
    """A usage problem: one line on stderr, exit status 2, never a traceback."""
    click.echo(f"interop-lint: error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="interop-lint")
def main() -> None:
    """Find the bugs on the boundary between Go, Rust and C."""


def _project_root(root: str | None) -> str:
    path = os.path.realpath(root or os.getcwd())
    if not os.path.isdir(path):
        fail(f"--root {root}: not a directory")
    return path


def _scope(root: str, paths: tuple[str, ...]) -> tuple[str, ...]:
    """PATHS as root-relative prefixes ("" for the whole root)."""
    scope = []
    for given in paths or (".",):
        absolute = os.path.realpath(given)
        if not os.path.exists(absolute):
            fail(f"{given}: no such file or directory")
        if os.path.commonpath([root, absolute]) != root:
            fail(f"{given}: outside the project root {root} (use --root)")
        relative = os.path.relpath(absolute, root).replace(os.sep, "/")
        scope.append("" if relative == "." else relative)
    return tuple(scope)


def _config(root: str, config_file: str | None) -> Config:
    from interop_lint.analyzer.config import ConfigError, load_config

    try:
        return load_config(root, config_file)
    except ConfigError as error:
        fail(str(error))


def _enabled_rules(config: Config, select: str | None, ignore: str | None) -> list[type]:
    from interop_lint.analyzer.config import ConfigError, resolve_selection, split_ids
    from interop_lint.rules.registry import all_rules

    rules = all_rules()
    ids = [rule.id for rule in rules]
    selected = split_ids(select) or config.select
    ignored = (*config.ignore, *split_ids(ignore))
    try:
        enabled = resolve_selection(ids, selected, ignored)
    except ConfigError as error:
        where = "--select/--ignore" if select or ignore else config.source or "config"
        fail(f"{where}: {error}")
    return [rule for rule in rules if rule.id in enabled]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option("--select", help="Rules to enable: IDs or prefixes, comma-separated.")
@click.option("--ignore", help="Rules to disable: IDs or prefixes, comma-separated.")
@click.option("--root", type=click.Path(), help="The project root (default: the current dir).")
@click.option("--config", "config_file", type=click.Path(), help="Read the config from here.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Processes (default: all cores).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--include-suppressed", is_flag=True, help="SARIF: keep suppressed findings.")
@click.option("--category", default="interop-lint/", help="SARIF: the code-scanning category.")
@click.option("--statistics", is_flag=True, help="Text: also count the findings per rule.")
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: str | None,
    ignore: str | None,
    root: str | None,
    config_file: str | None,
    jobs: int | None,
    exit_zero: bool,
    include_suppressed: bool,
    category: str,
    statistics: bool,
) -> None:
    """Check the project (PATHS choose what is reported; default: everything)."""
    from interop_lint.analyzer.engine import RunOptions, run

    project = _project_root(root)
    scope = _scope(project, paths)
    config = _config(project, config_file)
    rules = _enabled_rules(config, select, ignore)
    result = run(RunOptions(project, config, rules, scope=scope, jobs=jobs or os.cpu_count() or 1))
    report = _report(project, result, rules)
    rendered = _render(report, output_format, output, category, include_suppressed, statistics)
    _write(rendered, output)
    for note in result.notifications:
        click.echo(f"{note.level.value}: {note.describe()}", err=True)
    for warning in rendered.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.failed:
        sys.exit(2)
    sys.exit(1 if report.reported and not exit_zero else 0)


def _report(project: str, result: RunResult, rules: list[type]) -> Report:
    from interop_lint.reporters.base import Report

    return Report(
        root=project,
        findings=result.findings,
        notifications=result.notifications,
        rules=[rule.describe() for rule in rules],
        version=__version__,
        successful=not result.failed,
        files_indexed=result.files_indexed,
    )


def _render(
    report: Report,
    output_format: str,
    output: str | None,
    category: str,
    include_suppressed: bool,
    statistics: bool,
) -> Rendered:
    if output_format == "json":
        from interop_lint.reporters.json import render_json

        return render_json(report)
    if output_format == "sarif":
        from interop_lint.reporters.sarif import render_sarif

        return render_sarif(report, category=category, include_suppressed=include_suppressed)
    if output_format == "github":
        from interop_lint.reporters.github import render_github

        return render_github(report)
    from interop_lint.reporters.text import render_text

    cwd = os.getcwd()

    def display_path(path: str) -> str:
        return os.path.relpath(os.path.join(report.root, path), cwd)

    colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return render_text(report, display_path, colour=colour, statistics=statistics)


def _write(rendered: Rendered, output: str | None) -> None:
    if output is None:
        click.echo(rendered.text, nl=False)
        return
    temporary = f"{output}.tmp{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(rendered.text)
        os.replace(temporary, output)
    except OSError as error:
        fail(f"-o {output}: cannot write: {error.strerror or error}")


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(("text", "json")), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: ID, name, level and summary."""
    import json

    from interop_lint.rules.registry import all_rules

    described = [rule.describe() for rule in all_rules()]
    if output_format == "json":
        rows = [
            {"id": r.id, "name": r.name, "level": r.level.value, "summary": r.summary}
            for r in described
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(r.name) for r in described)
    for r in described:
        click.echo(f"{r.id:<7} {r.name:<{width}} {r.level.value:<7} {r.summary}")


@main.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Print the documentation of a rule."""
    from interop_lint.rules.docs import render_rule_page
    from interop_lint.rules.registry import rule_by_id

    rule = rule_by_id(rule_id)
    if rule is None:
        fail(f"unknown rule `{rule_id}` (see `interop-lint rules`)")
    click.echo(render_rule_page(rule), nl=False)
