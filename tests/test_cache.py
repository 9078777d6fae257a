"""The cache: what hits, what invalidates it, and that no entry can hurt a run."""

from __future__ import annotations

import hashlib
import os
import pickle
import subprocess
import sys
import time
import zlib
from pathlib import Path

import msgspec
import pytest

from interop_lint.analyzer import cache as cache_module
from interop_lint.analyzer import cache_keys, parsing
from interop_lint.analyzer.codec import CorruptEntry, decode, encode
from interop_lint.analyzer.config import Config
from interop_lint.analyzer.engine import RunOptions, RunResult, run
from interop_lint.analyzer.findings import NotificationKind
from interop_lint.rules.registry import all_rules
from tests.conftest import FIXTURES, ROOT, Project, run_cli

CASE = FIXTURES / "cross" / "handwritten-header"


def _copy(case: Path, into: Path) -> Path:
    import shutil

    shutil.copytree(
        case, into, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".interop-lint-cache")
    )
    return into


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return _copy(CASE, tmp_path / "project")


def _run(root: Path, cache: Path | None, **options: object) -> RunResult:
    return run(
        RunOptions(
            str(root),
            options.pop("config", Config()),  # type: ignore[arg-type]
            all_rules(),
            cache_dir=None if cache is None else str(cache),
            **options,  # type: ignore[arg-type]
        )
    )


def _outcome(result: RunResult) -> tuple[list, list]:
    return result.findings, result.notifications


def _entries(cache: Path, kind: str = "facts") -> list[Path]:
    return sorted(p for p in (cache / "v1" / kind).rglob("*") if p.is_file())


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    parsed: list[bytes] = []
    real = parsing.parse

    def spy(grammar, data):  # type: ignore[no-untyped-def]
        parsed.append(data)
        return real(grammar, data)

    monkeypatch.setattr(parsing, "parse", spy)  # SourceFile.tree reads it when called
    return parsed


def test_the_case_has_findings_to_compare() -> None:
    assert _run(CASE, None).findings


def test_a_warm_run_parses_nothing_and_finds_the_same(
    tree: Path, tmp_path: Path, parses: list[bytes]
) -> None:
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    assert parses and cold.statistics["facts from cache"] == 0
    parses.clear()
    warm = _run(tree, cache)
    assert parses == []
    assert warm.statistics["findings from cache"] > 0
    assert _outcome(warm) == _outcome(cold)


def test_a_changed_file_is_indexed_again_and_the_others_come_from_the_cache(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = _run(tree, cache)
    header = next(tree.rglob("*.h"))
    header.write_text(header.read_text() + "\nint added_later(int x);\n")
    second = _run(tree, cache)
    assert second.statistics["files indexed"] == 1
    assert second.statistics["facts from cache"] == first.statistics["files indexed"] - 1
    assert _outcome(second) == _outcome(_run(tree, None))


def test_a_tree_unchanged_since_the_last_walk_is_not_walked_and_a_changed_one_is(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from interop_lint.analyzer import discovery

    monkeypatch.setattr(discovery, "SETTLED_NS", 0)  # the copy was made just now
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    walks: list[str] = []
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        walks.append(path)
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    assert _outcome(_run(tree, cache)) == _outcome(cold)
    assert walks == []
    # A new file in a directory the last walk saw: found, and its finding reported.
    time.sleep(0.01)
    (tree / "src" / "extra.rs").write_text(
        '#[no_mangle]\npub extern "C" fn extra_parse(p: *const u8) -> u8 {\n    unsafe { *p }\n}\n'
    )
    added = _run(tree, cache)
    assert walks
    assert "src/extra.rs" in {f.location.path for f in added.findings}
    assert _outcome(added) == _outcome(_run(tree, None))
    # A .gitignore edited in place (no directory changes): the walk is made again.
    (tree / ".gitignore").write_text("")
    _run(tree, cache)
    time.sleep(0.01)
    (tree / ".gitignore").write_text("src/extra.rs\n")
    ignored = _run(tree, cache)
    assert _outcome(ignored) == _outcome(cold)


def test_the_same_content_elsewhere_is_not_a_hit(tree: Path, tmp_path: Path) -> None:
    # Facts hold locations: the path is part of the key.
    cache = tmp_path / "cache"
    _run(tree, cache)
    moved = _copy(tree, tmp_path / "moved" / "deeper")
    (moved / "extra").mkdir()
    for path in list(moved.iterdir()):
        if path.name != "extra":
            path.rename(moved / "extra" / path.name)
    result = _run(moved, cache)
    assert result.statistics["facts from cache"] == 0
    assert [f.location.path for f in result.findings] == [
        f"extra/{f.location.path}" for f in _run(tree, None).findings
    ]


def test_a_config_change_invalidates_everything(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(tree, cache)
    again = _run(tree, cache, config=Config(panic_guards=("my_guard",)))
    assert again.statistics["facts from cache"] == 0
    assert again.statistics["findings from cache"] == 0


def test_a_change_to_the_tools_code_invalidates_everything(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    _run(tree, cache)
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", ["a facts dataclass changed"])
    assert _run(tree, cache).statistics["facts from cache"] == 0
    monkeypatch.setattr(cache_keys, "__version__", "99.0")
    assert _run(tree, cache).statistics["facts from cache"] == 0


def test_the_code_digest_covers_every_module_of_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    real_open = open

    def counting_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith(".py"):
            read.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", counting_open)
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", [])
    first = cache_keys.code_digest()
    package = Path(cache_keys.__file__).parent.parent
    assert len(first) == 32 and cache_keys.code_digest() == first
    assert sorted(read) == sorted(str(p) for p in package.rglob("*.py"))


def test_the_code_digest_is_kept_under_the_modules_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "cache" / cache_keys.FORMAT / "code"
    monkeypatch.setattr(cache_keys, "SETTLED_NS", 0)  # a module may have been edited just now
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", [])
    digest = cache_keys.code_digest(str(tmp_path / "cache"))
    stamps, kept = memo.read_text().split(" ")
    assert kept == digest
    # While every module is stamped as it was, the memo is the digest: not read again.
    memo.write_text(f"{stamps} {'f' * 32}")
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", [])
    assert cache_keys.code_digest(str(tmp_path / "cache")) == "f" * 32
    # Other stamps (a module edited, another install): read again, and kept anew.
    memo.write_text(f"{'0' * 32} {'f' * 32}")
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", [])
    assert cache_keys.code_digest(str(tmp_path / "cache")) == digest
    assert memo.read_text() == f"{stamps} {digest}"
    # A module changed in the last seconds cannot stand for its content: no memo.
    memo.unlink()
    monkeypatch.setattr(cache_keys, "SETTLED_NS", 10**20)
    monkeypatch.setattr(cache_keys, "_CODE_DIGEST", [])
    assert cache_keys.code_digest(str(tmp_path / "cache")) == digest
    assert not memo.exists()


def _only_rule(rule_id: str) -> list[type]:
    return [r for r in all_rules() if r.id == rule_id]


def test_another_rule_selection_keeps_its_own_findings(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    run(RunOptions(str(tree), Config(), all_rules(), cache_dir=str(cache)))
    one = run(RunOptions(str(tree), Config(), _only_rule("XL101"), cache_dir=str(cache)))
    assert one.statistics["findings from cache"] == 0 and one.statistics["facts from cache"] > 0
    assert {f.rule_id for f in one.findings} == {"XL101"}
    assert _run(tree, cache).statistics["files checked"] == 0  # still warm


def test_changed_files_mode_from_a_warm_cache(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(tree, cache)
    named = (next(tree.rglob("*.h")).relative_to(tree).as_posix(),)
    warm = _run(tree, cache, scope=named)
    assert warm.statistics["files checked"] == 0
    assert _outcome(warm) == _outcome(_run(tree, None, scope=named))


def _corrupt_every_entry(cache: Path, how: str) -> None:
    for entry in _entries(cache) + _entries(cache, "runs"):
        data = entry.read_bytes()
        if how == "flip":
            middle = len(data) - 5
            entry.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
        elif how == "truncate":
            entry.write_bytes(data[: len(data) // 2])
        elif how == "empty":
            entry.write_bytes(b"")


def test_a_corrupt_entry_is_a_notification_and_the_result_is_right(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    _corrupt_every_entry(cache, "flip")
    result = _run(tree, cache)
    assert result.findings == cold.findings
    notes = [n for n in result.notifications if n.kind is NotificationKind.CACHE]
    assert notes and all("corrupt cache entry" in n.message for n in notes)
    assert not result.failed  # a warning: the run itself is complete
    assert _outcome(_run(tree, cache)) == _outcome(cold)  # rewritten


@pytest.mark.parametrize("how", ["truncate", "empty"])
def test_a_truncated_entry_is_a_silent_miss(tree: Path, tmp_path: Path, how: str) -> None:
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    _corrupt_every_entry(cache, how)
    result = _run(tree, cache)
    assert result.statistics["facts from cache"] == 0
    assert _outcome(result) == _outcome(cold)


class _Exploit:
    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, ("touch pwned-by-cache",))


def _forge(entry: Path, payload: bytes) -> None:
    """Replace a cache file's payload, with a valid header and checksum."""
    header = cache_module._HEADER
    magic, salt, _, _ = header.unpack_from(entry.read_bytes())
    checksum = hashlib.blake2b(payload, digest_size=16).digest()
    entry.write_bytes(header.pack(magic, salt, len(payload), checksum) + payload)


@pytest.mark.parametrize("level", ["pack", "entry", "run"])
def test_a_forged_entry_cannot_run_code(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, level: str
) -> None:
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    exploit = pickle.dumps(_Exploit())
    for pack in _entries(cache):
        if level == "pack":
            _forge(pack, exploit)
        elif level == "entry":
            keys = decode(pack.read_bytes()[cache_module._HEADER.size :])
            _forge(pack, pickle.dumps(dict.fromkeys(keys, zlib.compress(exploit))))
    for run_file in _entries(cache, "runs"):
        if level == "run":
            _forge(run_file, zlib.compress(exploit))
        else:
            run_file.unlink()
    monkeypatch.chdir(tmp_path)
    result = _run(tree, cache)
    assert not (tmp_path / "pwned-by-cache").exists()
    assert result.findings == cold.findings
    notes = [n for n in result.notifications if n.kind is NotificationKind.CACHE]
    assert notes and all("forbidden" in n.message for n in notes)


def test_a_forged_run_naming_paths_outside_the_project_is_ignored(
    tree: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cold = _run(tree, cache)
    (run_file,) = _entries(cache, "runs")
    record = decode(zlib.decompress(run_file.read_bytes()[cache_module._HEADER.size :]))
    for checked in record.checked.values():
        checked.findings = tuple(
            msgspec.structs.replace(
                f, location=msgspec.structs.replace(f.location, path="../../etc/passwd")
            )
            for f in checked.findings
        )
    _forge(run_file, zlib.compress(encode(record)))
    result = _run(tree, cache)
    assert result.findings == cold.findings
    notes = [n for n in result.notifications if n.kind is NotificationKind.CACHE]
    assert notes and all("outside the project" in n.message for n in notes)


def test_stale_packs_and_runs_of_other_versions_are_pruned(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(tree, cache)
    old = [*_entries(cache), *_entries(cache, "runs")]
    week_ago = time.time() - 8 * 24 * 3600
    for path in old:
        os.utime(path, (week_ago, week_ago))
    _run(tree, cache, config=Config(panic_guards=("another_config",)))
    assert not [p for p in old if p.exists()]


def test_packs_are_folded_into_one_when_there_are_many(tree: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    header = next(tree.rglob("*.h"))
    text = header.read_text()
    for n in range(cache_module.MAX_PACKS + 1):
        header.write_text(text + f"\nint edit_{n}(void);\n")
        _run(tree, cache)
    assert len(_entries(cache)) == 1
    result = _run(tree, cache)
    assert result.statistics["files indexed"] == 0
    assert _outcome(result) == _outcome(_run(tree, None))


def test_decoding_refuses_anything_but_our_data() -> None:
    with pytest.raises(CorruptEntry):
        decode(pickle.dumps(_Exploit()))
    with pytest.raises(CorruptEntry):
        decode(pickle.dumps(subprocess.Popen))
    with pytest.raises(CorruptEntry):
        decode(b"\x80\x05garbage")
    # Our own functions are not classes: refused too.
    sneaky = pickle.dumps(cache_keys.code_digest)
    with pytest.raises(CorruptEntry):
        decode(sneaky)
    facts = _run(CASE, None).findings
    assert decode(encode(facts)) == facts


def test_no_cache_writes_nothing(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy(CASE, project.root)
    elsewhere = tmp_path / "env-cache"
    monkeypatch.setenv("INTEROP_LINT_CACHE_DIR", str(elsewhere))
    before = sorted(project.root.rglob("*"))
    result = run_cli(["check", "--no-cache"], project.root)
    assert result.exit_code == 1
    assert sorted(project.root.rglob("*")) == before
    assert not elsewhere.exists()


def test_the_default_cache_is_at_the_project_root(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    _copy(CASE, project.root)
    monkeypatch.delenv("INTEROP_LINT_CACHE_DIR")
    (project.root / "sub").mkdir()
    result = run_cli(["check", "--root", str(project.root), ".."], project.root / "sub")
    assert result.exit_code == 1, result.output
    cache = project.root / ".interop-lint-cache"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f0688")
    assert (cache / ".gitignore").read_text().endswith("*\n")
    assert _entries(cache)
    assert not (project.root / "sub" / ".interop-lint-cache").exists()


def test_cache_dir_is_honoured(project: Project, tmp_path: Path) -> None:
    _copy(CASE, project.root)
    first = run_cli(["check", "--cache-dir", str(tmp_path / "mine")], project.root)
    second = run_cli(["check", "--cache-dir", str(tmp_path / "mine")], project.root)
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    assert _entries(tmp_path / "mine")
    assert not (project.root / ".interop-lint-cache").exists()


def test_a_cache_that_cannot_be_written_is_no_failure(tree: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = _run(tree, blocker / "cache")
    assert _outcome(result) == _outcome(_run(tree, None))


def test_every_write_is_atomic(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    renamed: list[str] = []
    real_replace = os.replace

    def replace(source, destination):  # type: ignore[no-untyped-def]
        assert Path(source).parent == Path(destination).parent
        assert Path(source).name.startswith(".tmp-")
        renamed.append(str(destination))
        real_replace(source, destination)

    monkeypatch.setattr(cache_module.os, "replace", replace)
    _run(tree, cache)
    written = {str(p) for p in cache.rglob("*") if p.is_file()}
    assert written == set(renamed)
    assert not [p for p in cache.rglob(".tmp-*")]


def test_a_write_that_fails_half_way_leaves_nothing(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"

    def fail(source, destination):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache_module.os, "replace", fail)
    result = _run(tree, cache)
    assert _outcome(result) == _outcome(_run(tree, None))
    assert not [p for p in cache.rglob("*") if p.is_file() and p.name != ".gitignore"]


def test_two_runs_at_once_both_succeed(tree: Path, tmp_path: Path) -> None:
    expected = run_cli(["check", "--no-cache", "--format", "json"], tree).stdout
    command = [
        sys.executable,
        "-m",
        "interop_lint",
        "check",
        "--format",
        "json",
        "--cache-dir",
        str(tmp_path / "shared"),
    ]
    for _ in range(3):  # cold, then warm, racing each time
        processes = [
            subprocess.Popen(
                command,
                cwd=tree,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate() for p in processes]
        assert [p.returncode for p in processes] == [1, 1], outputs
        assert [out.decode() for out, _ in outputs] == [expected, expected]
        assert all(b"cache" not in err for _, err in outputs)
