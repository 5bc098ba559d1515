#!/usr/bin/env python3
"""Counts test cases in meson's JUnit log and prints "N passed, N failed".

Exits 1 when anything failed or when no test case ran at all."""
import sys
import xml.etree.ElementTree as ET


def main():
    root = ET.parse(sys.argv[1]).getroot()
    passed = failed = skipped = 0
    for case in root.iter('testcase'):
        if case.find('failure') is not None or case.find('error') is not None:
            failed += 1
            print(f"FAILED: {case.get('classname')} {case.get('name')}", file=sys.stderr)
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
