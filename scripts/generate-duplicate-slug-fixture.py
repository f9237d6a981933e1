"""Writes test/fixtures/python-lazyscribe-2.2.1/duplicate-slug/project.json: a loop that logs
"run" twice within one second, as Python lazyscribe 2.2.1 saves it: two records with the same
slug. The creation and update times are fixed so that both runs fall in the same second
whenever the script runs; `expected.json` records what Python's `get()` gives for that slug.

Run with Python that imports lazyscribe 2.2.1 (here: /work/pyref/py):

    /work/pyref/py scripts/generate-duplicate-slug-fixture.py
"""

import json
import pathlib
import shutil
from datetime import datetime

from lazyscribe import Experiment, Project

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "python-lazyscribe-2.2.1" / "duplicate-slug"
shutil.rmtree(OUT, ignore_errors=True)
OUT.mkdir(parents=True)

project = Project(OUT / "project.json", mode="w", author="alice")
for offset, lr in ((100000, 0.1), (600000, 0.01)):
    moment = datetime(2024, 3, 1, 10, 15, 30, offset)
    exp = Experiment(
        name="run",
        project=project.fpath,
        author="alice",
        created_at=moment,
        last_updated=moment,
    )
    exp.log_parameter("lr", lr)
    project.append(exp)
project.save()

read = Project(OUT / "project.json", mode="r")
expected = {
    "slugs": [e.slug for e in read.experiments],
    "get": read[read.experiments[0].slug].parameters,
}
(OUT / "expected.json").write_text(json.dumps(expected, indent=4) + "\n", encoding="utf8")
print(json.dumps(expected))
