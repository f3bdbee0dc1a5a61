"""Parse Dockerfiles with BuildKit's Go parser (the PyPI package `dockerfile`).

Reads a JSON list of Dockerfile texts on stdin, writes a JSON list of results
on stdout: {"instructions": [...]} or {"error": "message"} per text.
"""
import json
import sys

import dockerfile


def command(c):
    return {
        "cmd": c.cmd or "",  # the wrapper turns "" into None
        "sub_cmd": c.sub_cmd or "",
        "json": c.json,
        "original": c.original or "",
        "start_line": c.start_line,
        "end_line": c.end_line,
        "flags": list(c.flags),
        "value": list(c.value),
        "heredocs": [
            {"name": h.name, "file_descriptor": h.file_descriptor, "content": h.content}
            for h in c.heredocs
        ],
    }


def main():
    out = []
    for text in json.load(sys.stdin):
        try:
            out.append({"instructions": [command(c) for c in dockerfile.parse_string(text)]})
        except dockerfile.GoParseError as e:
            out.append({"error": str(e)})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
