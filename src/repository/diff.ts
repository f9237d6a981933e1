/**
 * Unified diffs of two versions of a text artifact, as Python's `difflib.unified_diff` writes
 * them over `str.splitlines()` lines (the hunks come from the `diff` package).
 *
 * @module
 */
import { structuredPatch } from "diff";
import { readArtifactFile } from "../artifacts/io.js";
import { getHandler } from "../artifacts/registry.js";
import { ArtifactLoadError } from "../errors.js";
import type { StorageOptions } from "../storage/index.js";
import { describeVersion, type Entry, versionFile } from "./versions.js";

/**
 * A unified diff of the files of two saved versions of artifact `name` of repository `fpath`,
 * older first.
 *
 * @throws ArtifactLoadError when a version is not saved yet, its handler is binary or not
 *   registered, or its file cannot be read.
 */
export async function diffVersions(
  name: string,
  pair: readonly [Entry, Entry],
  fpath: string,
  storageOptions: StorageOptions,
): Promise<string> {
  const texts: string[] = [];
  for (const entry of pair) {
    if (entry.data !== undefined) {
      throw new ArtifactLoadError(
        `${describeVersion(fpath, entry)} is not saved yet: call repository.save() before comparing versions`,
      );
    }
    if (getHandler(entry.record.handler, name).binary) {
      throw new ArtifactLoadError(
        `${describeVersion(fpath, entry)} is written by the binary handler "${entry.record.handler}": binary files cannot be compared with a diff`,
      );
    }
    const file = versionFile(fpath, entry, ArtifactLoadError);
    const bytes = await readArtifactFile(file, describeVersion(fpath, entry), storageOptions);
    texts.push(new TextDecoder().decode(bytes));
  }
  const [older, newer] = pair as [Entry, Entry];
  return unifiedDiff(
    `${name}/${older.record.fname}`,
    `${name}/${newer.record.fname}`,
    texts[0] as string,
    texts[1] as string,
  );
}

/** The line breaks of Python's `str.splitlines()`, besides `\r\n`. */
const LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

/** Splits text into lines as Python's `str.splitlines()` does. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!LINE_BREAKS.has(c)) continue;
    lines.push(text.slice(start, i));
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** `start,length` as a unified diff's hunk header writes a range. */
function formatRange(start: number, length: number): string {
  return length === 1 ? String(start) : `${start},${length}`;
}

/** A unified diff of two texts, line by line, with three lines of context. */
export function unifiedDiff(fromFile: string, toFile: string, a: string, b: string): string {
  const aLines = splitLines(a);
  const bLines = splitLines(b);
  const join = (lines: string[]) => (lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  const patch = structuredPatch(
    fromFile,
    toFile,
    join(aLines),
    join(bLines),
    undefined,
    undefined,
    {
      context: 3,
    },
  );
  if (patch.hunks.length === 0) return "";
  const out = [`--- ${fromFile}`, `+++ ${toFile}`];
  for (const hunk of patch.hunks) {
    out.push(
      `@@ -${formatRange(hunk.oldStart, hunk.oldLines)} +${formatRange(hunk.newStart, hunk.newLines)} @@`,
    );
    for (const line of hunk.lines) {
      if (!line.startsWith("\\")) out.push(line);
    }
  }
  return `${out.join("\n")}\n`;
}
