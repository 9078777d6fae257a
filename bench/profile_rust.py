"""Where the Rust side's time goes: parse, extraction, RS checks, XL checks of Rust files.

    python bench/profile_rust.py /tmp/rb                       # a corpus made by corpus.py
    python bench/profile_rust.py fixtures/rust/go-service-engine --copies 200
    python bench/profile_rust.py /tmp/rb --profile rs          # cProfile one phase

Every phase runs over the Rust files of the root in one process, as the
engine's index and check passes do (the facts and the per-file caches the
extractor builds are there for the rules). Parse-only is a fresh tree-sitter
parse of the same bytes: the floor the rest is measured against. Times are
the process's CPU time (steadier than wall time on a busy machine); each
phase is run `--repeat` times on fresh sources and the fastest run is kept.
The collector runs as in the engine's passes (gen-0 threshold 100 000).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind, discover
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.one_file import check_file
from interop_lint.analyzer.parsing import Grammar, parse
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import Rule, all_rules

PHASES = ("parse", "extract", "rs", "xl")


def _copies(root: Path, count: int, into: Path) -> Path:
    for number in range(count):
        shutil.copytree(root, into / f"copy{number}")
    return into


class Run:
    """One pass over the corpus: sources, facts, the index, and the time of each phase."""

    def __init__(self, root: str, profile: str | None) -> None:
        self.root = root
        self.profile = profile
        self.profiler = cProfile.Profile()
        found = discover(root).files
        self.sources = [SourceFile.read(root, f.path, f.kind) for f in found]
        self.rust = [s for s in self.sources if s.kind is FileKind.RUST]
        self.times: dict[str, float] = {}
        self.by_rule: dict[str, float] = {}

    def _timed(self, phase: str, work: Callable[[], object]) -> None:
        if self.profile == phase:
            self.profiler.enable()
        start = time.process_time()
        work()
        self.times[phase] = time.process_time() - start
        if self.profile == phase:
            self.profiler.disable()

    def go(self, rules: Sequence[type[Rule]]) -> int:
        self._timed("parse", lambda: [parse(Grammar.RUST, s.data) for s in self.rust])
        for source in self.rust:
            source.root  # noqa: B018 -- parsed here, outside the timed extraction
        others = [extract_facts(s) for s in self.sources if s.kind is not FileKind.RUST]
        rust_facts: list[FileFacts] = []
        self._timed("extract", lambda: rust_facts.extend(extract_facts(s) for s in self.rust))
        index = ProjectIndex(self.root, [*others, *rust_facts], Config())
        found: list[object] = []

        def check(family: str) -> Callable[[], object]:
            chosen = [r for r in rules if r.id.startswith(family) and FileKind.RUST in r.file_kinds]

            def each_file_each_rule() -> None:  # as the engine runs them, timed per rule
                for source, facts in zip(self.rust, rust_facts, strict=True):
                    for rule in chosen:
                        start = time.process_time()
                        found.extend(check_file(source, facts, index, [rule])[0])
                        spent = time.process_time() - start
                        self.by_rule[rule.id] = self.by_rule.get(rule.id, 0.0) + spent

            return each_file_each_rule

        self._timed("rs", check("RS"))
        self._timed("xl", check("XL"))
        return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--copies", type=int, default=0, help="measure N copies of the root")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", choices=PHASES, help="cProfile this phase (last run)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="tottime", help="pstats order (tottime, cumulative)")
    parser.add_argument("--by-rule", action="store_true", help="also the time of each rule")
    options = parser.parse_args()
    gc.set_threshold(100_000, *gc.get_threshold()[1:])
    with tempfile.TemporaryDirectory() as scratch:
        root = options.root
        if options.copies:
            root = _copies(root, options.copies, Path(scratch))
        best: dict[str, float] = {}
        best_rules: dict[str, float] = {}
        findings = files = size = 0
        run = None
        for _ in range(options.repeat):
            run = Run(os.fspath(root), options.profile)
            findings = run.go(all_rules())
            files, size = len(run.rust), sum(len(s.data) for s in run.rust)
            for phase, seconds in run.times.items():
                best[phase] = min(best.get(phase, seconds), seconds)
            for rule, seconds in run.by_rule.items():
                best_rules[rule] = min(best_rules.get(rule, seconds), seconds)
    floor = best["parse"]
    print(f"{files} Rust files, {size / 1e6:.2f} MB, {findings} findings (RS + XL on Rust files)")
    for phase in PHASES:
        print(f"  {phase:8} {best[phase] * 1000:9.1f} ms  {best[phase] / floor:5.2f}x parse")
    rest = best["extract"] + best["rs"] + best["xl"]
    print(f"  {'all':8} {rest * 1000:9.1f} ms  {rest / floor:5.2f}x parse (without parsing)")
    if options.by_rule:
        for rule, seconds in sorted(best_rules.items()):
            print(f"    {rule:6} {seconds * 1000:9.1f} ms  {seconds / floor:5.2f}x parse")
    if options.profile and run is not None:
        stats = pstats.Stats(run.profiler, stream=sys.stdout)
        stats.sort_stats(options.sort).print_stats(options.top)


if __name__ == "__main__":
    main()
