#!/usr/bin/env python3
"""Runs the jq filter of the GitLab template's govern-check job on govern's
JSON diagnostics and checks that the result is a GitLab code quality report
as GitLab reads it: an array of {description, check_name, fingerprint,
severity, location: {path, lines: {begin}}}, each fingerprint unique, the
severity one of GitLab's, one entry per diagnostic at its file and line.

    python3 .ci/code_quality.py ci/govern.gitlab-ci.yml GOVERN
"""

import json
import shlex
import subprocess
import sys

import yaml

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
# The example organisation has warnings and an info; the CLI cases' folder
# has errors and declared text with `%`, `,`, `|` and line breaks.
DIRS = ["governance", "tests/cmd/check-ci.governance"]


def jq_filter(template):
    job = yaml.safe_load(open(template))["govern-check"]
    lines = [line for line in job["script"] if line.lstrip().startswith("jq ")]
    if len(lines) != 1:
        sys.exit(f"{template}: govern-check has {len(lines)} jq lines, not 1")
    words = shlex.split(lines[0])
    # jq FILTER govern.json > gl-code-quality-report.json
    if words[2:] != ["govern.json", ">", "gl-code-quality-report.json"]:
        sys.exit(f"{template}: unexpected jq line: {lines[0]}")
    return words[1]


def main(template, govern):
    program = jq_filter(template)
    problems = []
    for folder in DIRS:
        run = subprocess.run(
            [govern, "--today", "2026-11-23", "--dir", folder, "check", "--format", "json"],
            capture_output=True,
            check=False,
        )
        if run.returncode not in (0, 1):
            sys.exit(run.stderr.decode())
        diagnostics = json.loads(run.stdout)
        report = json.loads(
            subprocess.run(
                ["jq", program], input=run.stdout, capture_output=True, check=True
            ).stdout
        )
        if not isinstance(report, list) or len(report) != len(diagnostics):
            problems.append(f"{folder}: {len(report)} entries for {len(diagnostics)} diagnostics")
            continue
        fingerprints = set()
        for entry, d in zip(report, diagnostics):
            where = f"{folder}: {d['file']}:{d['line']} {d['code']}"
            if set(entry) != {"description", "check_name", "fingerprint", "severity", "location"}:
                problems.append(f"{where}: keys {sorted(entry)}")
                continue
            if entry["severity"] not in SEVERITIES:
                problems.append(f"{where}: severity {entry['severity']}")
            if entry["check_name"] != d["code"] or d["message"] not in entry["description"]:
                problems.append(f"{where}: {entry['check_name']}: {entry['description']}")
            if entry["location"] != {"path": d["file"], "lines": {"begin": d["line"]}}:
                problems.append(f"{where}: location {entry['location']}")
            if not isinstance(entry["fingerprint"], str) or entry["fingerprint"] in fingerprints:
                problems.append(f"{where}: fingerprint {entry['fingerprint']!r}")
            fingerprints.add(entry["fingerprint"])
        severities = {e["severity"] for e in report}
        print(f"{folder}: {len(report)} entries, severities {sorted(severities)}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
