"""Writes test/fixtures/slug/python-slugify-bmp.json: python-slugify 8.0.4's slugs, to test
src/slug/ against over the whole BMP.

- `blocks`: for each block of 128 code points (U+0000, U+0080, ...), the first 16 hex digits
  of the SHA-256 of the slugs of "a<c>b" for each code point c of the block, joined by "\n"
  (surrogates included: Python strings can hold them);
- `codePoints`: the slug of "a<c>b" for each code point of the ranges named in `RANGES`
  (so that a failure there reads as a diff);
- `samples`: names and their slugs (beyond the BMP, entities, numbers, quotes).

Run with Python that imports python-slugify 8.0.4 and text-unidecode 1.3 (here: /work/pyref/py):

    /work/pyref/py scripts/generate-slug-fixture.py
"""

import hashlib
import json
import pathlib
import sys
import unicodedata

from slugify import slugify

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "test" / "fixtures" / "slug" / "python-slugify-bmp.json"
RANGES = {
    "C1 controls": (0x80, 0x9F),
    "Phonetic Extensions": (0x1D00, 0x1D7F),
    "Phonetic Extensions Supplement": (0x1D80, 0x1DBF),
}
SAMPLES = [
    "My Exp",
    "my exp",
    "\U0001f44d\U0001f3fd",
    "a\x85b",
    "\u1d00\u1d04\u1d1b",
    "Caf\u00e9 r\u00e9sum\u00e9 \u2014 na\u00efve",
    "\u65e5\u672c\u8a9e\u306e\u5b9f\u9a13",
    "\ud55c\uad6d\uc5b4 \ubaa8\ub378",
    "\u0417\u0434\u0440\u0430\u0432\u0441\u0442\u0432\u0443\u0439",
    "I \u2665 &amp; &#x41; &#65; &#1114112;",
    "10,000 runs, 'quoted' \"double\"",
    "\U0001d400\U0001d401 math bold",
    "\ufb01ne \u2163 \u00bd",
]


def slug_of(code_point: int) -> str:
    return slugify("a" + chr(code_point) + "b")


blocks = []
for start in range(0, 0x10000, 0x80):
    text = "\n".join(slug_of(c) for c in range(start, start + 0x80))
    blocks.append(hashlib.sha256(text.encode("utf8", "surrogatepass")).hexdigest()[:16])

fixture = {
    "generator": "scripts/generate-slug-fixture.py",
    "python": sys.version.split()[0],
    "unicode": unicodedata.unidata_version,
    "slugify": "8.0.4",
    "textUnidecode": "1.3",
    "blocks": blocks,
    "codePoints": {
        name: {"first": first, "slugs": [slug_of(c) for c in range(first, last + 1)]}
        for name, (first, last) in RANGES.items()
    },
    "samples": [[text, slugify(text)] for text in SAMPLES],
}
OUT.write_text(json.dumps(fixture, indent=1) + "\n", encoding="utf8")
print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size} bytes)")
