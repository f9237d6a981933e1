"""Writes a Python-shaped lazyscribe project file for the benchmarks, as Python writes it.

    python3 scripts/generate-python-project.py N OUT.json [FIRST]

N experiments in the shape of DESIGN section 7 (20 metrics, 10 parameters, 2 tags, 1 test
with 5 metrics), written with ``json.dump(records, f, sort_keys=True, indent=4)`` exactly as
lazyscribe 2.2.1 saves a project. The values are what Python programs log: floats that are
mostly fractional, some whole (``0.0``, ``1.0``, ``1e+16``), some integers, a few integers
beyond 2**53 (seeds, hashes), a rare ``NaN`` and non-ASCII text. Deterministic: the same N
gives the same bytes. FIRST (default 0) numbers the experiments from FIRST to FIRST + N - 1,
so that two files can overlap (the merge benchmark). Only the standard library is used.
"""

import json
import sys
from datetime import datetime, timedelta

BASE = datetime(2024, 1, 1)


def metric(i: int, m: int):
    if m % 7 == 0:
        return float((i + m) % 2)  # 0.0 or 1.0, as accuracy-like metrics often are
    if m == 19:
        return (i * 13 + m) % 100  # an int count
    if m == 18 and i % 50 == 0:
        return 1e16 * (1 + i % 3)  # a huge whole float, written 1e+16
    if m == 17 and i % 5000 == 0:
        return float("nan")
    return (i * 31 + m) / 997


def parameter(i: int, p: int):
    if p == 0:
        return f"value-{i % 17}"
    if p == 1:
        return {"depth": p + i % 5, "lr": 0.01 * (i % 4)}  # lr 0.0 is a whole float
    if p == 2:
        return 2**63 + i if i % 100 == 0 else i  # a seed beyond 2**53 now and then
    if p == 3:
        return [1.0, 0.5, float(i % 3), i]
    if p == 4:
        return i % 2 == 0
    if p == 5:
        return None
    if p == 6:
        return "caf\u00e9 \u65e5\u672c" if i % 10 == 0 else "plain"
    return {"layers": [64, 32], "dropout": 0.0 if i % 2 else 0.25, "name": f"model-{p}"}


def record(i: int) -> dict:
    created = (BASE + timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S")
    name = f"Experiment {i}"
    short_slug = f"experiment-{i}"
    return {
        "name": name,
        "author": "bench",
        "last_updated_by": "bench",
        "metrics": {f"metric_{m}": metric(i, m) for m in range(20)},
        "parameters": {f"param_{p}": parameter(i, p) for p in range(10)},
        "created_at": created,
        "last_updated": created,
        "dependencies": [],
        "short_slug": short_slug,
        "slug": f"{short_slug}-{created.replace('-', '').replace(':', '').replace('T', '')}",
        "artifacts": [],
        "tests": [
            {
                "name": "Holdout",
                "description": None,
                "metrics": {f"test_metric_{m}": (i + m) / 13 for m in range(5)},
                "parameters": {},
                "artifacts": [],
            }
        ],
        "tags": ["bench", f"group-{i % 10}"],
    }


def main() -> None:
    n = int(sys.argv[1])
    first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    with open(sys.argv[2], "w") as f:
        json.dump([record(i) for i in range(first, first + n)], f, sort_keys=True, indent=4)


if __name__ == "__main__":
    main()
