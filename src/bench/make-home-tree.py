#!/usr/bin/env python3
"""Writes a home-folder-like tree of small files for the scan benchmark.

Usage: make-home-tree.py DIR FILES
The mix imitates a developer's /home: JavaScript dependency folders, git object stores, caches with
extension-less names, documents, photos and source code. Sizes are small (0.1-8 KB); contents are
random bytes or text, so nothing in it is a database.
"""
import os
import random
import sys

root, total = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
mix = [  # share, folder pattern, extensions ('' = none)
    (0.40, "home/dev/projects/app{a}/node_modules/pkg{b}/lib", [".js", ".json", ".md", ".ts", ".map"]),
    (0.20, "home/dev/projects/app{a}/.git/objects/{hex2}", [""]),
    (0.15, "home/dev/.cache/tool{a}/{hex2}", [""]),
    (0.10, "home/dev/Documents/folder{a}/sub{b}", [".txt", ".pdf", ".odt", ".csv"]),
    (0.10, "home/dev/Pictures/{a}/{b}", [".jpg", ".png"]),
    (0.05, "home/dev/src/lib{a}/pkg{b}", [".py", ".java", ".c", ".h", ".go"]),
]
made = 0
for share, pattern, exts in mix:
    n = int(total * share) + 1
    per_dir = 40
    for d in range(0, n, per_dir):
        folder = os.path.join(root, pattern.format(a=d // 4000, b=(d // per_dir) % 100,
                                                   hex2="%02x" % ((d // per_dir) % 256)))
        os.makedirs(folder, exist_ok=True)
        for i in range(min(per_dir, n - d)):
            ext = rnd.choice(exts)
            name = "%08x%s" % (rnd.getrandbits(32), ext) if ext == "" else "file%d%s" % (d + i, ext)
            size = rnd.randint(100, 8000)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(os.urandom(size) if ext in ("", ".jpg", ".png", ".pdf", ".odt") else
                        (b"lorem ipsum dolor sit amet\n" * (size // 27 + 1))[:size])
            made += 1
print(made, "files written under", root)
