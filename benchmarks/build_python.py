"""Python lazyscribe 2.2.1's side of the build benchmark (see ``benchmarks/core.ts``).

    /work/pyref/py benchmarks/build_python.py N FOLDER

Logs N experiments through ``project.log`` into a project opened in mode "w" (not saved),
each with the workload of ``benchmarks/workload.ts``: 20 metrics, 10 parameters, 2 tags and
1 test with 5 metrics. Prints one figure as the TypeScript benchmarks do: a JSON line with
the wall-clock and processor seconds and the process's peak memory.
"""

import json
import resource
import sys
import time
from pathlib import Path

from lazyscribe import Project


def log_workload(exp, i: int) -> None:
    for m in range(20):
        exp.log_metric(f"metric_{m}", (i * 31 + m) / 997)
    for p in range(10):
        exp.log_parameter(f"param_{p}", f"value-{p}" if p % 2 == 0 else {"depth": p, "lr": 0.01 * p})
    exp.tag("bench", f"group-{i % 10}")
    with exp.log_test(name="Holdout") as test:
        for m in range(5):
            test.log_metric(f"test_metric_{m}", (i + m) / 13)


def main() -> None:
    n = int(sys.argv[1])
    folder = Path(sys.argv[2])
    start = time.perf_counter()
    cpu_start = time.process_time()
    project = Project(folder / f"build-python-{n}.json", mode="w", author="bench")
    for i in range(n):
        with project.log(name=f"Experiment {i}") as exp:
            log_workload(exp, i)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    if len(project.experiments) != n:
        raise SystemExit(f"built {len(project.experiments)} experiments, not {n}")
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figure = {
        "benchmark": "build-python",
        "n": n,
        "seconds": round(seconds, 4),
        "cpuSeconds": round(cpu_seconds, 4),
        "peakRssMB": peak,
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
