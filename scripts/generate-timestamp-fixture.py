"""Writes test/fixtures/timestamps/python-fromisoformat.json: how Python lazyscribe 2.2.1 reads
and writes back a timestamp (created_at, last_updated): `datetime.fromisoformat(text)` on load,
`value.isoformat(timespec="seconds")` on save (lazyscribe._utils.serializer).

Each case is [text, written, epoch_ms] where `written` is what a save gives back and
`epoch_ms` the instant (a naive timestamp read as UTC, as lazyscribe writes them), or
[text, null, null] when Python refuses the text.

Run with Python 3.11 (the interpreter the fixtures are made with):
    /work/pyref/py scripts/generate-timestamp-fixture.py
"""

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

EPOCH = datetime(1970, 1, 1)


def outcome(text):
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return [text, None, None]
    wall = (value.replace(tzinfo=None) - EPOCH) // timedelta(microseconds=1)
    offset = value.utcoffset() or timedelta(0)
    return [text, value.isoformat(timespec="seconds"), (wall - offset // timedelta(microseconds=1)) // 1000]


DATES = ["2024-03-01", "20240301", "2024-W09-5", "2024W095", "2024-W09", "2024W09", "2020-W53-1",
         "2024-W53-1", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31",
         "0000-01-01", "0001-01-01", "9999-12-31", "2024-3-01", "2024-03-1", "2024-0301",
         "202403-01", "1969-12-31", "2024-W00-1", "2024-W09-0", "2024-W09-8", "2024-060"]
SEPARATORS = ["T", " ", "t", "x", "é", "😀", "\ud800", "-", "1", ":", "\u00a0", ""]
TIMES = ["10:15:30", "101530", "10:15", "1015", "10", "1", "10:15:3", "10:15:60", "10:60:00",
         "24:00:00", "23:59:59", "00:00:00", "10:15:30.5", "10:15:30,5", "10:15:30.123456",
         "10:15:30.1234567", "10:15:30.999999999", "10:15:30.", "10:15:30,", "10:15:30:",
         "10:15:30:5", "10.5", "10:15.25", "101530123", "10:1530", "1015:30", "10:15:30.5x",
         "10:15:30x", "10:15:30\u0000", "10\u0000", "١٠:15:30", "10:15:30 ", " 10:15:30"]
ZONES = ["", "Z", "z", "+00:00", "-00:00", "+02:00", "-05:30", "+0200", "+02", "+2", "+123",
         "+02:00:30", "+020030", "+02:00:30.5", "+0200.5", "+02:99", "+02:00:60", "+23:59",
         "+24:00", "-23:59:59.999999", "+00:00:00.000001", "-00:00:00.000001", "Z+", "+",
         "+02:00Z", " +02:00", "+02:00 ", "+02:0", "+02:00:3", "-0530", "+14:00", "+02,5"]


def main():
    cases = {}
    for date in DATES:
        cases[date] = None
        for sep in SEPARATORS:
            for time in TIMES:
                for zone in ZONES:
                    if (date == "2024-03-01" and sep == "T") or (
                        zone in ("", "+02:00") and (sep == "T" or time == "10:15:30")
                    ):
                        cases[f"{date}{sep}{time}{zone}"] = None
    pieces = [*DATES, *SEPARATORS, *TIMES, *ZONES, "W", "-", ":", ".", ",", "+", "Z", "0", "9"]
    rng = random.Random(20261203)
    while len(cases) < 6000:
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        cases[text] = None
        base = list(f"2024-03-01T10:15:30{rng.choice(ZONES)}")
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(base))
            base[i] = rng.choice("0123456789-:+.,TZW ")
        cases["".join(base)] = None
    rows = [outcome(text) for text in cases]
    out = Path(__file__).resolve().parent.parent / "test/fixtures/timestamps/python-fromisoformat.json"
    lines = ",\n".join(json.dumps(row, ensure_ascii=True) for row in rows)
    out.write_text(f"[\n{lines}\n]\n")
    accepted = sum(1 for row in rows if row[1] is not None)
    print(f"{len(rows)} cases, {accepted} accepted by Python, written to {out}")


main()
