#!/usr/bin/env python3
"""Counts test cases in meson's JUnit logs and prints "N passed, N failed".

Each argument is a JUnit file (the normal build's, the sanitizer build's). A file that is
missing counts as one failure (its build failed); "reports:N" adds N failures (sanitizer
reports found outside any test). Exits 1 when anything failed or no test case ran at all."""
import os
import sys
import xml.etree.ElementTree as ET


def main():
    passed = failed = skipped = 0
    for arg in sys.argv[1:]:
        if arg.startswith('reports:'):
            n = int(arg.split(':', 1)[1])
            failed += n
            print(f'FAILED: {n} sanitizer report(s)', file=sys.stderr)
            continue
        if not os.path.exists(arg):
            failed += 1
            print(f'FAILED: no results: {arg}', file=sys.stderr)
            continue
        root = ET.parse(arg).getroot()
        tag = ' [sanitizer]' if 'build-asan' in arg else ''
        for case in root.iter('testcase'):
            if case.find('failure') is not None or case.find('error') is not None:
                failed += 1
                print(f"FAILED: {case.get('classname')} {case.get('name')}{tag}",
                      file=sys.stderr)
            elif case.find('skipped') is not None:
                skipped += 1
            else:
                passed += 1
    line = f'{passed} passed, {failed} failed'
    if skipped:
        line += f', {skipped} skipped'
    print(line)
    sys.exit(1 if failed or passed == 0 else 0)


if __name__ == '__main__':
    main()
