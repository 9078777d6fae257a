"""A generated corpus (bench/corpus.py) with bugs planted on both sides and in plain code."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from tests.conftest import ROOT


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def planted_corpus(root: Path, files: int, boundary: float = 0.1, seed: int = 3) -> Path:
    """`files` files of Go, Rust, C and manifests under `root`, with findings to compare."""
    _generator().generate(root, files, boundary, seed)
    go = sorted(root.glob("go/*/bind_0.go"))[0]
    go.write_text(go.read_text().replace("\tdefer C.free(unsafe.Pointer(cs))\n", "", 1))
    rust = sorted(root.glob("crates/*/src/ffi_0.rs"))[0]
    rust.write_text(
        rust.read_text()
        + '\n#[no_mangle]\npub extern "C" fn planted(p: *const u8) -> u8 {\n'
        + "    let v: Vec<u8> = Vec::new();\n    v[0] + unsafe { *p }\n}\n"
    )
    plain = sorted(root.glob("lib/*/src/m0.rs") or root.glob("crates/*/src/ffi_1.rs"))[0]
    plain.write_text(
        plain.read_text()
        + "\npub fn name() -> *const i8 {\n"
        + '    let s = std::ffi::CString::new("x").unwrap();\n    s.as_ptr()\n}\n'
    )
    header = sorted(root.glob("include/*.h"))[0]
    header.write_text(header.read_text().replace("#endif", "int planted_missing(int x);\n#endif"))
    return root
