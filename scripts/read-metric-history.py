"""What Python lazyscribe 2.2.1 reads from a project whose metrics have a history.

    python3 scripts/read-metric-history.py READ/project.json SAVE/project.json > out.json

Opens READ in mode "r" and prints, as JSON (``json.dumps(..., indent=4, sort_keys=True)``),
for each experiment and test: its metrics, its artifact names, and the value of
``load_artifact("metric-history")`` when it has one. Then opens SAVE (a copy of READ) in
mode "w+", tags every experiment "python" and saves it, so that the TypeScript tests can
check that the history survives a Python save.
"""

import json
import sys

from lazyscribe import Project


def history(owner):
    names = [a.name for a in owner.artifacts]
    out = {"metrics": owner.metrics, "artifacts": names}
    if "metric-history" in names:
        out["metric-history"] = owner.load_artifact("metric-history")
    return out


def main(read_path: str, save_path: str) -> None:
    project = Project(read_path, mode="r")
    result = {}
    for exp in project.experiments:
        entry = history(exp)
        entry["tests"] = {test.name: history(test) for test in exp.tests}
        result[exp.slug] = entry
    print(json.dumps(result, indent=4, sort_keys=True))

    editable = Project(save_path, mode="w+", author="bob")
    for exp in editable.experiments:
        exp.tag("python")
    editable.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
