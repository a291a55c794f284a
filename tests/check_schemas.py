#!/usr/bin/env python3
"""Validates scenario files and verdicts against the JSON Schemas in docs/schemas/.

    check_schemas.py --scenarios scenarios/            every scenarios/**/*.json
    check_schemas.py runs/x/latest/verdict.json ...    verdicts given by path
    check_schemas.py                                   the repository's scenarios/

Prints one line per file ("ok" or "FAIL" with every problem and its JSON path) and exits
0 when every file is valid, 1 when one is not, 2 on bad usage or a broken schema.
"""

import argparse
import json
import pathlib
import sys

try:
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("check_schemas.py: the python3 'jsonschema' module is required "
             "(apt install python3-jsonschema, or pip install jsonschema)")

REPO = pathlib.Path(__file__).resolve().parent.parent
SCHEMAS = REPO / "docs" / "schemas"


def load_validator(path):
    """The validator for the schema at `path`, after checking the schema itself."""
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def pointer(error):
    """JSON pointer of the instance location of `error` ("/" for the root)."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path]
    return "/" + "/".join(parts)


def problems(validator, path):
    """Every problem with the file at `path`, as "at /json/path: message" strings."""
    try:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
    except json.JSONDecodeError as e:
        return [f"{e.lineno}:{e.colno}: invalid JSON: {e.msg}"]
    except (OSError, UnicodeDecodeError) as e:
        return [f"cannot read: {e}"]
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    return [f"at {pointer(error)}: {describe(error)}" for error in errors]


def describe(error):
    """The message of `error`; for anyOf/oneOf, also why each alternative failed."""
    if not error.context:
        return error.message
    branches = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    reasons = [jsonschema.exceptions.best_match(subs).message for _, subs in sorted(branches.items())]
    return f"{error.message} ({' | '.join(reasons)})"


def check(validator, paths, label):
    """Validates each path, printing one line per file; returns the number of failures."""
    failed = 0
    for path in paths:
        found = problems(validator, path)
        if found:
            failed += 1
            print(f"FAIL {label} {path}: " + "; ".join(found))
        else:
            print(f"ok   {label} {path}")
    return failed


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", metavar="DIR", action="append", default=[],
                        help="validate every *.json under DIR against scenario.schema.json "
                             "(repeatable)")
    parser.add_argument("--schemas", metavar="DIR", default=str(SCHEMAS),
                        help="folder holding scenario.schema.json and verdict.schema.json "
                             "(default: %(default)s)")
    parser.add_argument("verdicts", metavar="VERDICT", nargs="*",
                        help="verdict.json files to validate against verdict.schema.json")
    args = parser.parse_args(argv)
    if not args.scenarios and not args.verdicts:
        args.scenarios = [str(REPO / "scenarios")]

    schemas = pathlib.Path(args.schemas)
    try:
        scenario_validator = load_validator(schemas / "scenario.schema.json")
        verdict_validator = load_validator(schemas / "verdict.schema.json")
    except (OSError, json.JSONDecodeError, jsonschema.exceptions.SchemaError) as e:
        print(f"check_schemas.py: bad schema: {e}", file=sys.stderr)
        return 2

    failed = 0
    for folder in args.scenarios:
        files = sorted(pathlib.Path(folder).rglob("*.json"))
        if not files:
            print(f"FAIL scenarios {folder}: no *.json files found")
            failed += 1
        failed += check(scenario_validator, files, "scenario")
    failed += check(verdict_validator, args.verdicts, "verdict")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
