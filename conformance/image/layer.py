#!/usr/bin/env python3
"""Hostile and odd layer tarballs for the oci-image tests (uncompressed, for umoci raw add-layer).

layer.py OUT deep N [--no-dirs]  N directories deep, a file "leaf" (content "deep") at the bottom;
                                 with --no-dirs only the file's entry, its parents left implied
layer.py OUT halfway             good members, then a hardlink to a file the layer never made
layer.py OUT longname N          one file whose PAX name is a single N-byte component
layer.py OUT ctrl                a hardlink to a missing target whose name holds ESC, newline, \\
layer.py OUT big                 a small file "first", then 4 MiB of random bytes in "second"
"""
import io
import os
import sys
import tarfile


def add(tar, name, kind=tarfile.REGTYPE, data=b"", linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.mtime = 1000000000
    info.linkname = linkname
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if info.size else None)


def main():
    out, mode, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as tar:
        if mode == "deep":
            depth = int(args[0])
            if "--no-dirs" not in args:
                for i in range(1, depth + 1):
                    add(tar, "/".join(["d"] * i), tarfile.DIRTYPE)
            add(tar, "/".join(["d"] * depth + ["leaf"]), data=b"deep\n")
        elif mode == "halfway":
            add(tar, "good", tarfile.DIRTYPE)
            add(tar, "good/one", data=b"1\n")
            add(tar, "good/two", data=b"2\n")
            add(tar, "evil", tarfile.LNKTYPE, linkname="../../../etc/never-made")
            add(tar, "good/after", data=b"never\n")
        elif mode == "longname":
            add(tar, "x" * int(args[0]), data=b"long\n")
        elif mode == "ctrl":
            add(tar, "evil", tarfile.LNKTYPE, linkname="no\x1b[2Jpe\nx\\y")
        elif mode == "big":
            add(tar, "first", data=b"first\n")
            add(tar, "second", data=os.urandom(4 << 20))
        else:
            sys.exit("unknown mode " + mode)


main()
