"""Where the time of the Go analysis goes, measured against the parse of the same files.

    python bench/profile_go.py DIR [--repeat 3] [--profile OUT.prof | --sample] [--gc]

For the Go files of DIR it prints, in seconds of this process's CPU time (steady
on a busy machine; the best of `--repeat` runs):

- parse: tree-sitter parse of the Go files alone (the floor);
- preamble: parse of the cgo preambles with the C grammar;
- extract_go, extract_preamble: the index pass of the Go files (after parsing);
- GO rules, XL rules: the check time of each family on the Go files, rule by rule,
  in the engine's order (GO rules first: they build the per-file views XL reuses);

separately for files of cgo packages (GO rules' scope) and of plain Go packages,
each also as a ratio to its parse time. The project index (other files' facts,
the cross-language links) is built and warmed up before anything is timed, so
only per-file Go work is counted. The garbage collector is off while timing
(its pauses land wherever the heap happens to fill up and blur the split);
`--gc` keeps it on. `--profile OUT` writes a cProfile of the
timed Go work of the last run; `--sample` prints a sampling profile of it
(pyinstrument, when installed: cProfile inflates small functions).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import posixpath
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from interop_lint.analyzer.clang.extract import extract_preamble
from interop_lint.analyzer.config import Config, load_config
from interop_lint.analyzer.context import RuleContext
from interop_lint.analyzer.discovery import FileKind, discover
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.golang.extract import extract_go
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import Rule, all_rules

Timings = dict[str, float]


class Profiler(Protocol):
    def enable(self) -> None: ...
    def disable(self) -> None: ...


class Sampler:
    """pyinstrument's profiler behind cProfile's enable/disable."""

    def __init__(self) -> None:
        from pyinstrument import Profiler as Pyinstrument

        self.profiler = Pyinstrument(interval=0.0002)

    def enable(self) -> None:
        self.profiler.start()

    def disable(self) -> None:
        self.profiler.stop()  # sessions combine: the next start goes on counting


class Clock:
    """Sums of CPU time by (group, what); what is timed runs under `profiler` if set."""

    def __init__(self) -> None:
        self.sums: dict[str, Timings] = defaultdict(lambda: defaultdict(float))
        self.profiler: Profiler | None = None

    @contextmanager
    def timing(self, group: str, what: str) -> Iterator[None]:
        if self.profiler is not None:
            self.profiler.enable()
        start = time.process_time()
        try:
            yield
        finally:
            self.sums[group][what] += time.process_time() - start
            if self.profiler is not None:
                self.profiler.disable()


def _read(root: str) -> tuple[list[SourceFile], Config]:
    config = load_config(root)
    found = discover(root, config.exclude, config.max_file_size)
    return [SourceFile.read(root, f.path, f.kind) for f in found.files], config


def _cgo_directories(facts: list[FileFacts]) -> set[str]:
    return {
        posixpath.dirname(f.path)
        for f in facts
        if f.kind is FileKind.GO and f.go is not None and f.go.imports_c
    }


def _go_rules() -> tuple[list[type[Rule]], list[type[Rule]]]:
    rules = [r for r in all_rules() if FileKind.GO in r.file_kinds]
    return [r for r in rules if r.id.startswith("GO")], [r for r in rules if r.id.startswith("XL")]


def run_once(root: str, profiler: Profiler | None) -> dict[str, Timings]:
    gc.collect()
    sources, config = _read(root)
    clock = Clock()
    go_sources = [s for s in sources if s.kind is FileKind.GO]
    for source in go_sources:
        with clock.timing("all", "parse"):
            source.tree  # noqa: B018 (parsed and cached)
    for source in go_sources:
        preamble = source.preamble
        if preamble is not None:
            with clock.timing("all", "preamble"):
                preamble.tree  # noqa: B018
    # Facts of every file (Go files timed extractor by extractor).
    clock.profiler = profiler
    facts: list[FileFacts] = []
    for source in sources:
        if source.kind is not FileKind.GO:
            facts.append(extract_facts(source))
            continue
        one = FileFacts(source.path, source.kind, source.digest)
        for name, extractor in (("extract_go", extract_go), ("extract_preamble", extract_preamble)):
            with clock.timing(source.path, name):
                extractor(source, one)
        facts.append(one)
    clock.profiler = None
    index = ProjectIndex(root, facts, config)
    go_rules, xl_rules = _go_rules()
    # Warm the index (links, packages) on fresh copies of the files, untimed.
    for source, one in zip(sources, facts, strict=True):
        if source.kind is FileKind.GO:
            copy = SourceFile(source.path, source.kind, source.data)
            _check(RuleContext(copy, one, index), [*go_rules, *xl_rules], Clock())
    clock.profiler = profiler
    for source, one in zip(sources, facts, strict=True):
        if source.kind is FileKind.GO:
            _check(RuleContext(source, one, index), [*go_rules, *xl_rules], clock)
    clock.profiler = None
    return _summarise(clock, facts)


def _check(ctx: RuleContext, rules: list[type[Rule]], clock: Clock) -> None:
    for rule in rules:
        with clock.timing(ctx.file.path, rule.id):
            for _ in rule().check(ctx):
                pass


def _summarise(clock: Clock, facts: list[FileFacts]) -> dict[str, Timings]:
    """Per-file sums folded into the cgo-package and plain-package groups."""
    cgo = _cgo_directories(facts)
    result: dict[str, Timings] = {"cgo": defaultdict(float), "plain": defaultdict(float)}
    result["cgo"]["files"] = result["plain"]["files"] = 0
    for f in facts:
        if f.kind is FileKind.GO:
            group = "cgo" if posixpath.dirname(f.path) in cgo else "plain"
            result[group]["files"] += 1
            for what, seconds in clock.sums.get(f.path, {}).items():
                result[group][what] += seconds
    result["total"] = dict(clock.sums["all"])
    return result


def _line(name: str, seconds: float, parse: float) -> None:
    ratio = seconds / parse if parse else 0.0
    print(f"  {name:<18} {seconds:8.3f} s  {ratio:6.2f}x parse")


def _report(best: dict[str, Timings], parse_share: dict[str, float]) -> None:
    go_rules, xl_rules = _go_rules()
    total = best["total"]
    print(
        f"Go parse {total.get('parse', 0):.3f} s, preamble C parse {total.get('preamble', 0):.3f} s"
    )
    for group in ("cgo", "plain"):
        row = best[group]
        if not row["files"]:
            continue
        parse = parse_share[group]
        go = sum(row.get(r.id, 0.0) for r in go_rules)
        xl = sum(row.get(r.id, 0.0) for r in xl_rules)
        extraction = row.get("extract_go", 0.0) + row.get("extract_preamble", 0.0)
        print(f"\n{group} packages: {int(row['files'])} files, parse {parse:.3f} s")
        _line("extract_go", row.get("extract_go", 0.0), parse)
        _line("extract_preamble", row.get("extract_preamble", 0.0), parse)
        _line("GO rules", go, parse)
        _line("XL rules", xl, parse)
        _line("Go work in all", extraction + go + xl, parse)
        for rule in [*go_rules, *xl_rules]:
            print(f"    {rule.id:<8} {row.get(rule.id, 0.0):8.3f} s")


def _parse_share(root: str) -> dict[str, float]:
    """Parse time of the Go files of cgo and of plain packages (best of 3)."""
    sources, _ = _read(root)
    facts = [extract_facts(s) for s in sources if s.kind is FileKind.GO]
    cgo = _cgo_directories(facts)
    best: dict[str, float] = {}
    for _ in range(3):
        share = {"cgo": 0.0, "plain": 0.0}
        for source in sources:
            if source.kind is FileKind.GO:
                fresh = SourceFile(source.path, source.kind, source.data)
                start = time.process_time()
                fresh.tree  # noqa: B018
                group = "cgo" if posixpath.dirname(source.path) in cgo else "plain"
                share[group] += time.process_time() - start
        best = {k: min(v, best.get(k, v)) for k, v in share.items()}
    return best


def _best(runs: list[dict[str, Timings]]) -> dict[str, Timings]:
    best: dict[str, Timings] = {}
    for run in runs:
        for group, row in run.items():
            mine = best.setdefault(group, dict(row))
            for what, seconds in row.items():
                mine[what] = min(mine.get(what, seconds), seconds)
    return best


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", metavar="OUT", help="write a cProfile of the Go work")
    parser.add_argument("--sample", action="store_true", help="print a sampling profile")
    parser.add_argument("--gc", action="store_true", help="keep the garbage collector on")
    args = parser.parse_args(argv)
    if not args.gc:
        gc.disable()
    root = os.path.abspath(args.root)
    runs = []
    profiler: Profiler | None = None
    for i in range(args.repeat):
        last = i == args.repeat - 1
        if last and args.profile:
            profiler = cProfile.Profile()
        elif last and args.sample:
            profiler = Sampler()
        runs.append(run_once(root, profiler))
    _report(_best(runs), _parse_share(root))
    if isinstance(profiler, cProfile.Profile):
        profiler.dump_stats(args.profile)
        print(f"\nprofile written to {args.profile}")
    elif isinstance(profiler, Sampler):
        print(profiler.profiler.output_text(unicode=False, show_all=False))


if __name__ == "__main__":
    main()
