"""The Rust analysis takes time in proportion to the code: no shape of input is quadratic.

Each case builds an export of size n and 4n, runs the index pass and every
rule that reads Rust files, and demands that 4x the code costs well under
16x the time (what a quadratic step would cost); 10x leaves room for noise.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

import pytest

from interop_lint.analyzer.config import Config
from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.extract import extract_facts
from interop_lint.analyzer.index import ProjectIndex
from interop_lint.analyzer.one_file import check_file
from interop_lint.analyzer.source import SourceFile
from interop_lint.rules.registry import all_rules
from tests.rust_helpers import MANIFEST

_HEAD = '#[no_mangle]\npub unsafe extern "C" fn f(p: *mut u8, out: *mut *mut u8) -> *mut u8 {\n'
_SIZE = 400
_WORST_RATIO = 10.0

SHAPES: dict[str, Callable[[int], str]] = {
    "pointer copies": lambda n: (
        _HEAD
        + "let q0 = p;\n"
        + "".join(f"let q{i + 1} = q{i}.add(1);\nlet _ = *q{i + 1};\n" for i in range(n))
        + "p\n}\n"
    ),
    "call chain": lambda n: _HEAD + "Box::into_raw(Box::new(x" + ".clone()" * n + "))\n}\n",
    "nested closures": lambda n: _HEAD + "let v = " + "(|| " * n + "1" + ")()" * n + ";\np\n}\n",
    "macros": lambda n: (
        _HEAD + "".join(f'println!("{{}}", v{i}.unwrap());\n' for i in range(n)) + "p\n}\n"
    ),
    "lets and closures": lambda n: (
        _HEAD
        + "".join(f"let a{i} = g(a{i - 1});\nlet c{i} = || a{i}.h();\n" for i in range(1, n))
        + "p\n}\n"
    ),
    "indexing": lambda n: (
        _HEAD + "".join(f"let a{i} = x[{i}].unwrap();\n" for i in range(n)) + "p\n}\n"
    ),
    "nested checks": lambda n: _HEAD + "if !p.is_null() { " * n + "*p;" + " }" * n + "\np\n}\n",
    "exports": lambda n: "".join(
        _HEAD.replace("fn f", f"fn f{i}") + f"g{i}(p);\n*p;\np\n}}\n" for i in range(n)
    ),
}


def _seconds(code: str) -> float:
    """CPU time of the index pass and the Rust rules on one file (best of two)."""
    rules = [r for r in all_rules() if FileKind.RUST in r.file_kinds]
    best = float("inf")
    for _ in range(2):
        source = SourceFile("src/lib.rs", FileKind.RUST, code.encode())
        manifest = SourceFile("Cargo.toml", FileKind.CARGO_TOML, MANIFEST.encode())
        # A full collection of what earlier tests left on the heap costs a fixed
        # 0.1-0.5 s wherever it falls: that is not the analysis growing with the code.
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            facts = [extract_facts(source), extract_facts(manifest)]
            check_file(source, facts[0], ProjectIndex("/nonexistent", facts, Config()), rules)
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_time_grows_linearly(shape: str) -> None:
    make = SHAPES[shape]
    small, large = _seconds(make(_SIZE)), _seconds(make(4 * _SIZE))
    assert large < _WORST_RATIO * max(small, 0.002), (shape, small, large)
