"""The floor of bench/run.py: tree-sitter parsing every Go, Rust and C file of a tree.

    python bench/floor.py DIR [--jobs N]

Reads and parses each file and nothing else, in one process or in N (a
fork pool, the files dealt out in turn); the bench times the whole process,
interpreter start and imports included, as it times the linter.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

PARSED_SUFFIXES = {".go": "go", ".rs": "rust", ".h": "c", ".c": "c"}


def _floor_files(root: Path) -> list[tuple[str, str]]:
    skipped = {".git", "target", "vendor", "node_modules", ".interop-lint-cache"}
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if d not in skipped)
        for name in sorted(files):
            grammar = PARSED_SUFFIXES.get(os.path.splitext(name)[1])
            if grammar:
                found.append((os.path.join(directory, name), grammar))
    return found


def _parse_all(files: list[tuple[str, str]]) -> int:
    import tree_sitter
    import tree_sitter_c
    import tree_sitter_go
    import tree_sitter_rust

    grammars = {"go": tree_sitter_go, "rust": tree_sitter_rust, "c": tree_sitter_c}
    parsers = {
        name: tree_sitter.Parser(tree_sitter.Language(module.language()))
        for name, module in grammars.items()
    }
    nodes = 0
    for path, grammar in files:
        with open(path, "rb") as f:
            tree = parsers[grammar].parse(f.read())
        nodes += tree.root_node.descendant_count
    return nodes


def floor(root: Path, jobs: int) -> None:
    files = _floor_files(root)
    if jobs == 1:
        _parse_all(files)
        return
    import multiprocessing

    shards = [files[i::jobs] for i in range(jobs)]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_parse_all, shards)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    floor(args.root, args.jobs)


if __name__ == "__main__":
    main()
