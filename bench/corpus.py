"""Generate a realistic Go + Rust + C corpus for the benchmark.

The shape follows what teams that move code from Go to Rust actually have:
services, each a Rust crate built as a C library (an `ffi` module of
`extern "C"` exports over ordinary Rust modules), a cbindgen-style header,
and a Go package whose cgo files call the exports next to ordinary Go files;
around them, a much larger body of Go and Rust code that never touches the
boundary. `--boundary 1.0` makes every file boundary code (every Rust file
exports, every Go file imports "C"); the default, 0.1, is a realistic mix.

    python bench/corpus.py OUT --files 5000 [--boundary 0.1] [--seed 7]

The output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

WORDS = [
    "index",
    "query",
    "token",
    "batch",
    "stream",
    "cache",
    "frame",
    "codec",
    "parser",
    "schema",
    "vector",
    "ledger",
    "session",
    "buffer",
    "shard",
    "cursor",
    "filter",
    "digest",
    "packet",
    "record",
]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _rust_plain_fn(rng: random.Random, name: str) -> str:
    bodies = [
        "    let mut total = 0u64;\n    for (i, item) in items.iter().enumerate() {\n"
        "        if item.len() > i {\n            total += item.len() as u64;\n        }\n    }\n"
        "    total",
        "    items\n        .iter()\n        .filter(|s| !s.is_empty())\n"
        "        .map(|s| s.len() as u64)\n        .sum()",
        "    match items.first() {\n        Some(first) => first.len() as u64 * 31,\n"
        "        None => 0,\n    }",
        '    let joined: String = items.join(",");\n    joined.len() as u64',
    ]
    return f"pub fn {name}(items: &[String]) -> u64 {{\n{rng.choice(bodies)}\n}}\n"


def rust_plain_module(rng: random.Random, functions: int) -> str:
    struct = _name(rng).title().replace("_", "")
    parts = [
        "use std::collections::HashMap;\n\n",
        f"#[derive(Debug, Default, Clone)]\npub struct {struct} {{\n"
        "    pub entries: HashMap<String, u64>,\n    pub name: String,\n}\n\n",
        f"impl {struct} {{\n    pub fn insert(&mut self, key: &str, value: u64) -> Option<u64> {{\n"
        "        self.entries.insert(key.to_string(), value)\n    }\n\n"
        "    pub fn get(&self, key: &str) -> Option<u64> {\n"
        "        self.entries.get(key).copied()\n    }\n}\n\n",
    ]
    parts += [_rust_plain_fn(rng, f"{_name(rng)}_{i}") + "\n" for i in range(functions)]
    return "".join(parts)


def rust_ffi_module(rng: random.Random, prefix: str, exports: int) -> tuple[str, list[str]]:
    """An `ffi` module: exports over a handle, strings and buffers. Returns (text, C decls)."""
    handle = prefix.title().replace("_", "")
    text = [
        "use std::ffi::{c_char, CStr, CString};\n",
        "use std::os::raw::c_int;\nuse std::panic::{catch_unwind, AssertUnwindSafe};\n\n",
        f"pub struct {handle} {{\n    data: Vec<u64>,\n}}\n\n",
        f'#[no_mangle]\npub extern "C" fn {prefix}_new() -> *mut {handle} {{\n'
        f"    Box::into_raw(Box::new({handle} {{ data: Vec::new() }}))\n}}\n\n",
        f"/// # Safety\n/// `handle` must come from `{prefix}_new`.\n"
        f'#[no_mangle]\npub unsafe extern "C" fn {prefix}_free(handle: *mut {handle}) {{\n'
        "    if !handle.is_null() {\n        drop(Box::from_raw(handle));\n    }\n}\n\n",
    ]
    decls = [f"{handle} *{prefix}_new(void);", f"void {prefix}_free({handle} *handle);"]
    for i in range(exports):
        name = f"{prefix}_{_name(rng, 1)}_{i}"
        shape = rng.randrange(4)
        if shape == 0:
            text.append(
                f'#[no_mangle]\npub extern "C" fn {name}(a: c_int, b: c_int) -> c_int {{\n'
                "    catch_unwind(|| a.saturating_mul(b)).unwrap_or(-1)\n}\n\n"
            )
            decls.append(f"int {name}(int a, int b);")
        elif shape == 1:
            text.append(
                f"/// # Safety\n/// `handle` must be valid.\n#[no_mangle]\n"
                f'pub unsafe extern "C" fn {name}(handle: *mut {handle}, value: u64) -> c_int {{\n'
                "    let Some(engine) = handle.as_mut() else {\n        return -1;\n    };\n"
                "    engine.data.push(value);\n    engine.data.len() as c_int\n}\n\n"
            )
            decls.append(f"int {name}({handle} *handle, uint64_t value);")
        elif shape == 2:
            text.append(
                f"/// # Safety\n/// `input` must be a valid C string.\n#[no_mangle]\n"
                f'pub unsafe extern "C" fn {name}(input: *const c_char) -> *mut c_char {{\n'
                "    if input.is_null() {\n        return std::ptr::null_mut();\n    }\n"
                "    let text = CStr::from_ptr(input).to_string_lossy().to_uppercase();\n"
                "    match CString::new(text) {\n        Ok(s) => s.into_raw(),\n"
                "        Err(_) => std::ptr::null_mut(),\n    }\n}\n\n"
            )
            decls.append(f"char *{name}(const char *input);")
        else:
            text.append(
                f'#[no_mangle]\npub extern "C" fn {name}(count: usize) -> u64 {{\n'
                "    let result = catch_unwind(AssertUnwindSafe(|| {\n"
                "        let values: Vec<u64> = (0..count as u64).collect();\n"
                "        values.iter().sum::<u64>()\n    }));\n    result.unwrap_or(0)\n}\n\n"
            )
            decls.append(f"uint64_t {name}(size_t count);")
    text.append(
        f"/// # Safety\n/// `s` must come from this library.\n#[no_mangle]\n"
        f'pub unsafe extern "C" fn {prefix}_string_free(s: *mut c_char) {{\n'
        "    if !s.is_null() {\n        drop(CString::from_raw(s));\n    }\n}\n"
    )
    decls.append(f"void {prefix}_string_free(char *s);")
    return "".join(text), decls


def header(prefix: str, decls: list[str]) -> str:
    guard = f"{prefix.upper()}_H"
    handle = prefix.title().replace("_", "")
    return (
        "/* Generated with cbindgen:0.26.0 */\n\n"
        f"#ifndef {guard}\n#define {guard}\n\n#include <stdint.h>\n#include <stddef.h>\n\n"
        f"typedef struct {handle} {handle};\n\n" + "\n".join(decls) + f"\n\n#endif /* {guard} */\n"
    )


def go_plain_file(rng: random.Random, package: str, functions: int) -> str:
    parts = [f'package {package}\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\n']
    for i in range(functions):
        name = f"{_name(rng).title().replace('_', '')}{i}"
        parts.append(
            f"// {name} summarises its input.\nfunc {name}(items []string) (string, error) {{\n"
            '\tif len(items) == 0 {\n\t\treturn "", fmt.Errorf("no items")\n\t}\n'
            "\tvar b strings.Builder\n\tfor i, item := range items {\n"
            '\t\tif i > 0 {\n\t\t\tb.WriteString(",")\n\t\t}\n\t\tb.WriteString(item)\n\t}\n'
            "\treturn b.String(), nil\n}\n\n"
        )
    return "".join(parts)


def go_cgo_file(rng: random.Random, package: str, prefix: str, decls: list[str]) -> str:
    handle = prefix.title().replace("_", "")
    calls: list[str] = []
    # A binding file wraps a handful of the service's functions, not all of them.
    for decl in rng.sample(decls, min(len(decls), rng.randrange(8, 16))):
        name = decl.split("(")[0].split()[-1].lstrip("*")
        if "const char *input" in decl:
            calls.append(
                f"func Upper{len(calls)}(s string) string {{\n\tcs := C.CString(s)\n"
                "\tdefer C.free(unsafe.Pointer(cs))\n"
                f"\tout := C.{name}(cs)\n\tdefer C.{prefix}_string_free(out)\n"
                "\treturn C.GoString(out)\n}\n\n"
            )
        elif "int a, int b" in decl:
            calls.append(
                f"func Mul{len(calls)}(a, b int) int {{\n"
                f"\treturn int(C.{name}(C.int(a), C.int(b)))\n}}\n\n"
            )
        elif "uint64_t value" in decl:
            calls.append(
                f"func (e *Engine) Push{len(calls)}(v uint64) int {{\n"
                f"\treturn int(C.{name}(e.ptr, C.uint64_t(v)))\n}}\n\n"
            )
    return (
        f"package {package}\n\n/*\n#cgo CFLAGS: -I${{SRCDIR}}/../../include\n"
        f"#cgo LDFLAGS: -L${{SRCDIR}}/../../target/release -l{prefix}\n"
        f'#include <stdlib.h>\n#include "{prefix}.h"\n*/\nimport "C"\n\n'
        'import (\n\t"runtime"\n\t"unsafe"\n)\n\n'
        f"// Engine owns a {handle}.\ntype Engine struct {{\n\tptr *C.{handle}\n}}\n\n"
        f"// NewEngine makes an engine.\nfunc NewEngine() *Engine {{\n"
        f"\te := &Engine{{ptr: C.{prefix}_new()}}\n"
        "\truntime.SetFinalizer(e, (*Engine).Close)\n\treturn e\n}\n\n"
        f"// Close frees the engine.\nfunc (e *Engine) Close() {{\n"
        f"\tif e.ptr != nil {{\n\t\tC.{prefix}_free(e.ptr)\n\t\te.ptr = nil\n\t}}\n}}\n\n"
        + "".join(calls)
        + f"var _ = {rng.randrange(1000)}\n"
    )


def generate(out: Path, files: int, boundary: float, seed: int) -> int:
    """Write about `files` files under `out`; returns how many were written."""
    rng = random.Random(seed)
    written = 0

    def write(path: Path, text: str) -> None:
        nonlocal written
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1

    write(out / "go.mod", "module example.com/corpus\n\ngo 1.22\n")
    service = 0
    while written < files:
        prefix = f"svc{service}_{_name(rng, 1)}"
        crate = out / "crates" / prefix
        package = out / "go" / prefix
        boundary_files = max(2, int(20 * boundary))
        plain_files = 20 - boundary_files if boundary < 1.0 else 0
        write(
            crate / "Cargo.toml",
            f'[package]\nname = "{prefix}"\nversion = "0.1.0"\nedition = "2021"\n\n'
            '[lib]\ncrate-type = ["staticlib"]\n\n[dependencies]\nlibc = "0.2.155"\n',
        )
        write(crate / "Cargo.lock", f'version = 3\n\n[[package]]\nname = "{prefix}"\n')
        write(crate / "rust-toolchain.toml", '[toolchain]\nchannel = "1.82.0"\n')
        modules = []
        all_decls: list[str] = []
        for m in range(boundary_files // 2):
            text, decls = rust_ffi_module(rng, f"{prefix}_{m}", rng.randrange(6, 14))
            write(crate / "src" / f"ffi_{m}.rs", text)
            modules.append(f"ffi_{m}")
            all_decls += decls
        for m in range(plain_files // 2):
            write(crate / "src" / f"model_{m}.rs", rust_plain_module(rng, rng.randrange(6, 16)))
            modules.append(f"model_{m}")
        write(crate / "src" / "lib.rs", "".join(f"pub mod {m};\n" for m in modules))
        write(out / "include" / f"{prefix}.h", header(prefix, all_decls))
        for m in range(boundary_files - boundary_files // 2):
            write(package / f"bind_{m}.go", go_cgo_file(rng, prefix, prefix, all_decls))
        for m in range(plain_files - plain_files // 2):
            write(package / f"util_{m}.go", go_plain_file(rng, prefix, rng.randrange(6, 16)))
        # The rest of the codebase: ordinary code that never touches the boundary.
        if boundary < 1.0:
            plain = int(20 * (1 - boundary) / boundary) if boundary > 0 else 20
            crate_dir = out / "lib" / f"crate{service}"
            write(
                crate_dir / "Cargo.toml",
                f'[package]\nname = "crate{service}"\nversion = "0.1.0"\nedition = "2021"\n',
            )
            rust_modules = []
            for m in range(plain):
                if m % 2:
                    go_file = out / "app" / f"pkg{service}" / f"f{m}.go"
                    write(go_file, go_plain_file(rng, f"pkg{service}", 12))
                else:
                    write(crate_dir / "src" / f"m{m}.rs", rust_plain_module(rng, 12))
                    rust_modules.append(f"m{m}")
            write(crate_dir / "src" / "lib.rs", "".join(f"pub mod {m};\n" for m in rust_modules))
        service += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--boundary", type=float, default=0.1, help="share of boundary files")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    count = generate(args.out, args.files, args.boundary, args.seed)
    lines = sum(p.read_bytes().count(b"\n") for p in args.out.rglob("*") if p.is_file())
    print(f"{count} files, {lines} lines in {os.fspath(args.out)}")


if __name__ == "__main__":
    main()
