#!/usr/bin/env python3
"""Validates suite.json files against docs/schemas/suite.schema.json.

    check_suite_schema.py SUITE_JSON...

Prints one line per file ("ok" or "FAIL" with every problem and its JSON path) and exits
0 when every file is valid, 1 when one is not, 2 on bad usage or a broken schema.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_schemas  # noqa: E402  (its validator helpers; needs python3-jsonschema)


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    try:
        validator = check_schemas.load_validator(check_schemas.SCHEMAS / "suite.schema.json")
    except Exception as e:  # a broken or missing schema
        print(f"check_suite_schema.py: bad schema: {e}", file=sys.stderr)
        return 2
    return 1 if check_schemas.check(validator, argv, "suite") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
