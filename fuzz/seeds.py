#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target: `seeds.py TARGET CORPUS_DIR`.

Seeds come from the conformance data (../shared/conformance), the sample
project (static/samples), the engine's own tests and the hand-written seeds
in fuzz/seeds/TARGET/. Each target's input format is the one its function
in fuzz/src/lib.rs reads (a leading options byte for most). Run from the
repository root (fuzz/run.sh does).
"""
import glob
import gzip
import io
import json
import os
import re
import sys
import tarfile

CONF = "../shared/conformance"
SAMPLE = "static/samples/aspnetapp"


def write(corpus, name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(corpus, name), "wb") as f:
        f.write(data)


def hand_written(target, corpus):
    for path in sorted(glob.glob(f"fuzz/seeds/{target}/*")):
        with open(path, "rb") as f:
            write(corpus, "seed-" + os.path.basename(path), f.read())


def cache_scenarios():
    """(name, {path: (bytes, mode)}) for every recorded cache scenario."""
    out = []
    for path in sorted(glob.glob(f"{CONF}/buildkit-recorded/cache/*.json")):
        with open(path) as f:
            doc = json.load(f)
        files = {}
        for p, v in doc.get("files", {}).items():
            if isinstance(v, dict):
                files[p] = (v.get("content", "").encode(), int(v.get("mode", "0644"), 8))
            else:
                files[p] = (v.encode(), 0o644)
        out.append((os.path.basename(path)[:-5], files))
    return out


def sample_files():
    files = {}
    for root, _, names in os.walk(SAMPLE):
        for n in names:
            p = os.path.join(root, n)
            with open(p, "rb") as f:
                files[os.path.relpath(p, SAMPLE)] = (f.read(), 0o644)
    return files


def tar_of(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for p, (data, mode) in sorted(files.items()):
            info = tarfile.TarInfo(p)
            info.size = len(data)
            info.mode = mode
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def structured(entries):
    """The entry format of `tar_from_bytes`: kind, name, link, mode, data."""
    kinds = {"file": 0, "dir": 2, "symlink": 3, "hardlink": 4, "fifo": 5, "cont": 6, "pax": 7, "char": 8}
    out = bytearray()
    for kind, name, link, data in entries:
        k = kinds[kind] + 9 * 4  # high bits feed the mode
        out.append(k)
        for chunk in (name.encode(), link.encode()):
            out.append(min(len(chunk), 255))
            out += chunk[:255]
        out.append(0x1A)  # mode 0o644-ish
        d = data.encode()
        out.append(min(len(d), 255))
        out += d[:255]
    return bytes(out)


HOSTILE = {
    "dotdot": [("file", "../escape", "", "x"), ("file", "ok.txt", "", "ok")],
    "absolute": [("file", "/etc/passwd", "", "root:x:0:0"), ("dir", "/abs/dir/", "", "")],
    "symlink-out": [("symlink", "link", "../../../etc", ""), ("symlink", "abs", "/etc/shadow", "")],
    "symlink-loop": [("symlink", "a", "b", ""), ("symlink", "b", "a", ""), ("symlink", "self", "self/x", "")],
    "hardlink": [("file", "app/a.txt", "", "hello"), ("hardlink", "app/b.txt", "app/a.txt", "")],
    "hardlink-out": [("hardlink", "x", "../../etc/passwd", ""), ("hardlink", "y", "later", "")],
    "long-name": [("file", "d/" * 80 + "deep.txt", "", "deep"), ("symlink", "l", "x/" * 70, "")],
    "pax": [("pax", "renamed/by/pax.txt", "", ""), ("file", "short", "", "pax body")],
    "dot-names": [("file", "./a/./b/../c", "", "c"), ("dir", ".", "", ""), ("file", "a\\b\\c", "", "win")],
    "file-then-dir": [("file", "a", "", "file"), ("file", "a/b", "", "under a file"), ("dir", "a", "", "")],
    "specials": [("fifo", "pipe", "", ""), ("char", "dev/null", "", ""), ("cont", "contig", "", "data")],
}


def seeds(target, corpus):
    hand_written(target, corpus)
    if target == "parse":
        for d in glob.glob(f"{CONF}/buildkit/parser/testfiles/*") + glob.glob(
            f"{CONF}/buildkit/parser/testfiles-negative/*"
        ):
            p = os.path.join(d, "Dockerfile")
            if os.path.exists(p):
                with open(p, "rb") as f:
                    write(corpus, os.path.basename(d), f.read())
        for p in glob.glob("static/samples/*/Dockerfile"):
            with open(p, "rb") as f:
                write(corpus, "sample-" + p.split("/")[-2], f.read())
    elif target == "words":
        with open(f"{CONF}/buildkit/shell/wordsTest") as f:
            for i, line in enumerate(l for l in f.read().split("\n") if l and not l.startswith("#")):
                word = line.split("|")[0].strip()
                write(corpus, f"words-{i}", b"\0" + word.encode())
                write(corpus, f"words-{i}-backtick", b"\x01" + word.replace("\\", "`").encode())
        with open(f"{CONF}/buildkit/shell/envVarTest") as f:
            for i, line in enumerate(l for l in f.read().split("\n") if l and not l.startswith("#")):
                fields = line.split("|")
                if len(fields) >= 3:
                    write(corpus, f"env-{i}", b"\0" + fields[1].strip().encode())
    elif target == "dockerignore":
        for name, files in cache_scenarios():
            for p, (data, _) in files.items():
                if p.endswith(".dockerignore"):
                    write(corpus, f"{name}-{os.path.basename(p)}", data + b"\0" + "\n".join(sorted(files)).encode())
    elif target == "context":
        files = sample_files()
        raw = tar_of(files)
        write(corpus, "sample-tar", b"\0" + raw)
        write(corpus, "sample-tar-gz", b"\0" + gzip.compress(raw))
        for name, files in cache_scenarios()[:40]:
            write(corpus, f"cache-{name}", b"\0" + tar_of(files))
        for name, entries in HOSTILE.items():
            write(corpus, f"hostile-{name}", b"\x01" + structured(entries))
            write(corpus, f"hostile-{name}-gz", b"\x03" + structured(entries))
    elif target == "run_args":
        src = open("crates/engine/src/run/args.rs").read()
        lit = re.compile(r'"((?:[^"\\]|\\.)*)"')
        n = 0
        for m in re.finditer(r"check(_create)?\(\s*&\[(.*?)\]", src, re.S):
            try:
                args = [json.loads('"' + s + '"') for s in lit.findall(m.group(2))]
            except ValueError:
                continue
            which = b"\x15" if m.group(1) else b"\x14"
            write(corpus, f"test-{n}", which + "\0".join(args).encode())
            n += 1
    elif target == "lint":
        for p in sorted(glob.glob(f"{CONF}/buildkit-recorded/lint/*.Dockerfile")):
            with open(p, "rb") as f:
                data = f.read()
            write(corpus, os.path.basename(p), b"\0" + data)
            write(corpus, os.path.basename(p) + "-opts", b"\x3f" + data)
        for p in glob.glob("static/samples/*/Dockerfile"):
            with open(p, "rb") as f:
                write(corpus, "sample-" + p.split("/")[-2], b"\x20" + f.read())
    elif target == "pipeline":
        for p in sorted(glob.glob(f"{CONF}/buildkit-recorded/lint/*.Dockerfile"))[:60]:
            with open(p, "rb") as f:
                write(corpus, os.path.basename(p), b"\0" + f.read())
        for name, files in cache_scenarios():
            for p, (data, _) in files.items():
                if p == "Dockerfile":
                    write(corpus, f"cache-{name}", b"\0" + data)
        for p in glob.glob("static/samples/*/Dockerfile"):
            with open(p, "rb") as f:
                write(corpus, "sample-" + p.split("/")[-2], b"\0" + f.read())
    # state: the hand-written seeds only.


if __name__ == "__main__":
    target, corpus = sys.argv[1], sys.argv[2]
    os.makedirs(corpus, exist_ok=True)
    seeds(target, corpus)
    print(f"{target}: {len(os.listdir(corpus))} inputs in {corpus}")
