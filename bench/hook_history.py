#!/usr/bin/env python3
"""Writes a git fast-import stream: a project history built from text already
on the machine, for the hook benchmark (bench/hook_bench.sh).

    python3 bench/hook_history.py --commits N [--seed S] [DIR...] | git fast-import

The first commit imports a base snapshot of text files from DIR... (default
/usr/include and /usr/share), paths kept (include/..., share/...). Every later
commit is one of the changes a project's history is made of, drawn with a
fixed seed so the same N gives the same repository on the same machine:

  - edit 1 to 4 files (70 %): a few lines changed, inserted (copied from
    another file, as when code moves) or deleted, at a random place;
  - add 1 to 8 files from the pool not yet in the tree (20 %);
  - delete a file (5 %);
  - move a file to another directory, sometimes edited too (5 %).

Text files only (no NUL in the first 8 KiB, UTF-8 or not), 64 bytes to
256 KiB. The base snapshot has about N/4 files (at least 500). Prints a
summary (commits, files, blob versions and bytes) on stderr.
"""
import argparse
import os
import random
import sys

MAX_FILE = 256 * 1024
MIN_FILE = 64


def text_files(roots):
    """Sorted (path in repo, path on disk) of the text files under roots."""
    found = []
    for root in roots:
        prefix = os.path.basename(os.path.normpath(root))
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                disk = os.path.join(dirpath, name)
                try:
                    if os.path.islink(disk):
                        continue
                    size = os.path.getsize(disk)
                    if size < MIN_FILE or size > MAX_FILE:
                        continue
                    with open(disk, "rb") as f:
                        head = f.read(8192)
                    if b"\0" in head:
                        continue
                except OSError:
                    continue
                rel = os.path.relpath(disk, root)
                if "\n" in rel or rel.startswith('"'):
                    continue
                found.append((prefix + "/" + rel, disk))
    return found


def read(disk):
    try:
        with open(disk, "rb") as f:
            return f.read(MAX_FILE)
    except OSError:
        return b"\n"


class Stream:
    def __init__(self, out):
        self.out = out
        self.blob_versions = 0
        self.blob_bytes = 0

    def data(self, payload):
        self.out.write(b"data %d\n" % len(payload))
        self.out.write(payload)
        self.out.write(b"\n")

    def commit(self, mark, parent, when, message, changes):
        w = self.out.write
        w(b"commit refs/heads/main\nmark :%d\n" % mark)
        who = b"Bench Developer <dev%d@example.com>" % (mark % 7)
        w(b"author %s %d +0000\ncommitter %s %d +0000\n" % (who, when, who, when))
        self.data(message.encode())
        if parent:
            w(b"from :%d\n" % parent)
        for op in changes:
            if op[0] == "M":
                path, content = op[1], op[2]
                w(b"M 100644 inline %s\n" % path.encode("utf-8", "surrogateescape"))
                self.data(content)
                self.blob_versions += 1
                self.blob_bytes += len(content)
            elif op[0] == "D":
                w(b"D %s\n" % op[1].encode("utf-8", "surrogateescape"))


def edit(rng, content, donor):
    """A few lines changed, inserted or deleted at one place."""
    lines = content.split(b"\n")
    at = rng.randrange(len(lines))
    kind = rng.random()
    n = rng.randint(1, 6)
    if kind < 0.45:
        for i in range(at, min(at + n, len(lines))):
            line = lines[i]
            if line.strip():
                words = line.split(b" ")
                j = rng.randrange(len(words))
                words[j] = words[j] + (b"_v%d" % rng.randint(2, 99))
                lines[i] = b" ".join(words)
            else:
                lines[i] = b"/* note %d */" % rng.randint(0, 10**6)
    elif kind < 0.8:
        donor_lines = donor.split(b"\n")
        start = rng.randrange(len(donor_lines))
        lines[at:at] = donor_lines[start:start + rng.randint(1, 25)]
    else:
        del lines[at:at + n]
        if not lines:
            lines = [b""]
    out = b"\n".join(lines)
    return out[:MAX_FILE]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--commits", type=int, required=True)
    ap.add_argument("--seed", type=int, default=20261128)
    ap.add_argument("dirs", nargs="*", default=["/usr/include", "/usr/share"])
    args = ap.parse_args()
    rng = random.Random(args.seed)

    pool = text_files(args.dirs)
    if len(pool) < 100:
        sys.exit("hook_history.py: fewer than 100 text files under %s" % " ".join(args.dirs))
    rng.shuffle(pool)
    base = min(len(pool) // 2, max(500, args.commits // 4))
    tree = {}           # path -> content (bytes), or the file on disk while unchanged
    unused = pool[base:]
    out = Stream(sys.stdout.buffer)
    when = 1600000000

    changes = []
    for path, disk in pool[:base]:
        tree[path] = disk
        changes.append(("M", path, read(disk)))
    out.commit(1, 0, when, "Import the base tree\n", changes)

    paths = list(tree)          # kept in step with tree, for cheap random choice
    index = {p: i for i, p in enumerate(paths)}

    def current(p):
        v = tree[p]
        return read(v) if isinstance(v, str) else v

    def remove(p):
        i = index.pop(p)
        last = paths.pop()
        if i < len(paths):
            paths[i] = last
            index[last] = i
        del tree[p]

    def add(p, content):
        if p not in tree:
            index[p] = len(paths)
            paths.append(p)
        tree[p] = content

    for mark in range(2, args.commits + 1):
        when += rng.randint(60, 7200)
        r = rng.random()
        changes = []
        if r < 0.70 or (r < 0.90 and not unused):
            for _ in range(rng.randint(1, 4)):
                p = paths[rng.randrange(len(paths))]
                donor = current(paths[rng.randrange(len(paths))])
                content = edit(rng, current(p), donor)
                add(p, content)
                changes.append(("M", p, content))
            message = "Update %s\n\nAdjust %d place(s).\n" % (os.path.basename(changes[0][1]), len(changes))
        elif r < 0.90:
            for _ in range(rng.randint(1, 8)):
                if not unused:
                    break
                p, disk = unused.pop()
                add(p, disk)
                changes.append(("M", p, read(disk)))
            message = "Add %s\n" % os.path.basename(changes[0][1]) if changes else "Empty\n"
        elif r < 0.95 and len(paths) > 100:
            p = paths[rng.randrange(len(paths))]
            remove(p)
            changes.append(("D", p))
            message = "Remove %s\n" % os.path.basename(p)
        else:
            p = paths[rng.randrange(len(paths))]
            other = paths[rng.randrange(len(paths))]
            dest = os.path.dirname(other) + "/" + os.path.basename(p)
            if dest in tree:
                dest = os.path.dirname(other) + "/moved-%d-%s" % (mark, os.path.basename(p))
            content = current(p)
            if rng.random() < 0.5:
                content = edit(rng, content, current(other))
            remove(p)
            add(dest, content)
            changes += [("D", p), ("M", dest, content)]
            message = "Move %s\n" % os.path.basename(p)
        out.commit(mark, mark - 1, when, message, changes)

    sys.stdout.buffer.flush()
    sys.stderr.write("hook_history.py: %d commits, %d files at the tip, %d blob versions, %.1f MB of blob content "
                     "(base snapshot: %d files; pool: %d text files)\n"
                     % (args.commits, len(tree), out.blob_versions, out.blob_bytes / 1e6, base, len(pool)))


if __name__ == "__main__":
    main()
