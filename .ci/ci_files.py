#!/usr/bin/env python3
"""Lays out govern's CI files for the linters in .ci/run, so the README's
recipes are checked as they are printed and cannot rot.

    python3 .ci/ci_files.py OUT

writes into OUT:

- workflows/readme-LINE.yml: each ```yaml block of README.md that is a GitHub
  workflow (it has `on:` and `jobs:`), for actionlint and check-jsonschema;
- gitlab/readme-LINE.yml: each block that is GitLab CI (top-level `include`,
  `stages`, `default` or `workflow`, or a job with a `script`), for
  check-jsonschema;
- pre-commit/readme-LINE.yaml: each block that is a .pre-commit-config.yaml;
- scripts/*.sh: the `run:` script of every step of action.yml and of those
  workflows, `${{ ... }}` made a plain word, and the scripts of the jobs of
  the GitLab template and blocks, for shellcheck (the actionlint that CI
  runs is a WebAssembly build, which cannot call shellcheck itself).

It also checks what no schema can: each step of a README workflow that uses
govern's action passes only inputs action.yml declares, and reads only
outputs it declares. Exits 1 naming the README line of each problem.
"""

import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
ACTION = "govern-dev/govern@"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


def blocks(text):
    """Yields (line, body) of each ```yaml block, line 1-based."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```yaml":
            start = i + 1
            j = start
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            yield start + 1, "\n".join(lines[start:j]) + "\n"
            i = j
        i += 1


def kind(body):
    keys = set(re.findall(r"^([A-Za-z_.-][\w.-]*):", body, re.M))
    if {"on", "jobs"} <= keys:
        return "workflows"
    if "repos" in keys:
        return "pre-commit"
    if keys & {"include", "stages", "default", "workflow"} or re.search(
        r"^  script:", body, re.M
    ):
        return "gitlab"
    # Another tool's YAML (OPA's configuration): none of these linters'.
    return None


def script(run, shell):
    text = EXPRESSION.sub("GITHUB_EXPRESSION", run)
    # GitHub runs `bash --noprofile --norc -eo pipefail {0}`.
    return f"#!/usr/bin/env bash\n# shell: {shell}\nset -eo pipefail\n{text}"


def scripts(steps, name, out):
    for n, step in enumerate(steps or [], 1):
        if isinstance(step, dict) and "run" in step:
            shell = step.get("shell", "bash")
            if shell != "bash":
                sys.exit(f"{name} step {n}: shell {shell}, not bash")
            (out / f"{name}-step{n}.sh").write_text(script(step["run"], shell))


def gitlab_scripts(text, name, out):
    """Writes each job's before_script and script (GitLab runs them in one
    shell, the image's sh) as one script per job."""
    for job_id, job in (yaml.safe_load(text) or {}).items():
        if not isinstance(job, dict) or not {"script", "before_script"} & set(job):
            continue
        lines = []
        for key in ("before_script", "script"):
            value = job.get(key, [])
            lines.extend([value] if isinstance(value, str) else value)
        # GOVERN_DRIFT_ARGS and the like are split on white space on purpose.
        body = "\n".join(lines)
        (out / f"{name}-{job_id.lstrip('.')}.sh").write_text(
            f"#!/bin/sh\n# shellcheck disable=SC2086\nset -e\n{body}\n"
        )


def main(out):
    out = pathlib.Path(out)
    for sub in ("workflows", "gitlab", "pre-commit", "scripts"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    inputs = set(action["inputs"])
    outputs = set(action["outputs"])
    scripts(action["runs"]["steps"], "action", out / "scripts")
    template = (ROOT / "ci" / "govern.gitlab-ci.yml").read_text()
    gitlab_scripts(template, "gitlab-template", out / "scripts")
    problems = []
    readme = (ROOT / "README.md").read_text()
    for line, body in blocks(readme):
        k = kind(body)
        if k is None:
            continue
        suffix = "yaml" if k == "pre-commit" else "yml"
        (out / k / f"readme-{line}.{suffix}").write_text(body)
        if k == "gitlab":
            gitlab_scripts(body, f"readme-{line}-gitlab", out / "scripts")
        if k != "workflows":
            continue
        workflow = yaml.safe_load(body)
        for job_id, job in workflow["jobs"].items():
            steps = job.get("steps", [])
            scripts(steps, f"readme-{line}-{job_id}", out / "scripts")
            govern_ids = set()
            for step in steps:
                if str(step.get("uses", "")).startswith(ACTION):
                    govern_ids.add(step.get("id"))
                    for key in step.get("with", {}) or {}:
                        if key not in inputs:
                            problems.append(
                                f"README.md:{line}: job {job_id} passes `{key}`, "
                                f"which action.yml does not declare"
                            )
            for ref in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", body):
                if ref[0] in govern_ids and ref[1] not in outputs:
                    problems.append(
                        f"README.md:{line}: job {job_id} reads output `{ref[1]}`, "
                        f"which action.yml does not declare"
                    )
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    for sub in ("workflows", "gitlab", "pre-commit", "scripts"):
        print(f"{sub}: {len(list((out / sub).iterdir()))}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
