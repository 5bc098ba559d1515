#!/usr/bin/env python3
"""Unit test of check-edges.py on tiny fake trees: a forbidden edge fails naming file:line,
allowed and same-module includes pass, a module without a row and a missing table fail."""

import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "check-edges.py")

TABLE = """# map
<!-- edges:begin -->
| module | may include |
|--------|-------------|
| linux  | hull |
| spec   | linux, hull |
| rootfs | spec linux hull |
| cgroups | spec, linux, hull |
<!-- edges:end -->
"""


class FakeTree:
    def __init__(self, table=TABLE):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        if table is not None:
            self.write("ARCHITECTURE.md", table)
        for m in ("linux", "spec", "rootfs", "cgroups"):
            os.makedirs(os.path.join(self.root, "src", m))

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)

    def run(self):
        return subprocess.run([sys.executable, SCRIPT, "--root", self.root],
                              capture_output=True, text=True, check=False)


class CheckEdgesTest(unittest.TestCase):
    def test_allowed_includes_pass(self):
        t = FakeTree()
        t.write("src/rootfs/mounts.cpp",
                '#include "rootfs/mounts.hpp"\n#include "spec/model.hpp"\n'
                '#include "linux/fd.hpp"\n#include "hull/error.hpp"\n#include "local.hpp"\n'
                '#include <sys/mount.h>\n#include "gtest/gtest.h"\n')
        r = t.run()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")

    def test_forbidden_edge_fails_naming_file_and_line(self):
        t = FakeTree()
        t.write("src/rootfs/devices.cpp",
                '#include "rootfs/rootfs.hpp"\n\n#  include "cgroups/manager.hpp"\n')
        r = t.run()
        self.assertEqual(r.returncode, 1)
        self.assertIn('src/rootfs/devices.cpp:3: rootfs includes "cgroups/manager.hpp"',
                      r.stderr)
        self.assertIn("may include only: hull, linux, spec", r.stderr)

    def test_upward_edge_fails(self):
        t = FakeTree()
        t.write("src/linux/fd.hpp", '#pragma once\n#include "spec/model.hpp"\n')
        r = t.run()
        self.assertEqual(r.returncode, 1)
        self.assertIn("src/linux/fd.hpp:2: linux includes", r.stderr)

    def test_relative_include_is_resolved(self):
        t = FakeTree()
        t.write("src/rootfs/sub/x.cpp", '#include "../../cgroups/v1.hpp"\n')
        r = t.run()
        self.assertEqual(r.returncode, 1)
        self.assertIn("src/rootfs/sub/x.cpp:1: rootfs includes", r.stderr)

    def test_module_without_row_fails(self):
        t = FakeTree()
        os.makedirs(os.path.join(t.root, "src", "newmod"))
        r = t.run()
        self.assertEqual(r.returncode, 1)
        self.assertIn("src/newmod/ has no row", r.stderr)

    def test_missing_table_is_an_error(self):
        t = FakeTree(table="# no table here\n")
        r = t.run()
        self.assertEqual(r.returncode, 2)
        self.assertIn("no table between", r.stderr)

    def test_missing_map_is_an_error(self):
        t = FakeTree(table=None)
        r = t.run()
        self.assertEqual(r.returncode, 2)
        self.assertIn("ARCHITECTURE.md", r.stderr)

    def test_table_parse(self):
        spec = importlib.util.spec_from_file_location("check_edges", SCRIPT)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        t = FakeTree()
        table = mod.read_table(os.path.join(t.root, "ARCHITECTURE.md"))
        self.assertEqual(table["rootfs"], {"spec", "linux", "hull"})
        self.assertEqual(table["linux"], {"hull"})


if __name__ == "__main__":
    unittest.main()
