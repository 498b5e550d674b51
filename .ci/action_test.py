#!/usr/bin/env python3
"""Runs action.yml's steps (through .ci/action_steps.py) on clones of this
repository and checks what a workflow would see: annotations and a failure
on errors, the report and summary files, valid SARIF, a refused shallow
clone for drift, and a drift report from a full clone.

    python3 .ci/action_test.py SCRATCH

Set GOVERN_PREINSTALLED to a folder with a built govern to skip the
install step's build; without it the step runs `cargo install` for real.
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
problems = []


def action(workspace, out, *inputs):
    run = subprocess.run(
        [sys.executable, str(ROOT / ".ci/action_steps.py"), str(workspace), str(out), *inputs],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        sys.exit(f"action_steps.py failed:\n{run.stderr}")
    result = json.loads(run.stdout)
    result["log"] = run.stderr
    return result


def expect(name, condition, result):
    if not condition:
        problems.append(f"{name}: {json.dumps({k: v for k, v in result.items() if k != 'summary'}, indent=2)[:3000]}")


def main(scratch):
    scratch = pathlib.Path(scratch)
    full = scratch / "full"
    shallow = scratch / "shallow"
    for clone, depth in ((full, []), (shallow, ["--depth", "1"])):
        subprocess.run(
            ["git", "clone", "-q", *depth, f"file://{ROOT}", str(clone)], check=True
        )

    r = action(full, scratch / "errors", "today=2026-11-23", "sarif=true",
               "directory=tests/cmd/check-ci.governance")
    report = pathlib.Path(r["outputs"]["run"]["report"]).read_text()
    sarif = json.loads(pathlib.Path(r["outputs"]["sarif"]["file"]).read_text())
    expect("check with errors fails the step", r["exit"] == 1 and r["failed_step"] == "Run govern", r)
    expect("check's exit-code output", r["outputs"]["run"]["exit-code"] == "1", r)
    expect("annotations in the log and the report",
           report.count("::error file=tests/cmd/check-ci.governance/") == 5
           and report.count("::warning ") == 4 and report in r["log"], r)
    expect("the job summary", r["summary"].startswith("## govern check: 5 errors, 4 warnings, 0 infos\n"), r)
    expect("the SARIF", sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 9, r)

    r = action(full, scratch / "clean", "today=2026-11-23")
    expect("a clean check passes", r["exit"] == 0 and r["outputs"]["run"]["exit-code"] == "0", r)
    expect("no SARIF unless asked", "sarif" not in r["outputs"], r)
    expect("its summary", r["summary"].startswith("## govern check: 0 errors, 14 warnings, 1 info\n"), r)

    r = action(full, scratch / "no-summary", "today=2026-11-23", "job-summary=false",
               "format=json", "args=--summary")
    counts = json.loads(pathlib.Path(r["outputs"]["run"]["report"]).read_text())
    expect("format and args reach govern", r["exit"] == 0 and counts["warnings"] == 14, r)
    expect("job-summary false writes none", r["summary"] == "", r)

    # govern's hint for a history cut short, from the govern the action
    # installed: the action gives the same one.
    govern = pathlib.Path(r["outputs"]["key"]["root"]) / "bin" / "govern"
    cut = subprocess.run([str(govern), "--repo", str(shallow), "drift", "--since", "36500d"],
                         capture_output=True, text=True, check=False)
    hint = cut.stderr.split("hint: ", 1)[-1].strip()
    expect("govern's own hint on a shallow clone", cut.returncode == 3 and "fetch-depth: 0" in hint,
           {"stderr": cut.stderr})
    r = action(shallow, scratch / "shallow-drift", "command=drift", "args=--from HEAD~1")
    expect("drift refuses a shallow clone with govern's hint",
           r["exit"] == 1 and r["failed_step"].startswith("Refuse a shallow checkout")
           and f"::error title=govern drift::govern drift reads the history: {hint}\n" in r["log"]
           and "run" not in r["outputs"], r)

    r = action(full, scratch / "drift", "command=drift", "args=--from HEAD~1", "format=markdown")
    report = pathlib.Path(r["outputs"]["run"]["report"]).read_text()
    expect("drift from a full clone", r["exit"] == 0 and report.startswith("## Governance drift: HEAD~1"), r)
    expect("drift's summary", r["summary"].startswith("## Governance drift: HEAD~1"), r)

    r = action(full, scratch / "escalations", "command=escalations", "sarif=true", "today=2026-11-23")
    expect("escalations: its summary, and no SARIF for a command that writes none",
           r["exit"] == 0 and "sarif" not in r["outputs"]
           and r["summary"].startswith("# Governance escalations, 2026-11-23\n"), r)

    r = action(full, scratch / "usage", "command=check", "args=--no-such-flag")
    expect("a usage error is exit 2", r["exit"] == 2 and r["outputs"]["run"]["exit-code"] == "2", r)

    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)
    print("action.yml: 7 runs as a workflow would see them, all as expected")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
