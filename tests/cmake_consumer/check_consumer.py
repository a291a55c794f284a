#!/usr/bin/env python3
"""ci/Stampede.cmake proven both ways on the consumer project beside this script.

1. Arguments the module must refuse make the configure fail, with a message.
2. The consumer configured with the given stampede: each test's command line, labels and
   timeout are what the module documents, and none uses WILL_FAIL.
3. `ctest --output-junit junit.xml` passes, junit.xml lists every test as run, and the
   output folders hold what stampede writes (summary.json, suite.json with the cells).
4. Configured with -DCONSUMER_WRONG=ON, the tests with wrong expectations (label `wrong`)
   each fail, and the invalid one exits 2 on its own (EXPECT fail does not hide it).

Usage: check_consumer.py --stampede BIN --work DIR [--cmake CMAKE] [--ctest CTEST]
                         [--generator G]
Exit 0 when everything holds; 1 with the reasons otherwise.
"""
import argparse
import json
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULE_DIR = HERE.parent.parent / "ci"
LAB = HERE.parent.parent / "scenarios" / "lab"
PASSING = ["direct-ok", "cross-talk", "rpc-bugs"]
WRONG = ["wrong-pass", "wrong-fail", "wrong-invalid"]

problems = []


def check(condition, message):
    if not condition:
        problems.append(message)
    return condition


def run(command, **kwargs):
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    print(f"$ {' '.join(map(str, command))}  -> exit {result.returncode} "
          f"({time.monotonic() - started:.1f} s)", flush=True)
    return result


def configure(args, source, build, *extra):
    generator = ["-G", args.generator] if args.generator else []
    return run([args.cmake, "-S", source, "-B", build, *generator,
                f"-DSTAMPEDE_EXECUTABLE={args.stampede}", *extra])


def check_refused_arguments(args, work):
    """Each call must stop the configure with a message naming the problem."""
    scenario = LAB / "pingpong-direct.json"
    cases = {
        "EXPECT": f"stampede_add_scenario(t {scenario} EXPECT sometimes)",
        "SET wants key=value": f"stampede_add_scenario(t {scenario} SET requests)",
        "SHARD": f"stampede_add_scenario(t {scenario} SHARD 4/3)",
        "REPEAT": f"stampede_add_scenario(t {scenario} REPEAT 0)",
        "no scenario file": "stampede_add_scenario(t no-such.json)",
        "drop EXPECT_FAIL": f"stampede_add_scenario(t {scenario} EXPECT fail EXPECT_FAIL bug=x)",
        "unexpected arguments": f"stampede_add_scenario(t {scenario} SETS a=b)",
        "no value after EXPECT": f"stampede_add_scenario(t {scenario} EXPECT)",
        "folder name": f"stampede_add_scenario(a/b {scenario})",
    }
    for index, (needle, call) in enumerate(cases.items()):
        source = work / f"refuse-{index}"
        source.mkdir(parents=True)
        (source / "CMakeLists.txt").write_text(
            "cmake_minimum_required(VERSION 3.20)\nproject(refuse NONE)\nenable_testing()\n"
            f"list(APPEND CMAKE_MODULE_PATH {MODULE_DIR})\ninclude(Stampede)\n{call}\n")
        result = configure(args, source, source / "build")
        check(result.returncode != 0 and needle in result.stderr,
              f"configure of `{call}` should fail naming '{needle}', got exit "
              f"{result.returncode}:\n{result.stderr}")


def check_test_definitions(args, build):
    result = run([args.ctest, "--test-dir", build, "--show-only=json-v1"])
    if not check(result.returncode == 0, f"ctest --show-only failed:\n{result.stderr}"):
        return
    tests = {t["name"]: t for t in json.loads(result.stdout)["tests"]}
    check(sorted(tests) == sorted(PASSING), f"tests {sorted(tests)}, expected {PASSING}")
    expected = {
        "direct-ok": (["--set", "requests=50", "--repeat", "2"], 600, ["stampede"]),
        "cross-talk": (["--set", "bug=cross-talk", "--set", "requests=200", "--expect-fail", "*"],
                       120, ["stampede", "bugs"]),
        "rpc-bugs": (["--set", "calls=50", "--matrix", "bug=*", "--expect-fail", "bug!=none"],
                     600, ["stampede", "bugs", "matrix"]),
    }
    for name, (flags, timeout, labels) in expected.items():
        if name not in tests:
            continue
        command = tests[name]["command"]
        properties = {p["name"]: p["value"] for p in tests[name].get("properties", [])}
        out = str(build / "stampede" / name)
        check(command[:2] == [str(args.stampede), "run"] and command[3:] == flags + ["--out", out],
              f"{name}: command {command}, expected stampede run FILE {flags} --out {out}")
        check(properties.get("TIMEOUT") == timeout,
              f"{name}: TIMEOUT {properties.get('TIMEOUT')}, expected {timeout}")
        check(sorted(properties.get("LABELS", [])) == sorted(labels),
              f"{name}: LABELS {properties.get('LABELS')}, expected {labels}")
        check("WILL_FAIL" not in properties, f"{name}: WILL_FAIL set; exit 2/3 would pass")


def junit_cases(path):
    if not check(path.is_file(), f"{path} missing"):
        return {}
    return {case.get("name"): case.get("status") for case in ET.parse(path).iter("testcase")}


def check_outputs(build):
    folder = build / "stampede"
    summary = folder / "direct-ok" / "summary.json"
    if check(summary.is_file(), f"{summary} missing (REPEAT 2 writes a series)"):
        check(json.loads(summary.read_text()).get("attempts") == 2, f"{summary}: attempts != 2")
    outcomes = {"cross-talk": ["expected-fail"], "rpc-bugs": ["pass", "expected-fail"]}
    for name, expected in outcomes.items():
        suite = folder / name / "suite.json"
        if not check(suite.is_file(), f"{suite} missing"):
            continue
        cells = json.loads(suite.read_text()).get("cells", [])
        got = [cell.get("outcome") for cell in cells]
        check(got == expected, f"{suite}: cell outcomes {got}, expected {expected}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stampede", required=True, type=Path)
    parser.add_argument("--work", required=True, type=Path)
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--ctest", default="ctest")
    parser.add_argument("--generator", default="")
    args = parser.parse_args()
    args.stampede = args.stampede.resolve()
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    check_refused_arguments(args, work)

    good = work / "consumer"
    result = configure(args, HERE, good)
    if not check(result.returncode == 0, f"configure failed:\n{result.stdout}{result.stderr}"):
        return report()
    check_test_definitions(args, good)
    result = run([args.ctest, "--test-dir", good, "--output-junit", "junit.xml",
                  "--output-on-failure"])
    check(result.returncode == 0, f"consumer ctest failed:\n{result.stdout}{result.stderr}")
    cases = junit_cases(good / "junit.xml")
    check(cases == {name: "run" for name in PASSING},
          f"junit.xml testcases {cases}, expected {PASSING} all with status run")
    check_outputs(good)

    wrong = work / "consumer-wrong"
    result = configure(args, HERE, wrong, "-DCONSUMER_WRONG=ON")
    if not check(result.returncode == 0, f"configure failed:\n{result.stdout}{result.stderr}"):
        return report()
    result = run([args.ctest, "--test-dir", wrong, "-L", "wrong", "--output-junit", "junit.xml"])
    check(result.returncode != 0, f"ctest -L wrong passed; it must fail:\n{result.stdout}")
    cases = junit_cases(wrong / "junit.xml")
    check(cases == {name: "fail" for name in WRONG},
          f"junit.xml testcases {cases}, expected {WRONG} all with status fail")
    result = run([args.ctest, "--test-dir", wrong, "--show-only=json-v1"])
    tests = {t["name"]: t for t in json.loads(result.stdout)["tests"]} if result.returncode == 0 else {}
    if check("wrong-invalid" in tests, "wrong-invalid not defined"):
        result = run(tests["wrong-invalid"]["command"])
        check(result.returncode == 2,
              f"wrong-invalid exits {result.returncode}, expected 2:\n{result.stderr}")
    return report()


def report():
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    print("cmake consumer: ok" if not problems else f"cmake consumer: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
