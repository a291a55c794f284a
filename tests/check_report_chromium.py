#!/usr/bin/env python3
"""Checks an HTML report as headless Chromium renders it, the way a user would see it.

    check_report_chromium.py REPORT_HTML [--expect-cells N] [--timeout S]

1. Screenshot (1400x2000, the whole sample report): the PNG is decoded (zlib) and must show more than 100 distinct
   colours, among them the fills of a pass and a fail matrix cell and of a pass chart bar, so a
   blank, unstyled or chartless page fails.
2. The DOM after rendering (--dump-dom): the verdict matrix has scenario rows with coloured
   cells, the cells table has N rows (--expect-cells), every href is a "#id" that exists in the
   page or a relative path to a file or folder that exists, and there is no <script>.

Chromium runs in a session and process group of its own, with a fresh profile, and everything
in that session is killed when it is done or after --timeout seconds (default 60, per run), so
nothing is left behind.
A missing `chromium` is a failure, not a skip (scripts/setup installs it). Exit 0 when every
check passes, 1 otherwise.
"""

import argparse
import html.parser
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zlib

MIN_COLOURS = 100
# Fills the report's stylesheet gives a pass and a fail matrix cell and a passing cell's chart
# bar (reports/html_report.cc): present only when the page rendered with its CSS and SVG.
EXPECTED_FILLS = {"pass cell": (0xD7, 0xF0, 0xD9), "fail cell": (0xF8, 0xD3, 0xD0),
                  "pass bar": (0x43, 0xA0, 0x47)}


def session_members(sid):
    """Pids of the processes in session `sid` (helpers that left the process group keep it)."""
    pids = []
    for entry in pathlib.Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if int(fields[3]) == sid:  # state ppid pgrp session
            pids.append(int(entry.name))
    return pids


def kill_session(sid):
    """Kills the process group `sid` and whatever else is left in session `sid`."""
    try:
        os.killpg(sid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for pid in session_members(sid):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def run_chromium(args, timeout):
    """Runs chromium with `args` in its own process group; returns (exit code, stdout)."""
    with tempfile.TemporaryDirectory(prefix="stampede-chromium-") as profile:
        command = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                   "--disable-extensions", "--disable-background-networking",
                   "--disable-crash-reporter", "--disable-breakpad", "--hide-scrollbars",
                   f"--user-data-dir={profile}"] + args
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_session(process.pid)
            process.communicate()
            raise RuntimeError(f"chromium did not finish within {timeout} s: {' '.join(command)}")
        finally:  # helpers (zygote, crash handler) that outlived the browser
            kill_session(process.pid)
        if process.returncode != 0:
            tail = err.decode(errors="replace")[-2000:]
            raise RuntimeError(f"chromium exited with {process.returncode}: {tail}")
        return out.decode(errors="replace")


def png_pixels(data):
    """Decodes an 8-bit RGB or RGBA, non-interlaced PNG into (width, height, rows of bytes)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    if depth != 8 or colour_type not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    bpp = 3 if colour_type == 2 else 4
    raw, stride, rows, previous = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = previous[x]
            c = previous[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def colours_of(png):
    """The set of distinct (r, g, b) colours of a PNG."""
    width, _, bpp, rows = png_pixels(png)
    colours = set()
    for row in rows:
        for x in range(0, width * bpp, bpp):
            colours.add(tuple(row[x:x + 3]))
    return colours


def missing_fills(colours):
    """Names of EXPECTED_FILLS with no pixel within 3 of that colour on every channel."""
    return [name for name, fill in EXPECTED_FILLS.items()
            if not any(all(abs(c - f) <= 3 for c, f in zip(colour, fill)) for colour in colours)]


class DomScan(html.parser.HTMLParser):
    """Collects hrefs, ids, matrix rows and cells, cell rows and scripts of a DOM dump."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.ids, self.scripts = [], set(), 0
        self.scenario_rows, self.matrix_cells, self.cell_rows = 0, 0, 0
        self.in_matrix = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        if tag == "script":
            self.scripts += 1
        if tag == "table":
            self.in_matrix = "matrix" in classes
        if tag == "tr" and "scenario" in classes:
            self.scenario_rows += 1
        if tag == "tr" and "cell" in classes:
            self.cell_rows += 1
        if tag == "td" and self.in_matrix and any(c.startswith("o-") for c in classes):
            self.matrix_cells += 1

    def handle_endtag(self, tag):
        if tag == "table":
            self.in_matrix = False


def check_dom(dom, report, expect_cells):
    problems = []
    scan = DomScan()
    scan.feed(dom)
    if scan.scripts:
        problems.append(f"{scan.scripts} <script> elements")
    if scan.scenario_rows < 1:
        problems.append("no scenario rows in the verdict matrix")
    if scan.matrix_cells != expect_cells:
        problems.append(f"{scan.matrix_cells} coloured matrix cells, expected {expect_cells}")
    if scan.cell_rows != expect_cells:
        problems.append(f"{scan.cell_rows} rows in the cells table, expected {expect_cells}")
    if not scan.hrefs:
        problems.append("no links")
    for href in scan.hrefs:
        if href.startswith("#"):
            if href[1:] not in scan.ids:
                problems.append(f"link {href}: no element with that id")
            continue
        parsed = urllib.parse.urlsplit(href)
        if parsed.scheme or parsed.netloc:
            problems.append(f"link {href}: not a relative path")
            continue
        target = report.parent / urllib.parse.unquote(parsed.path)
        if not target.exists():
            problems.append(f"link {href}: {target} does not exist")
    return problems, scan


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", type=pathlib.Path)
    parser.add_argument("--expect-cells", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args(argv)
    report = args.report.resolve()
    if shutil.which("chromium") is None:
        print("FAIL: chromium is not installed (scripts/setup installs it)")
        return 1
    if not report.is_file():
        print(f"FAIL: {report} does not exist")
        return 1
    url = report.as_uri()
    problems = []
    with tempfile.TemporaryDirectory(prefix="stampede-screenshot-") as folder:
        shot = pathlib.Path(folder) / "report.png"
        try:
            run_chromium([f"--screenshot={shot}", "--window-size=1400,2000", url], args.timeout)
            colours = colours_of(shot.read_bytes())
            print(f"screenshot: {len(colours)} distinct colours")
            if len(colours) <= MIN_COLOURS:
                problems.append(f"the screenshot looks blank: {len(colours)} distinct colours")
            for name in missing_fills(colours):
                problems.append(f"the screenshot has no {name} colour {EXPECTED_FILLS[name]}")
            dom = run_chromium(["--dump-dom", url], args.timeout)
        except (RuntimeError, OSError, ValueError, zlib.error) as e:
            print(f"FAIL: {e}")
            return 1
    found, scan = check_dom(dom, report, args.expect_cells)
    problems += found
    print(f"dom: {scan.scenario_rows} scenario rows, {scan.matrix_cells} matrix cells, "
          f"{scan.cell_rows} cell rows, {len(scan.hrefs)} links")
    for problem in problems:
        print(f"FAIL: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
