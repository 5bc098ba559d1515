#!/usr/bin/env python3
"""Fails when a file under src/<module>/ includes a header of a module it may not use.

The allowed edges are the table between the `edges:begin` and `edges:end` markers of
ARCHITECTURE.md (one row per module: the module, then the modules it may include), so the map
and the check cannot disagree. Only quoted includes whose first component names a folder of
src/ (or `hull/`, include/hull) are edges; `"../x/..."` is resolved against the including file.
Every folder of src/ must have a row. Exit status 0 when every include is allowed, 1 with one
`file:line: ...` line per forbidden include otherwise, 2 when the table cannot be read.

usage: check-edges.py [--root DIR]   (DIR: the project root, default: this script's parent's)
"""

import argparse
import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
SOURCE_SUFFIXES = (".cpp", ".hpp", ".c", ".h", ".cc", ".hh", ".ipp", ".inc")
BEGIN, END = "<!-- edges:begin -->", "<!-- edges:end -->"


class TableError(Exception):
    pass


def read_table(map_path):
    """{module: set of modules it may include} from the marked table of map_path."""
    try:
        with open(map_path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise TableError(f"{map_path}: {e.strerror}") from e
    start, stop = text.find(BEGIN), text.find(END)
    if start < 0 or stop < start:
        raise TableError(f"{map_path}: no table between '{BEGIN}' and '{END}'")
    first_line = text.count("\n", 0, start) + 2
    table = {}
    for n, line in enumerate(text[start + len(BEGIN):stop].splitlines()[1:], first_line):
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if len(cells) < 2 or cells[0] in ("module", "") or set(cells[0]) <= set("-: "):
            continue
        module = cells[0]
        if module in table:
            raise TableError(f"{map_path}:{n}: module '{module}' has two rows")
        allowed = {m for m in re.split(r"[,\s]+", cells[1]) if m and m != "-"}
        table[module] = allowed
    if not table:
        raise TableError(f"{map_path}: the edge table has no rows")
    return table


def edge_of(include, src_dir, file_dir, modules):
    """The module an include names, or None when it is not one of ours."""
    if include.startswith("../") or include.startswith("./"):
        target = os.path.normpath(os.path.join(file_dir, include))
        rel = os.path.relpath(target, src_dir)
        if rel.startswith(".."):
            return None
        return rel.split(os.sep)[0]
    if "/" not in include:
        return None  # a header beside the including file
    head = include.split("/")[0]
    return head if head in modules or head == "hull" else None


def check(root):
    """Lines describing every forbidden include under root/src; [] when there is none."""
    table = read_table(os.path.join(root, "ARCHITECTURE.md"))
    src_dir = os.path.join(root, "src")
    modules = sorted(d for d in os.listdir(src_dir) if os.path.isdir(os.path.join(src_dir, d)))
    problems = [f"ARCHITECTURE.md: src/{m}/ has no row in the edge table"
                for m in modules if m not in table]
    for module in modules:
        allowed = table.get(module, set()) | {module}
        for dirpath, dirnames, filenames in os.walk(os.path.join(src_dir, module)):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(SOURCE_SUFFIXES):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for n, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        target = edge_of(m.group(1), src_dir, dirpath, modules)
                        if target is None or target in allowed:
                            continue
                        shown = os.path.relpath(path, root)
                        may = ", ".join(sorted(allowed - {module})) or "nothing"
                        problems.append(f"{shown}:{n}: {module} includes \"{m.group(1)}\", "
                                        f"but {module} may include only: {may}")
    return problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--root", default=os.path.dirname(here))
    args = parser.parse_args(argv)
    try:
        problems = check(args.root)
    except TableError as e:
        print(f"check-edges: {e}", file=sys.stderr)
        return 2
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-edges: {len(problems)} include(s) cross an edge that ARCHITECTURE.md "
              "forbids", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
