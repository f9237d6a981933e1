"""Writes test/fixtures/differential/: project files made by Python lazyscribe 2.2.1, with what
Python reads back from each and what its merge gives, for test/core/differential.test.ts.

Each project is built from `Experiment` and `Test` objects (Python computes the slugs and the
records), its records are written in a random order (as a merge, another process or a hand
edit leaves them) exactly as `Project.save` writes (`json.dump(..., sort_keys=True, indent=4)`),
and then Python 2.2.1 itself:

- opens it in mode "r": `order` is `list(project)` as indices into the file's records;
- opens it in mode "w+" and saves it unchanged: `saved` is the bytes (null: same as `file`);
- merges pairs and triples of the projects (each opened in mode "r"): `python` is the merged
  list, and `documented` the same insertion order keeping, of each slug, the record Python's
  documentation promises (the newest; on a tie, the first project's; within one project, the
  later). The two differ where Python 2.2.1 breaks its own rule.

The values cover whole floats at every depth (0.0, 1.0, -2.0, 1e16), integers beyond 2**53,
NaN and the infinities, unicode names (some slug to ""), records of one name created in the
same second, tests and tags; no dependencies or artifacts.

Run with Python that imports lazyscribe 2.2.1 (here: /work/pyref/py):

    /work/pyref/py scripts/generate-differential-projects.py
"""

import bisect
import json
import pathlib
import random
import tempfile
from datetime import datetime, timedelta

from lazyscribe import Project
from lazyscribe.experiment import Experiment
from lazyscribe.test import Test

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "differential"
PROJECTS = 240
MERGES = 160
rng = random.Random(20261203)

NAMES = ["My Exp", "my exp", "MY-EXP", "Café résumé", "日本語の実験", "\U0001f44d\U0001f3fd",
         "Ærøskøbing", "a\x85b", "baseline", "Модель 2", "x" * 3, "run #1"]
TEST_NAMES = ["holdout", "\U0001f44d\U0001f3fd", "Zone A", "αβγ", "slice/2024"]
TAGS = ["prod", "dev", "ünï", "x"]
BIG_INTS = [2**53, 2**53 + 1, -(2**53) - 7, 12345678901234567890, -(2**64), 10**30]
WHOLE_FLOATS = [0.0, 1.0, -2.0, 1e16, 100.0, -0.0]


def scalar(big: bool):
    kind = rng.randrange(8 if big else 7)
    if kind == 0:
        return rng.choice(WHOLE_FLOATS)
    if kind == 1:
        return rng.randint(-1000, 1000)
    if kind == 2:
        return round(rng.uniform(-10, 10), rng.randrange(1, 17))
    if kind == 3:
        return rng.choice(["", "a", "é", "日本", "\U0001f600", "line\nbreak"])
    if kind == 4:
        return rng.choice([True, False, None])
    if kind == 5:
        return rng.choice([float("nan"), float("inf"), float("-inf"), 1e-7, 5e-324])
    if kind == 6:
        return rng.choice([0.1, 2.5e-5, 1.5e300, 123456.789])
    return rng.choice(BIG_INTS)


def value(big: bool, depth: int = 0):
    roll = rng.random()
    if depth < 3 and roll < 0.2:
        return [value(big, depth + 1) for _ in range(rng.randrange(4))]
    if depth < 3 and roll < 0.35:
        return {f"k{i}": value(big, depth + 1) for i in range(rng.randrange(4))}
    return scalar(big)


def metric(big: bool):
    """A metric: a number, or a list of numbers (Python does not check, but lazyscribe's docs)."""
    def number():
        v = scalar(big)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else rng.random()
    return [number() for _ in range(rng.randrange(1, 4))] if rng.random() < 0.3 else number()


def experiment(fpath: pathlib.Path, base: datetime, big: bool) -> Experiment:
    created = base + timedelta(seconds=rng.choice([0, 0, 0, 1, 1, 2, 3600]))
    updated = created + timedelta(seconds=rng.choice([0, 0, 1, 2, 5]))
    tests = [
        Test(
            name=rng.choice(TEST_NAMES),
            description=rng.choice([None, "a test", "ü"]),
            metrics={f"m{i}": metric(big) for i in range(rng.randrange(3))},
            parameters={f"p{i}": value(big) for i in range(rng.randrange(3))},
        )
        for _ in range(rng.choice([0, 0, 1, 2]))
    ]
    return Experiment(
        name=rng.choice(NAMES),
        project=fpath,
        author=rng.choice(["alice", "bob", "ünï"]),
        created_at=created,
        last_updated=updated,
        metrics={f"metric_{i}": metric(big) for i in range(rng.randrange(4))},
        parameters={f"param_{i}": value(big) for i in range(rng.randrange(4))},
        tags=rng.sample(TAGS, rng.randrange(3)),
        tests=tests,
    )


def dump(records) -> str:
    with tempfile.TemporaryFile("w+", encoding="utf8") as f:
        json.dump(records, f, sort_keys=True, indent=4)  # as Project.save
        f.seek(0)
        return f.read()


def key(record) -> str:
    return json.dumps(record, sort_keys=True)


def has_big_int(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) >= 2**53
    if isinstance(value, list):
        return any(has_big_int(v) for v in value)
    if isinstance(value, dict):
        return any(has_big_int(v) for v in value.values())
    return False


def indices(experiments, file_keys):
    """Each experiment's index in the file (equal records may stand for each other)."""
    left = list(range(len(file_keys)))
    out = []
    for exp in experiments:
        k = key(exp.to_dict())
        i = next(i for i in left if file_keys[i] == k)
        left.remove(i)
        out.append(i)
    return out


work = pathlib.Path(tempfile.mkdtemp())
cases = []
for n in range(PROJECTS):
    fpath = work / f"p{n}" / "project.json"
    fpath.parent.mkdir()
    big = n % 3 == 0
    base = datetime(2024, 1, 1, 10, 0, 0) + timedelta(minutes=rng.randrange(3))
    exps = [experiment(fpath, base, big) for _ in range(rng.randrange(1, 7))]
    if n >= 20 and rng.random() < 0.5:
        # An edited copy of an earlier project's record: same slug, maybe newer, maybe equal.
        source = rng.choice(cases)
        rec = rng.choice(json.loads(source["file"]))
        fields = {k: v for k, v in rec.items() if k not in ("dependencies", "tests", "artifacts")}
        fields["created_at"] = datetime.fromisoformat(fields["created_at"])
        fields["last_updated"] = datetime.fromisoformat(fields["last_updated"]) + timedelta(
            seconds=rng.choice([0, 0, 1, -1])
        )
        if rng.random() < 0.5:
            fields["metrics"] = {**fields["metrics"], "edited": 1.0}
        exps.append(Experiment(project=fpath, **fields,
                               tests=[Test(**t) for t in rec["tests"]]))
    records = [e.to_dict() for e in exps]
    if rng.random() < 0.7:
        rng.shuffle(records)
    text = dump(records)
    fpath.write_text(text, encoding="utf8")
    file_keys = [key(r) for r in json.loads(text)]
    read = Project(fpath, mode="r")
    order = indices(read.experiments, file_keys)
    assert [key(r) for r in read] == [file_keys[i] for i in order]
    Project(fpath, mode="w+", author="nobody").save()
    saved = fpath.read_text(encoding="utf8")
    fpath.write_text(text, encoding="utf8")
    cases.append({
        "file": text,
        "order": order,
        "saved": None if saved == text else saved,
        "bigInts": has_big_int(json.loads(text)),
    })


def python_insertion(projects):
    """Project.merge's list before it drops duplicates (its own lines, with its own objects)."""
    cexp = list(projects[0].experiments)
    for proj in projects[1:]:
        for exp in proj.experiments:
            if exp in cexp:
                continue
            bisect.insort(cexp, exp)
    return cexp


merges = []
for m in range(MERGES):
    # Mostly projects that share slugs: the later ones edit the earlier ones' records.
    size = 2 if m < 120 else 3
    picked = rng.sample(range(PROJECTS), size)
    if m % 2 == 0:
        picked = sorted(rng.sample(range(20, PROJECTS), size - 1) + [rng.randrange(20)])
        rng.shuffle(picked)
    projects = [Project(work / f"p{i}" / "project.json", mode="r") for i in picked]
    where = {id(e): [k, j] for k, p in enumerate(projects) for j, e in enumerate(p.experiments)}
    merged = projects[0].merge(*projects[1:])
    cexp = python_insertion(projects)
    best = {}
    for e in cexp:
        k, j = where[id(e)]
        rank = (e.last_updated, -k, j)
        if e.slug not in best or rank > best[e.slug][0]:
            best[e.slug] = (rank, e)
    documented = [e for e in cexp if best[e.slug][1] is e]
    python = [where[id(e)] for e in merged.experiments]
    merges.append({
        "projects": picked,
        "python": python,
        "documented": None if python == [where[id(e)] for e in documented]
        else [where[id(e)] for e in documented],
    })

(OUT / "projects.json").write_text(json.dumps(cases, ensure_ascii=False) + "\n", encoding="utf8")
(OUT / "merges.json").write_text(json.dumps(merges) + "\n", encoding="utf8")
differ = sum(m["documented"] is not None for m in merges)
print(f"{len(cases)} projects ({sum(c['bigInts'] for c in cases)} with big integers, "
      f"{sum(c['saved'] is not None for c in cases)} reordered by a save), {len(merges)} merges "
      f"({differ} where Python breaks its documented rule)")
