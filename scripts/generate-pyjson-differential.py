"""Writes the differential corpus of the Python-JSON reader: texts and what Python reads.

    python3 scripts/generate-pyjson-differential.py test/fixtures/pyjson/differential.json

Random Python values (big integers, whole floats, NaN and infinities, unicode, escapes,
duplicate keys written by hand) are written with ``json.dumps`` in several layouts, then
many are corrupted at random (a character deleted, inserted, replaced, a cut, a repeated
piece). For each text the corpus records what Python's ``json.loads`` makes of it: the
value written back with ``json.dumps(value, sort_keys=True, indent=4)``, or the error's
message, line and column. Deterministic (fixed seed); only the standard library is used.
"""

import json
import random
import sys

rng = random.Random(20261203)

KEY_CHARS = ["a", "b", "k", "_", "0", "1", "é", "日", "\U0001f600", '"', "\\", "\n", "/", " "]
STRING_CHARS = KEY_CHARS + ["\x00", "\x1f", "\x7f", "\ud800", "{", "}", "[", "]", ",", ":", "1.0", "NaN"]
SPECIAL_FLOATS = [0.0, -0.0, 1.0, 2.0, 100.0, 1e16, 1e22, 1e-05, 0.5, 1.5e300, float("nan"),
                  float("inf"), float("-inf"), 123456789012345.6]
SPECIAL_INTS = [0, 1, -1, 2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63, 10**20, -(10**30)]


def text(chars, longest):
    return "".join(rng.choice(chars) for _ in range(rng.randint(0, longest)))


def value(depth):
    roll = rng.random()
    if depth > 4 or roll < 0.45:
        kind = rng.randrange(7)
        if kind == 0:
            return rng.choice(SPECIAL_FLOATS)
        if kind == 1:
            return rng.choice(SPECIAL_INTS)
        if kind == 2:
            return rng.uniform(-1e6, 1e6)
        if kind == 3:
            return rng.randint(-1000, 1000)
        if kind == 4:
            return text(STRING_CHARS, 6)
        if kind == 5:
            return rng.choice([True, False, None])
        return float(rng.randint(-5, 5))
    if roll < 0.7:
        return [value(depth + 1) for _ in range(rng.randint(0, 4))]
    return {text(KEY_CHARS, 4): value(depth + 1) for _ in range(rng.randint(0, 4))}


def layouts(v):
    yield json.dumps(v, sort_keys=True, indent=4)
    yield json.dumps(v)
    yield json.dumps(v, ensure_ascii=False, separators=(",", ":"))
    yield json.dumps(v, indent="\t")


HAND_WRITTEN = [
    '{"a": 1.0, "a": 1}',
    '{"a": 1, "a": 1.0}',
    '{"a": {"b": 1.0}, "a": {"c": 2}}',
    '{"a": NaN, "a": 1}',
    '{"x": [1.0, {"y": 2.0, "y": 3}]}',
    "[1.00, 1E5, 100e-2, 1.5e3, -0, -0.0, 0e0, 1e400, -1e400, 2.5E+1]",
    "[9007199254740993, 12345678901234567890, 9007199254740992, -9007199254740993]",
    "1.0",
    "12345678901234567890",
    "NaN",
    "-Infinity",
    '"just a string"',
    ' \n [ ] \n ',
    '{"__proto__": 1.0, "constructor": NaN}',
    '{"k\\"q": 1.0, "k\\u0022q": 2}',
    '["a:", 1.0, "b\\": 2.0", 3.0]',
    '{"t": "10:00:00", "v": 1.0}',
    "[01234567890123456789]",
    "[-01234567890123456789, 1.0]",
    "[NaN.5]",
    "[Infinity1]",
    '{"a": 12345678901234567890x}',
    '{"a": -0x}',
    '["a\n", NaN]',
]

CORRUPT_CHARS = list('"{}[],:\\ 0123456789.eE+-nNaIx\n\t') + ["é", "\x00"]


def corrupt(t):
    if not t:
        return rng.choice(CORRUPT_CHARS)
    i = rng.randrange(len(t) + 1)
    kind = rng.randrange(5)
    if kind == 0 and i < len(t):
        return t[:i] + t[i + 1:]
    if kind == 1:
        return t[:i] + rng.choice(CORRUPT_CHARS) + t[i:]
    if kind == 2 and i < len(t):
        return t[:i] + rng.choice(CORRUPT_CHARS) + t[i + 1:]
    if kind == 3:
        return t[:i]
    j = rng.randrange(i, len(t) + 1)
    return t[:j] + t[i:j] + t[j:]


def outcome(t):
    try:
        v = json.loads(t)
    except json.JSONDecodeError as e:
        return {"text": t, "python": None, "error": {"msg": e.msg, "line": e.lineno, "column": e.colno}}
    except RecursionError:
        return None
    return {"text": t, "python": json.dumps(v, sort_keys=True, indent=4), "error": None}


def main():
    texts = list(HAND_WRITTEN)
    for _ in range(120):
        v = value(0)
        for t in layouts(v):
            texts.append(t)
            for _ in range(2):
                texts.append(corrupt(t))
    for t in HAND_WRITTEN:
        for _ in range(5):
            texts.append(corrupt(t))
    cases = [c for c in map(outcome, texts) if c is not None]
    with open(sys.argv[1], "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")
    accepted = sum(1 for c in cases if c["error"] is None)
    print(f"{len(cases)} cases, {accepted} read by Python, {len(cases) - accepted} refused")


if __name__ == "__main__":
    main()
