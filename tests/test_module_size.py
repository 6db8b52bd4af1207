"""Modules stay small enough to read: split by responsibility before they pass ~400 lines."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = 450


def test_no_module_over_the_limit():
    too_long = []
    for folder in ("layerwise", "tests", "benchmarks"):
        for directory, _, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(directory, name)
                    with open(path) as handle:
                        count = sum(1 for _ in handle)
                    if count > LIMIT:
                        too_long.append(f"{os.path.relpath(path, ROOT)} ({count} lines)")
    assert not too_long, "Modules over the line budget: " + ", ".join(too_long)
