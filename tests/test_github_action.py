"""action.yml and the workflow of docs/github-code-scanning.md: consistent with the CLI,
and the SARIF they upload meets design.md's contract."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop_lint.cli import check
from tests.conftest import FIXTURES, ROOT, run_cli

ACTION = ROOT / "action.yml"
DOC = ROOT / "docs" / "github-code-scanning.md"
UPLOAD_SARIF = "github/codeql-action/upload-sarif@v3"
CHECK_OPTIONS = {opt for param in check.params for opt in getattr(param, "opts", ())}


def _action() -> dict[str, Any]:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def _steps_named(steps: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {step["name"]: step for step in steps if "name" in step}


def _interop_lint_options(command: str) -> list[str]:
    """The options of every `interop-lint check` command line in a script."""
    found = []
    for line in command.splitlines():
        if "interop-lint check" in line:
            words = shlex.split(line.split("interop-lint check", 1)[1].split("||")[0])
            found += [word for word in words if word.startswith("-")]
    return found


def test_action_is_a_composite_with_the_documented_inputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert {"paths", "args", "category", "upload", "version"} <= set(inputs)
    assert inputs["upload"]["default"] == "true"
    assert inputs["category"]["default"] == "interop-lint/"
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    assert documented == set(inputs)


def test_action_references_only_inputs_and_steps_it_has() -> None:
    action = _action()
    text = ACTION.read_text(encoding="utf-8")
    assert set(re.findall(r"inputs\.([\w-]+)", text)) <= set(action["inputs"])
    step_ids = {step.get("id") for step in action["runs"]["steps"]}
    assert set(re.findall(r"steps\.([\w-]+)\.", text)) <= step_ids
    for step in action["runs"]["steps"]:
        # Inputs go through `env:`, never into the script text (script injection).
        assert "${{" not in step.get("run", ""), step["name"]
        if "run" in step:
            assert step["shell"] == "bash"


def test_action_runs_the_cli_with_options_it_has_and_uploads_with_the_same_category() -> None:
    steps = _steps_named(_action()["runs"]["steps"])
    run = steps["Run interop-lint"]
    options = _interop_lint_options(run["run"])
    assert {"--format", "-o", "--category"} <= set(options)
    assert set(options) <= CHECK_OPTIONS
    upload = steps["Upload to code scanning"]
    assert upload["uses"] == UPLOAD_SARIF
    assert upload["with"] == {
        "sarif_file": "${{ inputs.sarif-file }}",
        "category": "${{ inputs.category }}",
    }
    assert run["env"]["CATEGORY"] == "${{ inputs.category }}"
    assert run["env"]["SARIF_FILE"] == "${{ inputs.sarif-file }}"
    # Findings must not stop the upload; the upload must be switchable.
    assert upload["if"].startswith("always()") and "inputs.upload == 'true'" in upload["if"]


def _run_step(script: str, env: dict[str, str], cwd: Path) -> dict[str, str]:
    """Run one `run:` script as the runner would; returns what it wrote to GITHUB_OUTPUT."""
    output = cwd / "github-output.txt"
    output.write_text("", encoding="utf-8")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    completed = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, **env, "PATH": path, "GITHUB_OUTPUT": str(output)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode in (0, 1, 2), completed.stderr
    values = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    values["__status__"] = str(completed.returncode)
    return values


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's scripts are bash")
def test_action_check_step_writes_sarif_and_keeps_the_exit_status(
    tmp_path: Path, sarif_validator
) -> None:
    if not (Path(sys.executable).parent / "interop-lint").exists():
        pytest.skip("the interop-lint console script is not installed beside this Python")
    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "deps" / "cargo-versions", checkout)
    script = _steps_named(_action()["runs"]["steps"])["Run interop-lint"]["run"]
    env = {
        "PATHS": ".",
        "ARGS": "--select DEP101",
        "CATEGORY": "interop-lint/deps",
        "SARIF_FILE": "out.sarif",
    }
    outputs = _run_step(script, env, checkout)
    assert outputs == {"exit-code": "1", "written": "true", "__status__": "0"}
    document = json.loads((checkout / "out.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator.iter_errors(document))
    (run,) = document["runs"]
    assert run["automationDetails"]["id"] == "interop-lint/deps/"
    assert {r["ruleId"] for r in run["results"]} == {"DEP101"}

    broken = _run_step(script, {**env, "ARGS": "--select NOPE1"}, checkout)
    assert broken == {"exit-code": "2", "__status__": "0"}  # no file, so no upload


@pytest.mark.skipif(shutil.which("bash") is None, reason="the action's scripts are bash")
@pytest.mark.parametrize(
    ("status", "fail_on_findings", "expected"),
    [("0", "false", 0), ("1", "false", 0), ("1", "true", 1), ("2", "false", 2)],
)
def test_action_exit_step(tmp_path: Path, status: str, fail_on_findings: str, expected: int):
    script = _steps_named(_action()["runs"]["steps"])["Exit status"]["run"]
    env = {"STATUS": status, "FAIL_ON_FINDINGS": fail_on_findings}
    assert _run_step(script, env, tmp_path)["__status__"] == str(expected)


def _documented_workflow() -> dict[str, Any]:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"## A complete workflow.*?```yaml\n(.*?)```", text, re.S)
    assert block, "the complete workflow block"
    return yaml.safe_load(block.group(1))


def test_documented_workflow_is_complete() -> None:
    workflow = _documented_workflow()
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@")
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any("pip install" in step.get("run", "") for step in steps)
    (run,) = [step for step in steps if "interop-lint check" in step.get("run", "")]
    command = shlex.split(run["run"])
    assert command[:2] == ["interop-lint", "check"]
    assert {"--format", "-o", "--exit-zero"} <= set(command)
    assert {word for word in command if word.startswith("-")} <= CHECK_OPTIONS
    assert command[command.index("--format") + 1] == "sarif"
    (upload,) = [step for step in steps if step.get("uses") == UPLOAD_SARIF]
    assert upload["with"]["sarif_file"] == command[command.index("-o") + 1]
    assert upload["with"]["category"].rstrip("/") == "interop-lint"  # the SARIF's default
    assert upload["if"].startswith("always()")
    assert uses.index(UPLOAD_SARIF) > steps.index(run)


def test_documented_command_writes_sarif_that_meets_the_contract(
    tmp_path: Path, sarif_validator
) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(FIXTURES / "deps" / "cargo-versions", checkout)
    workflow = _documented_workflow()
    (job,) = workflow["jobs"].values()
    (run,) = [step for step in job["steps"] if "interop-lint check" in step.get("run", "")]
    result = run_cli(shlex.split(run["run"])[1:], checkout)
    assert result.exit_code == 0, result.output  # --exit-zero: the upload runs
    document = json.loads((checkout / "interop-lint.sarif").read_text(encoding="utf-8"))
    assert not list(sarif_validator.iter_errors(document))
    (sarif_run,) = document["runs"]
    assert sarif_run["automationDetails"]["id"] == "interop-lint/"
    assert sarif_run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == checkout.resolve().as_uri() + "/"
    assert sarif_run["results"]
    for sarif_result in sarif_run["results"]:
        location = sarif_result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith(("/", "file:"))
        assert sarif_result["partialFingerprints"]["primaryLocationLineHash"]
