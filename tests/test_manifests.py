"""Facts of Cargo.toml, go.mod and toolchain files, with real line numbers."""

from __future__ import annotations

import pytest

from interop_lint.analyzer.discovery import FileKind
from interop_lint.analyzer.facts import FileFacts
from interop_lint.analyzer.manifests.cargo import extract_cargo_manifest, is_unbounded_requirement
from interop_lint.analyzer.manifests.gomod import extract_go_mod
from interop_lint.analyzer.manifests.toml_lines import key_lines
from interop_lint.analyzer.manifests.toolchain import extract_toolchain
from interop_lint.analyzer.source import SourceFile


def _facts(path: str, kind: FileKind, text: str) -> FileFacts:
    source = SourceFile(path, kind, text.encode())
    facts = FileFacts(path, kind, source.digest)
    extractor = {
        FileKind.CARGO_TOML: extract_cargo_manifest,
        FileKind.GO_MOD: extract_go_mod,
        FileKind.RUST_TOOLCHAIN: extract_toolchain,
    }[kind]
    extractor(source, facts)
    return facts


def test_key_lines_follow_tables_dotted_keys_and_multiline_values() -> None:
    text = (
        "[package]\n"  # 1
        'name = "x"\n'  # 2
        'description = """\n'  # 3
        "[dependencies]\n"  # 4: inside a string
        '"""\n'  # 5
        "keywords = [\n"  # 6
        '  "a", "b",\n'  # 7
        "]\n"  # 8
        "[target.'cfg(unix)'.dependencies]\n"  # 9
        'libc = "*"\n'  # 10
        '"quoted.name" = { version = "1" }\n'  # 11
        "[dependencies]\n"  # 12
        "serde.workspace = true\n"  # 13
    )
    lines = key_lines(text)
    assert lines[("package", "description")] == 3
    assert ("dependencies",) in lines and lines[("dependencies",)] == 12
    assert lines[("target", "cfg(unix)", "dependencies", "libc")] == 10
    assert lines[("target", "cfg(unix)", "dependencies", "quoted.name")] == 11
    assert lines[("dependencies", "serde")] == 13


@pytest.mark.parametrize(
    ("requirement", "unbounded"),
    [
        ("*", True),
        ("", True),
        (">= 1.0", True),
        ("> 0.4, >= 1", True),
        ("1.2", False),
        ("^1", False),
        ("~1.2.3", False),
        ("=1.2.3", False),
        ("1.*", False),
        (">= 1, < 2", False),
        ("<= 3", False),
        (">= 1, ", False),  # not valid for Cargo: say nothing
    ],
)
def test_unbounded_requirements(requirement: str, unbounded: bool) -> None:
    assert is_unbounded_requirement(requirement) is unbounded


def test_cargo_manifest_facts() -> None:
    facts = _facts(
        "crates/ffi/Cargo.toml",
        FileKind.CARGO_TOML,
        '[package]\nname = "ffi"\nworkspace = "../.."\n\n[lib]\ncrate-type = ["cdylib"]\n\n'
        '[dependencies.x]\ngit = "https://e/x"\ntag = "v1"\n\n[profile.release]\npanic = "abort"\n',
    )
    manifest = facts.cargo
    assert manifest is not None
    assert (manifest.directory, manifest.package, manifest.workspace_path) == (
        "crates/ffi",
        "ffi",
        "../..",
    )
    assert manifest.links_into_go and manifest.crate_type_location.line == 6
    (dep,) = manifest.dependencies
    assert (dep.name, dep.git, dep.tag, dep.location.line) == ("x", "https://e/x", "v1", 8)
    (profile,) = manifest.panic_profiles
    assert (profile.profile, profile.strategy, profile.location.line) == ("release", "abort", 13)


def test_malformed_cargo_manifest_names_the_line() -> None:
    facts = _facts("Cargo.toml", FileKind.CARGO_TOML, '[package]\nname = "x"\nversion =\n')
    (note,) = facts.notifications
    assert note.line == 3 and facts.cargo is None


def test_go_mod_facts() -> None:
    facts = _facts(
        "svc/go.mod",
        FileKind.GO_MOD,
        'module "example.com/svc" // the service\n\ngo 1.22\n\nrequire (\n'
        "\texample.com/a v1.0.0 // indirect\n\texample.com/b v0.2.0\n)\n\n"
        "replace example.com/a v1.0.0 => ../a\nreplace example.com/b => example.com/c v0.3.0\n",
    )
    gomod = facts.gomod
    assert gomod is not None and not facts.notifications
    assert (gomod.module, gomod.module_location.line) == ("example.com/svc", 1)
    assert [(r.module, r.version, r.location.line) for r in gomod.requires] == [
        ("example.com/a", "v1.0.0", 6),
        ("example.com/b", "v0.2.0", 7),
    ]
    local, remote = gomod.replaces
    assert (local.old, local.old_version, local.new, local.is_local) == (
        "example.com/a",
        "v1.0.0",
        "../a",
        True,
    )
    assert gomod.replaced_locally(gomod.requires[0])
    assert not remote.is_local and not gomod.replaced_locally(gomod.requires[1])
    assert gomod.go_version == (1, 22) and gomod.predates(1, 23) and not gomod.predates(1, 17)


def test_go_mod_empty_blocks_and_old_language_versions() -> None:
    facts = _facts("go.mod", FileKind.GO_MOD, "module x\n\ngo 1.15.2\n\nrequire ()\n")
    gomod = facts.gomod
    assert gomod is not None and not facts.notifications
    assert gomod.requires == () and gomod.go_version == (1, 15) and gomod.predates(1, 17)
    unversioned = _facts("go.mod", FileKind.GO_MOD, "module x\n").gomod
    assert unversioned is not None and not unversioned.predates(1, 17)


def test_go_mod_unknown_directive() -> None:
    facts = _facts("go.mod", FileKind.GO_MOD, "module x\nrequires y v1\n")
    (note,) = facts.notifications
    assert (note.line, note.message) == (2, "go.mod: unknown directive `requires`")


@pytest.mark.parametrize(
    ("name", "text", "channel", "floating"),
    [
        ("rust-toolchain", "stable\n", "stable", True),
        (
            "rust-toolchain",
            "\nnightly-x86_64-unknown-linux-gnu\n",
            "nightly-x86_64-unknown-linux-gnu",
            True,
        ),
        ("rust-toolchain", "1.82.0\n", "1.82.0", False),
        ("rust-toolchain.toml", '[toolchain]\nchannel = "beta"\n', "beta", True),
        (
            "rust-toolchain.toml",
            '[toolchain]\nchannel = "nightly-2024-05-01"\n',
            "nightly-2024-05-01",
            False,
        ),
        ("rust-toolchain.toml", '[toolchain]\nchannel = "1.79"\n', "1.79", False),
        ("rust-toolchain.toml", '[toolchain]\ncomponents = ["clippy"]\n', None, False),
    ],
)
def test_toolchain_channels(name: str, text: str, channel: str | None, floating: bool) -> None:
    toolchain = _facts(name, FileKind.RUST_TOOLCHAIN, text).toolchain
    assert toolchain is not None
    assert toolchain.channel == channel and toolchain.is_floating is floating
