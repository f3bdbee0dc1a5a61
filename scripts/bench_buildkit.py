#!/usr/bin/env python3
"""BuildKit's own Dockerfile parser (Go, through the PyPI package
`dockerfile`) on the benchmark sets, for the ratios in BENCHMARKS.md.

    bench_buildkit.py prepare SETS_DIR   writes the sets (*.list files)
    bench_buildkit.py time SETS_DIR      prints JSON timings

`prepare` writes: `buildkit-testfiles` (every Dockerfile of BuildKit's
parser tests that BuildKit parses without error), `tutorial` (the sample
project's Dockerfile) and `50k-lines` (a generated 50,000-line file, the
same block as the syntax crate's parse benchmark). The native and wasm
benchmarks then read the same files.

`time` parses every file of a set per iteration with
`dockerfile.parse_string`: BuildKit's parser plus the wrapper's Python/Go
boundary and its conversion of the result to Python objects. Each figure is
the median of 7 samples after a warm-up.
"""
import json
import os
import sys
import time

import dockerfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.path.join(ROOT, "../shared/conformance")

BLOCK = [
    "FROM debian:bookworm-slim AS base",
    "ARG VERSION=1.2.3",
    "ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8",
    "# install the toolchain",
    "RUN apt-get update \\",
    "    && apt-get install -y --no-install-recommends ca-certificates curl git \\",
    "    # keep the image small",
    "    && rm -rf /var/lib/apt/lists/*",
    "WORKDIR /src",
    "COPY --chown=app:app --chmod=755 package.json package-lock.json ./",
    "RUN --mount=type=cache,target=/root/.npm npm ci",
    "COPY . .",
    'LABEL org.opencontainers.image.title="demo" version="${VERSION}"',
    "EXPOSE 8080/tcp",
    'HEALTHCHECK --interval=30s CMD ["curl", "-f", "http://localhost:8080/"]',
    "USER app",
    'ENTRYPOINT ["node", "server.js"]',
    "",
]


def prepare(sets):
    os.makedirs(sets, exist_ok=True)
    tdir = os.path.join(CONF, "buildkit/parser/testfiles")
    ok, refused = [], []
    for name in sorted(os.listdir(tdir)):
        p = os.path.abspath(os.path.join(tdir, name, "Dockerfile"))
        if not os.path.exists(p):
            continue
        try:
            dockerfile.parse_file(p)
            ok.append(p)
        except dockerfile.GoParseError:
            refused.append(name)
    big = os.path.join(sets, "50k-lines.Dockerfile")
    lines = []
    while len(lines) < 50_000:
        lines.extend(BLOCK)
    with open(big, "w") as f:
        f.write("\n".join(lines) + "\n")
    lists = {
        "buildkit-testfiles": ok,
        "tutorial": [os.path.join(ROOT, "static/samples/aspnetapp/Dockerfile")],
        "50k-lines": [os.path.abspath(big)],
    }
    for name, files in lists.items():
        with open(os.path.join(sets, name + ".list"), "w") as f:
            f.write("\n".join(files) + "\n")
    print(f"sets in {sets}: {len(ok)} BuildKit test files ({len(refused)} refused by BuildKit: {refused})",
          file=sys.stderr)


def measure(fn, sample_s=0.3, samples=7):
    t0 = time.perf_counter()
    calls = 0
    while time.perf_counter() - t0 < sample_s or calls < 3:
        fn()
        calls += 1
    per = max(1, round(calls * sample_s / (time.perf_counter() - t0)))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(per):
            fn()
        times.append((time.perf_counter() - t0) * 1e9 / per)
    times.sort()
    return times[len(times) // 2]


def timings(sets):
    out = []
    for lst in sorted(f for f in os.listdir(sets) if f.endswith(".list")):
        name = lst[:-5]
        with open(os.path.join(sets, lst)) as f:
            paths = [l.strip() for l in f if l.strip()]
        texts = [open(p, encoding="utf-8").read() for p in paths]
        nbytes = sum(len(t.encode()) for t in texts)

        def run():
            for t in texts:
                dockerfile.parse_string(t)

        ns = measure(run)
        out.append({"name": f"parse-compare/{name}/buildkit-go (PyPI dockerfile)", "ns": ns, "bytes": nbytes})
        print(f"{out[-1]['name']}: {ns / 1e3:.1f} µs", file=sys.stderr)
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    cmd, sets = sys.argv[1], sys.argv[2]
    prepare(sets) if cmd == "prepare" else timings(sets)
