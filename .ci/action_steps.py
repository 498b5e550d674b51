#!/usr/bin/env python3
"""Runs the shell steps of action.yml the way GitHub's runner runs a
composite action, and prints what they left:
the step outputs, the job summary and the exit code. No runner exists
outside GitHub, so this plays its part for the steps' own scripts: inputs
(defaults filled in) and earlier step outputs reach `${{ }}` in `env:` and
`if:`; `GITHUB_OUTPUT`, `GITHUB_PATH` and `GITHUB_STEP_SUMMARY` are files;
scripts run as `bash --noprofile --norc -eo pipefail`. `uses:` steps (the
cache, the SARIF upload) are not run: a cache miss is assumed. When
`GOVERN_PREINSTALLED` names a folder holding a built govern, the install
step links it where `cargo install` would have put it instead of building.

    python3 .ci/action_steps.py WORKSPACE OUT [input=value ...]

Prints a JSON object {"exit", "outputs": {step: {...}}, "summary",
"failed_step"} on standard output; the steps' own output goes to stderr.
"""

import json
import os
import pathlib
import re
import subprocess
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.S)


class Context:
    def __init__(self, inputs, workspace, temp):
        self.inputs = inputs
        self.steps = {}
        self.workspace = workspace
        self.temp = temp
        self.failed = False

    def value(self, path):
        parts = path.split(".")
        if parts[0] == "inputs":
            return self.inputs[parts[1]]
        if parts[0] == "steps":
            step = self.steps.get(parts[1], {})
            if parts[2] == "outputs":
                return step.get("outputs", {}).get(parts[3], "")
            return step.get(parts[2], "")
        if path == "github.action_path":
            return str(ROOT)
        if path == "runner.temp":
            return self.temp
        if path == "runner.os":
            return "Linux"
        raise SystemExit(f"action_steps.py does not know `{path}`")

    def evaluate(self, expression):
        """Evaluates the expressions action.yml uses: property paths,
        string literals, ==, !=, !, &&, ||, cancelled(), success(),
        failure(), contains(fromJSON('[...]'), x)."""
        text = expression
        text = re.sub(
            r"contains\(fromJSON\('(\[.*?\])'\),\s*([\w.-]+)\)",
            lambda m: f"({self.literal(self.value(m.group(2)))} in {m.group(1)})",
            text,
        )
        text = text.replace("!cancelled()", "True").replace("cancelled()", "False")
        text = text.replace("success()", repr(not self.failed))
        text = text.replace("failure()", repr(self.failed))
        text = re.sub(
            r"\b((?:inputs|steps|github|runner)\.[\w.-]+)",
            lambda m: self.literal(self.value(m.group(1))),
            text,
        )
        text = text.replace("&&", " and ").replace("||", " or ")
        text = re.sub(r"!(?!=)", " not ", text)
        return eval(text, {"__builtins__": {}}, {})  # noqa: S307: our own file

    @staticmethod
    def literal(value):
        return repr(str(value))

    def substitute(self, text):
        return EXPRESSION.sub(lambda m: str(self.evaluate(m.group(1))), str(text))


def outputs_of(path):
    result = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            result[key] = value
    return result


def main(workspace, out, given):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
    for pair in given:
        key, value = pair.split("=", 1)
        if key not in inputs:
            raise SystemExit(f"action.yml has no input `{key}`")
        inputs[key] = value
    out = pathlib.Path(out)
    temp = out / "runner-temp"
    temp.mkdir(parents=True, exist_ok=True)
    summary = out / "step-summary.md"
    summary.write_text("")
    path_file = out / "github-path"
    path_file.write_text("")
    ctx = Context(inputs, workspace, str(temp))
    preinstalled = os.environ.get("GOVERN_PREINSTALLED")
    exit_code = 0
    failed_step = None
    for n, step in enumerate(action["runs"]["steps"], 1):
        step_id = step.get("id", f"step{n}")
        condition = step.get("if")
        if condition is not None:
            run = ctx.evaluate(EXPRESSION.sub(r"\1", str(condition)))
        else:
            run = not ctx.failed
        if not run or "uses" in step:
            ctx.steps[step_id] = {"outcome": "skipped", "outputs": {}}
            continue
        if preinstalled and "cargo install" in step["run"]:
            # The install step's place: govern where it would have put it.
            bin_dir = pathlib.Path(ctx.substitute(step["env"]["ROOT"])) / "bin"
            bin_dir.mkdir(parents=True, exist_ok=True)
            link = bin_dir / "govern"
            if not link.exists():
                link.symlink_to(pathlib.Path(preinstalled).resolve() / "govern")
            ctx.steps[step_id] = {"outcome": "success", "outputs": {}}
            continue
        output_file = out / f"output-{n}"
        output_file.write_text("")
        env = dict(os.environ)
        extra_path = [p for p in path_file.read_text().splitlines() if p]
        env["PATH"] = os.pathsep.join(extra_path + [env["PATH"]])
        env.update(
            GITHUB_OUTPUT=str(output_file),
            GITHUB_PATH=str(path_file),
            GITHUB_STEP_SUMMARY=str(summary),
            RUNNER_TEMP=str(temp),
            RUNNER_OS="Linux",
            RUNNER_ARCH="X64",
        )
        for key, value in (step.get("env") or {}).items():
            env[key] = ctx.substitute(value)
        code = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=workspace,
            env=env,
            stdout=sys.stderr,
            check=False,
        ).returncode
        ctx.steps[step_id] = {
            "outcome": "success" if code == 0 else "failure",
            "outputs": outputs_of(output_file),
        }
        if code != 0 and not ctx.failed:
            ctx.failed = True
            exit_code = code
            failed_step = step.get("name", step_id)
    json.dump(
        {
            "exit": exit_code,
            "failed_step": failed_step,
            "outputs": {k: v["outputs"] for k, v in ctx.steps.items() if v["outputs"]},
            "summary": summary.read_text(),
        },
        sys.stdout,
        indent=2,
    )
    print()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
