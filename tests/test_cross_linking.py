"""Which crate a header or preamble binds: never "any export of that name"."""

from __future__ import annotations

import json

from tests.conftest import Project, run_cli
from tests.rust_helpers import project_index

CRATE = """[package]
name = "{name}"
version = "0.1.0"
edition = "2021"

[lib]
crate-type = ["staticlib"]
"""


def _crate(project: Project, directory: str, name: str, lib: str) -> None:
    project.write(f"{directory}/Cargo.toml", CRATE.format(name=name))
    project.write(f"{directory}/src/lib.rs", lib)


def _xl(project: Project, *args: str) -> list[tuple[str, int, str]]:
    result = run_cli(["check", "--format", "json", "--select", "XL", *args], cwd=project.root)
    assert result.exit_code in (0, 1), result.output
    return [(f["path"], f["line"], f["rule"]) for f in json.loads(result.stdout)["findings"]]


def test_a_header_binds_the_nearest_crate_exporting_its_functions(project: Project) -> None:
    for name, signature in (("audio", "rate: u32"), ("video", "width: u64")):
        _crate(
            project,
            name,
            name,
            f'#[no_mangle]\npub extern "C" fn {name}_init() {{}}\n'
            f'#[no_mangle]\npub extern "C" fn codec_open({signature}) {{}}\n',
        )
        project.write(
            f"{name}/include/{name}.h",
            f"#include <stdint.h>\nvoid {name}_init(void);\nvoid codec_open(uint32_t x);\n",
        )
    # audio.h matches its own crate; video.h is compared with video's codec_open only.
    assert _xl(project) == [("video/include/video.h", 3, "XL101")]


def test_equally_near_crates_are_told_apart_by_how_many_declarations_match(
    project: Project,
) -> None:
    _crate(project, "crates/a", "a", '#[no_mangle]\npub extern "C" fn shared(x: u8) {}\n')
    _crate(
        project,
        "crates/b",
        "b",
        '#[no_mangle]\npub extern "C" fn shared(x: i64) {}\n'
        '#[no_mangle]\npub extern "C" fn b_only() {}\n',
    )
    project.write(
        "include/b.h", "#include <stdint.h>\nvoid shared(int64_t x);\nvoid b_only(void);\n"
    )
    assert _xl(project) == []


def test_a_lone_name_shared_with_a_far_crate_is_no_link(project: Project) -> None:
    _crate(project, "rust", "engine", '#[no_mangle]\npub extern "C" fn engine_new(x: u8) {}\n')
    project.write(
        "vendor/other/other.h",
        "void engine_new(void);\nvoid other_a(void);\nvoid other_b(void);\nvoid other_c(void);\n",
    )
    assert _xl(project) == []


def test_a_preamble_links_its_crate_through_ldflags(project: Project) -> None:
    _crate(project, "rust", "engine-core", '#[no_mangle]\npub extern "C" fn engine_new() {}\n')
    project.write(
        "go/engine.go",
        "package engine\n\n"
        "// #cgo LDFLAGS: -L${SRCDIR}/../rust/target/release -lengine_core\n"
        "// void engine_gone(void);\n"
        'import "C"\n\n'
        "func Gone() { C.engine_gone() }\n",
    )
    assert _xl(project) == [("go/engine.go", 7, "XL102")]


def test_a_declaration_only_a_system_header_has_is_not_the_repositorys(project: Project) -> None:
    _crate(project, "rust", "engine", '#[no_mangle]\npub extern "C" fn engine_new() {}\n')
    project.write(
        "go/engine.go",
        "package engine\n\n"
        "// #include <stdlib.h>\n"
        "// #include <string.h>\n"
        "// void engine_new(void);\n"
        'import "C"\n\n'
        "func New() { C.engine_new(); _ = C.strlen(nil); C.free(nil) }\n",
    )
    assert _xl(project) == []


def test_header_globs_choose_the_headers_of_the_contract(project: Project) -> None:
    _crate(
        project,
        "rust",
        "engine",
        '#[no_mangle]\npub extern "C" fn engine_new(x: u8) {}\n'
        '#[no_mangle]\npub extern "C" fn engine_free() {}\n',
    )
    project.write("include/engine.h", "void engine_new(int x);\nvoid engine_free(void);\n")
    project.write("legacy/engine_v0.h", "void engine_new(long x);\nvoid engine_free(void);\n")
    assert {path for path, _, _ in _xl(project)} == {"include/engine.h", "legacy/engine_v0.h"}
    project.write(".interop-lint.toml", 'header-globs = ["include/*.h"]\n')
    assert _xl(project) == [("include/engine.h", 1, "XL101")]


def test_findings_in_headers_can_be_suppressed_inline(project: Project) -> None:
    _crate(project, "rust", "engine", '#[no_mangle]\npub extern "C" fn engine_new(x: u8) {}\n')
    project.write(
        "include/engine.h",
        "// interop-lint: ignore[XL101]\nvoid engine_new(int x);\n",
    )
    assert _xl(project) == []


def test_a_go_file_without_a_preamble_calls_nothing_declared(project: Project) -> None:
    _crate(project, "rust", "engine", '#[no_mangle]\npub extern "C" fn engine_new() {}\n')
    project.write("go/engine.go", 'package engine\n\nimport "C"\n\nfunc New() { C.engine_new() }\n')
    assert _xl(project) == []


def test_a_preamble_finds_an_angle_included_header_in_its_own_directory() -> None:
    index = project_index(
        {
            "banner/banner.go": 'package banner\n\n// #include <banner.h>\nimport "C"\n',
            "banner/banner.h": "#include <types.h>\nchar *banner_render(void);\n",
            "banner/types.h": "typedef int banner_width;\n",
            "other/other.go": 'package other\n\n// #include <types.h>\nimport "C"\n',
        }
    ).c
    # `go build` compiles a preamble with `-I` of its package directory; a header is
    # compiled with whatever `-I` its includer has, which need not be its own directory.
    assert index.includes_of("banner/banner.go") == ["banner/banner.h"]
    assert index.includes_of("banner/banner.h") == []
    assert index.includes_of("other/other.go") == []


def test_the_repr_c_struct_is_compared_beside_a_rust_only_namesake(project: Project) -> None:
    _crate(
        project,
        "rust",
        "geometry",
        "mod engine;\n\n#[repr(C)]\npub struct Point { pub x: i32, pub y: i32 }\n\n"
        '#[no_mangle]\npub extern "C" fn point_norm(p: Point) -> i32 { p.x.abs() + p.y.abs() }\n',
    )
    project.write("rust/src/engine.rs", "pub struct Point { pub x: f64 }\n")
    project.write(
        "include/geometry.h",
        "#include <stdint.h>\ntypedef struct Point { int32_t x; int64_t y; } Point;\n"
        "int32_t point_norm(Point p);\n",
    )
    assert ("include/geometry.h", 2, "XL103") in _xl(project)
