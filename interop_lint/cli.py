"""The command line: `interop-lint check | rules | explain`.

Heavy modules (tree-sitter, the rules, the reporters) are imported inside the
commands, so `interop-lint --version` and `--help` start at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from interop_lint import __version__

if TYPE_CHECKING:
    from interop_lint.analyzer.baseline import BaselineEntry
    from interop_lint.analyzer.config import Config
    from interop_lint.analyzer.engine import RunResult
    from interop_lint.analyzer.findings import Finding
    from interop_lint.reporters.base import Rendered, Report
    from interop_lint.rules.catalogue import RuleEntry

FORMATS = ("text", "json", "sarif", "github")
MACHINE_FORMATS = ("json", "sarif")  # nothing but the document goes into these


def fail(message: str) -> NoReturn:
    """A usage problem: one line on stderr, exit status 2, never a traceback."""
    click.echo(f"interop-lint: error: {message}", err=True)
    sys.exit(2)


def entry() -> NoReturn:
    """The `interop-lint` command (and `python -m interop_lint`): `main`, then an exit
    that does not tear the heap down.

    A run leaves its facts and index tables, hundreds of thousands of objects, for
    the interpreter to collect and free one by one at exit: 0.1 s of a 0.5 s
    pre-commit run. Every report is written and closed by then; the standard
    streams are flushed here."""
    try:
        main()
        status = 0
    except SystemExit as stop:
        status = _exit_status(stop.code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing to save
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """What `sys.exit(code)` would make the process's status."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


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


def _enabled_rules(config: Config, select: str | None, ignore: str | None) -> list[RuleEntry]:
    from interop_lint.analyzer.config import (
        ConfigError,
        check_prefixes,
        resolve_selection,
        split_ids,
    )
    from interop_lint.rules.catalogue import catalogue

    rules = catalogue()  # the rule modules are imported only if a rule has to run
    ids = [rule.id for rule in rules]
    selected = split_ids(select) or config.select
    ignored = (*config.ignore, *split_ids(ignore))
    try:
        enabled = resolve_selection(ids, selected, ignored)
    except ConfigError as error:
        where = "--select/--ignore" if select or ignore else config.source or "config"
        fail(f"{where}: {error}")
    for glob, prefixes in config.per_file_ignores.items():
        try:
            check_prefixes(ids, prefixes)
        except ConfigError as error:
            fail(f"{config.source or 'config'}: per-file-ignores `{glob}`: {error}")
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
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    envvar="INTEROP_LINT_CACHE_DIR",
    help="Keep the cache here (default: .interop-lint-cache/ at the project root).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--include-suppressed", is_flag=True, help="SARIF: keep suppressed findings.")
@click.option("--category", default="interop-lint/", help="SARIF: the code-scanning category.")
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings not in this baseline.",
)
@click.option(
    "--write-baseline",
    "write_baseline_file",
    type=click.Path(dir_okay=False),
    help="Write the current findings as a baseline (and report none of them).",
)
@click.option("--statistics", is_flag=True, help="Also count the findings per rule.")
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: str | None,
    ignore: str | None,
    root: str | None,
    config_file: str | None,
    jobs: int | None,
    no_cache: bool,
    cache_dir: str | None,
    exit_zero: bool,
    include_suppressed: bool,
    category: str,
    baseline_file: str | None,
    write_baseline_file: str | None,
    statistics: bool,
) -> None:
    """Check the project (PATHS choose what is reported; default: everything)."""
    from interop_lint.analyzer.engine import RunOptions, run
    from interop_lint.progress import progress_for

    project = _project_root(root)
    scope = _scope(project, paths)
    config = _config(project, config_file)
    rules = _enabled_rules(config, select, ignore)
    # Read before the run: a bad baseline is a usage error, found at once.
    baseline = _load_baseline(baseline_file) if baseline_file else None
    progress = progress_for(sys.stderr)
    options = RunOptions(
        project,
        config,
        rules,
        scope=scope,
        jobs=jobs or _cores(),
        progress=progress,
        cache_dir=_cache_dir(project, no_cache, cache_dir),
    )
    try:
        result = run(options)
    finally:
        if progress is not None:
            progress.finish()
    report = _report(project, result, rules, scope, baseline, write_baseline_file)
    rendered = _render(report, output_format, output, category, include_suppressed, statistics)
    _write(rendered.text, output)
    from interop_lint.reporters.base import printable

    for note in result.notifications:
        click.echo(printable(f"{note.level.value}: {note.describe()}"), err=True)
    for warning in rendered.warnings:
        click.echo(f"warning: {warning}", err=True)
    if statistics and output_format in MACHINE_FORMATS:
        from interop_lint.reporters.base import statistics_lines

        for line in statistics_lines(report):
            click.echo(line, err=True)
    if result.failed:
        sys.exit(2)
    sys.exit(1 if report.reported and not exit_zero else 0)


def _cores() -> int:
    """The cores this process may run on (a container's share, not the host's)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _cache_dir(project: str, no_cache: bool, cache_dir: str | None) -> str | None:
    from interop_lint.analyzer.cache import CACHE_DIRECTORY

    if no_cache:
        return None
    if cache_dir:
        return os.path.abspath(cache_dir)
    default = os.path.join(project, CACHE_DIRECTORY)
    if os.path.islink(default):
        # A repository that makes its cache directory a link would have the run write
        # where the link points: only an explicit `--cache-dir` goes outside the root.
        click.echo(
            f"warning: {CACHE_DIRECTORY} is a symbolic link: the cache is not used "
            "(give --cache-dir to keep it elsewhere)",
            err=True,
        )
        return None
    return default


def _load_baseline(path: str) -> list[BaselineEntry]:
    from interop_lint.analyzer.baseline import BaselineError, load_baseline

    try:
        return load_baseline(path)
    except BaselineError as error:
        fail(f"--baseline {path}: {error}")


def _report(
    project: str,
    result: RunResult,
    rules: list[RuleEntry],
    scope: tuple[str, ...],
    baseline: list[BaselineEntry] | None,
    write_baseline_file: str | None,
) -> Report:
    """The report, with the baseline applied (and written, if asked for)."""
    from interop_lint.reporters.base import Report

    findings: list[Finding] = result.findings
    matched = stale = 0
    if baseline is not None:
        from interop_lint.analyzer.baseline import apply_baseline
        from interop_lint.analyzer.scope import in_scope

        enabled = {rule.id for rule in rules}
        # An entry is stale only where this run could have found it again.
        outcome = apply_baseline(
            findings, baseline, lambda e: e.rule in enabled and in_scope(e.path, scope)
        )
        findings, matched, stale = outcome.findings, outcome.matched, len(outcome.stale)
    if write_baseline_file:
        from interop_lint.analyzer.baseline import render_baseline

        # The new baseline accepts everything found now, old baseline or not;
        # entries the old one had and nothing matches are pruned.
        current = [f for f in result.findings if not f.suppressed]
        _write(render_baseline(current), write_baseline_file, "--write-baseline")
        click.echo(
            f"interop-lint: wrote {len(current)} findings to the baseline {write_baseline_file}",
            err=True,
        )
        findings = [f for f in findings if f.suppressed]
        matched = len(current)
    return Report(
        root=project,
        findings=findings,
        notifications=result.notifications,
        rules=[rule.describe() for rule in rules],
        version=__version__,
        successful=not result.failed,
        files_indexed=result.files_indexed,
        baseline_matched=matched,
        baseline_stale=stale,
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

        return render_github(report, statistics=statistics)
    from interop_lint.reporters.text import render_text

    cwd = os.getcwd()

    from interop_lint.reporters.base import printable

    def display_path(path: str) -> str:
        return printable(os.path.relpath(os.path.join(report.root, path), cwd))

    colour = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return render_text(report, display_path, colour=colour, statistics=statistics)


def _write(text: str, output: str | None, option: str = "-o") -> None:
    """To stdout, or atomically to a file (a reader never sees half a report)."""
    if output is None:
        click.echo(text, nl=False)
        return
    temporary = f"{output}.tmp{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, output)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        fail(f"{option} {output}: cannot write: {error.strerror or error}")


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
