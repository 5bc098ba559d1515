#!/usr/bin/env python3
"""Prints one line per path of a tree: type, mode, owner, link target or device, xattrs and a
content hash, sorted, so two unpacks of the same image can be compared with diff."""
import hashlib
import os
import stat
import sys


def describe(root, rel):
    path = os.path.join(root, rel) if rel else root
    st = os.lstat(path)
    kind = stat.S_IFMT(st.st_mode)
    fields = [rel or ".", oct(st.st_mode), f"{st.st_uid}:{st.st_gid}"]
    if stat.S_ISLNK(st.st_mode):
        fields.append("-> " + os.readlink(path))
    elif stat.S_ISREG(st.st_mode):
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        fields.append(f"size={st.st_size} sha256={h.hexdigest()}")
    elif kind in (stat.S_IFCHR, stat.S_IFBLK):
        fields.append(f"dev={os.major(st.st_rdev)}:{os.minor(st.st_rdev)}")
    try:
        names = sorted(n for n in os.listxattr(path, follow_symlinks=False)
                       if not n.startswith(("security.selinux", "trusted.overlay.")))
    except OSError:
        names = []
    for n in names:
        fields.append(f"xattr {n}={os.getxattr(path, n, follow_symlinks=False).hex()}")
    return " ".join(fields)


def main():
    root = sys.argv[1]
    skip_root = "--no-root" in sys.argv
    out = [] if skip_root else [describe(root, "")]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            out.append(describe(root, rel))
    # Hardlink groups: paths sharing an inode, named by their first path.
    inodes = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                inodes.setdefault(st.st_ino, []).append(os.path.relpath(p, root))
    for paths in inodes.values():
        out.append("hardlinks " + " ".join(sorted(paths)))
    print("\n".join(sorted(out)))


main()
