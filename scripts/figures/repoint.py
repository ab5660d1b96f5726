#!/usr/bin/env python3
"""Re-points figures of compare/figures.tsv at a newer committed run and rewrites the numbers
that moved beyond their tolerance, in the figure's file and in figures.tsv alike.

    scripts/figures/repoint.py <new-run> [--files slides/deck.md,README.md] [--from 2026-11-22,...] [--write]

A row moves when its file is listed, its run is one of --from (all runs when not given) and every
case it names exists in the new run. The number rewritten is the first one of the text, as
FiguresTest reads it, in the same unit and with as many decimals as before. Without --write it
only prints what it would change. Prose around a number (a "faster", a "slower") is not read:
review the diff afterwards.
"""
import json
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ROOT / "compare" / "figures.tsv"
NUMBER_AND_UNIT = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:.*?((?<=[\d\s])(?:ms|s|k)\b|×))?")


def load_run(name, cache={}):
    if name not in cache:
        cache[name] = {c["id"]: c for c in json.loads((ROOT / "compare" / "results" / name / "results.json").read_text())["cases"]}
    return cache[name]


def aggregate(run, case_id, measure):
    key, _, how = measure.partition(":")
    values = []
    for repeat in run[case_id]["runs"]:
        v = repeat
        for part in key.split("."):
            v = v.get(part) if isinstance(v, dict) else None
        if isinstance(v, (int, float)):
            values.append(float(v))
    if not values:
        raise KeyError(f"{case_id} has no {key}")
    how = how or "median"
    return min(values) if how == "min" else max(values) if how == "max" else statistics.median(values)


def measured(run, cases, measure):
    parts = cases.split("/")
    value = aggregate(run, parts[0], measure)
    if len(parts) == 2:
        return value / aggregate(run, parts[1], measure)
    return value * 1000 if "Seconds" in measure else value


def shown(text):
    m = NUMBER_AND_UNIT.search(text.replace("≥ ", ""))
    value = float(m.group(1).replace(",", ""))
    return value * 1000 if m.group(2) in ("s", "k") else value


def formatted(old_number, unit, value):
    """value (ms or per second, or a ratio) written in old_number's unit and decimals, thousands with commas."""
    if unit in ("s", "k"):
        value /= 1000
    decimals = len(old_number.split(".")[1]) if "." in old_number else 0
    return f"{value:,.{decimals}f}"


def main(argv):
    new_run = argv[0]
    files = sources = None
    write = "--write" in argv
    for arg in argv[1:]:
        if arg.startswith("--files="):
            files = set(arg.split("=", 1)[1].split(","))
        elif arg.startswith("--from="):
            sources = set(arg.split("=", 1)[1].split(","))
    run = load_run(new_run)
    lines = FIGURES.read_text().split("\n")
    edits = {}  # file -> {(start, end): new number}
    moved = []  # (line index, fields, file, occurrences)
    for i, line in enumerate(lines):
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        file, text, old_run, cases, measure, tol = f
        if (files and file not in files) or (sources and old_run not in sources) or old_run == new_run:
            continue
        if not all(c in run for c in cases.split("/")):
            continue
        try:
            value = measured(run, cases, measure)
        except KeyError as e:
            print(f"skip line {i + 1}: {e}")
            continue
        content = (ROOT / file).read_text()
        starts = [m.start() for m in re.finditer(re.escape(text), content)]
        if not starts:
            print(f"line {i + 1}: text not in {file}: {text}")
            continue
        moved.append((i, f, file, [(s, s + len(text)) for s in starts]))
        old = shown(text)
        if abs(old - value) / value <= float(tol.rstrip("%")) / 100:
            continue
        m = NUMBER_AND_UNIT.search(text.replace("≥ ", ""))
        offset = text.index(m.group(1)) if "≥ " not in text else text.replace("≥ ", "").index(m.group(1)) + 2
        new_number = formatted(m.group(1), m.group(2), value)
        print(f"{file}: {text!r}: {m.group(1)} -> {new_number}  ({cases} {measure})")
        for s, _ in moved[-1][3]:
            edits.setdefault(file, {})[(s + offset, s + offset + len(m.group(1)))] = new_number
    new_contents = {}
    for file in {m[2] for m in moved}:
        content = (ROOT / file).read_text()
        spans = sorted(edits.get(file, {}).items())
        out, last, shift_at = [], 0, []
        for (s, e), number in spans:
            out.append(content[last:s])
            out.append(number)
            shift_at.append((s, e, len(number) - (e - s)))
            last = e
        out.append(content[last:])
        new_contents[file] = ("".join(out), shift_at)

    def mapped(file, pos):
        return pos + sum(d for s, e, d in new_contents[file][1] if e <= pos)

    for i, f, file, occurrences in moved:
        s, e = occurrences[0]
        f[1] = new_contents[file][0][mapped(file, s):mapped(file, e)]
        f[2] = new_run
        lines[i] = "\t".join(f)
    print(f"{len(moved)} figures re-pointed at {new_run}, {sum(len(v) for v in edits.values())} numbers rewritten")
    if write:
        for file, (content, _) in new_contents.items():
            (ROOT / file).write_text(content)
        FIGURES.write_text("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
