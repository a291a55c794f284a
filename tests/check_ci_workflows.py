#!/usr/bin/env python3
"""The CI recipes in ci/ parse as YAML and have the shape ci/README.md describes.

ci/github-actions.yml: a build job, a `shard` matrix job over shards 1..3 that runs
`stampede run ... --shard K/N --out suite-K` and uploads suite-K/ even on failure, and a
merge job that needs the shards, runs also when one failed, downloads the suite-* artifacts,
runs `stampede report suite-*/` with HTML, Markdown and JUnit, publishes the JUnit, appends
report.md to the job summary and uploads report.html.
ci/gitlab-ci.yml: the same with `parallel: 3` (CI_NODE_INDEX/CI_NODE_TOTAL) and
artifacts:reports:junit.

Usage: check_ci_workflows.py [CI_DIR]   (default: the ci/ folder of this repository)
Needs python3-yaml. Exit 0 when both hold; 1 with the reasons.
"""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def scripts_of(steps):
    """Every `run:` text of a list of GitHub steps, joined."""
    return "\n".join(step.get("run", "") for step in steps)


def uses(steps, action):
    return [step for step in steps if step.get("uses", "").startswith(action + "@")]


def check_repository_paths(text, where):
    for path in ("scripts/setup", "scripts/build", "scenarios/lab/"):
        if path in text:
            check((ROOT / path).exists(), f"{where}: {path} does not exist")


def check_github(path):
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as true.
    check(workflow.get("on", workflow.get(True)) is not None, f"{path}: no `on` triggers")
    jobs = workflow.get("jobs", {})
    if not check({"build", "shard", "merge"} <= set(jobs), f"{path}: jobs {sorted(jobs)}"):
        return
    for name, job in jobs.items():
        check(job.get("runs-on") and job.get("steps"), f"{path}: job {name} lacks runs-on/steps")
        for step in job.get("steps", []):
            check("run" in step or "@" in step.get("uses", ""),
                  f"{path}: job {name} has a step without run or a versioned uses: {step}")

    build = jobs["build"]
    check_repository_paths(scripts_of(build["steps"]), f"{path} build")
    check("scripts/setup" in scripts_of(build["steps"]) and
          "scripts/build" in scripts_of(build["steps"]), f"{path}: build does not run setup/build")

    shard = jobs["shard"]
    check(shard.get("needs") in ("build", ["build"]), f"{path}: shard does not need build")
    matrix = shard.get("strategy", {}).get("matrix", {})
    check(matrix.get("shard") == [1, 2, 3], f"{path}: shard matrix {matrix.get('shard')}, want 1..3")
    check(shard.get("strategy", {}).get("fail-fast") is False, f"{path}: shard fail-fast not off")
    text = scripts_of(shard["steps"])
    check_repository_paths(text, f"{path} shard")
    check("stampede run" in text and "--shard ${{ matrix.shard }}/" in text
          and "--out suite-${{ matrix.shard }}" in text,
          f"{path}: shard does not run `stampede run ... --shard K/N --out suite-K`")
    uploads = uses(shard["steps"], "actions/upload-artifact")
    check(any(step.get("with", {}).get("name") == "suite-${{ matrix.shard }}"
              and "always()" in str(step.get("if", "")) for step in uploads),
          f"{path}: shard does not upload suite-K always")

    merge = jobs["merge"]
    needs = merge.get("needs", [])
    check("shard" in (needs if isinstance(needs, list) else [needs]),
          f"{path}: merge does not need shard")
    check("always()" in str(merge.get("if", "")), f"{path}: merge does not run after a failed shard")
    downloads = uses(merge["steps"], "actions/download-artifact")
    check(any(step.get("with", {}).get("pattern") == "suite-*" for step in downloads),
          f"{path}: merge does not download the suite-* artifacts")
    text = scripts_of(merge["steps"])
    check("stampede report suite-*/" in text and all(
        flag in text for flag in ("--html report.html", "--markdown report.md", "--junit junit.xml")),
        f"{path}: merge does not run `stampede report suite-*/ --html --markdown --junit`")
    check("report.md" in text and "$GITHUB_STEP_SUMMARY" in text,
          f"{path}: report.md not appended to $GITHUB_STEP_SUMMARY")
    junit = uses(merge["steps"], "mikepenz/action-junit-report")
    check(junit and junit[0].get("with", {}).get("report_paths") == "junit.xml",
          f"{path}: merge does not publish junit.xml")
    check(merge.get("permissions", {}).get("checks") == "write",
          f"{path}: merge lacks permission checks: write for the JUnit check")
    uploads = uses(merge["steps"], "actions/upload-artifact")
    check(any("report.html" in str(step.get("with", {}).get("path", "")) for step in uploads),
          f"{path}: merge does not upload report.html")


def check_gitlab(path):
    pipeline = yaml.safe_load(path.read_text())
    stages = pipeline.get("stages", [])
    jobs = {name: job for name, job in pipeline.items() if isinstance(job, dict) and "script" in job}
    if not check({"build", "suite", "report"} <= set(jobs), f"{path}: jobs {sorted(jobs)}"):
        return
    for name, job in jobs.items():
        check(job.get("stage") in stages, f"{path}: job {name}'s stage is not in stages {stages}")
        check_repository_paths("\n".join(job["script"]), f"{path} {name}")
    check("scripts/build" in "\n".join(jobs["build"]["script"]), f"{path}: build does not build")

    suite = jobs["suite"]
    check(suite.get("parallel") == 3, f"{path}: suite parallel {suite.get('parallel')}, want 3")
    check(suite.get("needs") == ["build"], f"{path}: suite does not need build")
    text = "\n".join(suite["script"])
    check("stampede run" in text and '--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in text
          and '--out "suite-$CI_NODE_INDEX"' in text,
          f"{path}: suite does not run `stampede run ... --shard K/N --out suite-K`")
    artifacts = suite.get("artifacts", {})
    check(artifacts.get("when") == "always" and "suite-*/" in artifacts.get("paths", []),
          f"{path}: suite does not keep suite-*/ always")

    report = jobs["report"]
    needed = [need["job"] if isinstance(need, dict) else need for need in report.get("needs", [])]
    check("suite" in needed, f"{path}: report does not need suite")
    check(report.get("when") == "always", f"{path}: report does not run after a failed shard")
    check(stages.index(report["stage"]) > stages.index(suite["stage"]),
          f"{path}: report's stage is not after suite's")
    text = "\n".join(report["script"])
    check("stampede report suite-*/" in text and "--junit junit.xml" in text
          and "--html report.html" in text,
          f"{path}: report does not run `stampede report suite-*/ --html --junit`")
    artifacts = report.get("artifacts", {})
    check(artifacts.get("reports", {}).get("junit") == "junit.xml",
          f"{path}: artifacts:reports:junit is not junit.xml")
    check(artifacts.get("when") == "always" and "report.html" in artifacts.get("paths", []),
          f"{path}: report.html not kept always")


def main():
    ci = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "ci"
    for path, checker in ((ci / "github-actions.yml", check_github),
                          (ci / "gitlab-ci.yml", check_gitlab)):
        try:
            checker(path)
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as e:
            problems.append(f"{path}: {type(e).__name__}: {e}")
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    print("ci workflows: ok" if not problems else f"ci workflows: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
