"""Writes test/fixtures/python-lazyscribe-2.2.1/empty-test-slug/: a project whose test is
named "\U0001f44d\U0001f3fd" (its slug is ""), with a JSON artifact on that test and one on the
experiment. Python 2.2.1 keeps the test's artifact in the experiment's own folder
(`experiment.path / slugify(test.name)` with an empty slug), and `expected.json` records the
values Python loads back.

Run with Python that imports lazyscribe 2.2.1 (here: /work/pyref/py):

    /work/pyref/py scripts/generate-empty-test-slug-fixture.py
"""

import json
import pathlib
import shutil

from lazyscribe import Project

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "python-lazyscribe-2.2.1" / "empty-test-slug"
shutil.rmtree(OUT, ignore_errors=True)
OUT.mkdir(parents=True)

project = Project(OUT / "project.json", mode="w", author="alice")
with project.log("Thumbs") as exp:
    exp.log_artifact("summary", {"runs": 2, "ratio": 1.0}, handler="json")
    with exp.log_test("\U0001f44d\U0001f3fd", description="emoji only") as test:
        test.log_metric("hits", 3)
        test.log_artifact("per-slice", [1.0, 2.5, {"a": 0.0}], handler="json")
project.save()

read = Project(OUT / "project.json", mode="r")
exp = read.experiments[0]
expected = {
    "experiment": exp.slug,
    "files": sorted(str(p.relative_to(OUT)) for p in OUT.rglob("*") if p.is_file()),
    "summary": exp.load_artifact("summary"),
    "per-slice": exp.tests[0].load_artifact("per-slice"),
}
(OUT / "expected.json").write_text(json.dumps(expected, indent=4) + "\n", encoding="utf8")
print(json.dumps(expected))
