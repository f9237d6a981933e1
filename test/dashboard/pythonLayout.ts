/**
 * Project files in Python's layout for the preview tests, made from the Python-written
 * fixture `python-project/project-40.json` (40 records, oldest first): its records' texts,
 * and files of any number of distinct records made from them.
 */
import { readFileSync } from "node:fs";
import { joinProjectRecords, splitProjectRecords } from "../../src/format/pyjson/index.js";

/** The fixture's text. */
export const PYTHON_TEXT = readFileSync(
  new URL("../fixtures/python-project/project-40.json", import.meta.url),
  "utf8",
);

/** The fixture's records' texts, in the file's order. */
export const RECORDS = splitProjectRecords(PYTHON_TEXT) as string[];

/** A file of `records` in Python's layout. */
export const pythonFile = joinProjectRecords;

const two = (n: number) => String(n).padStart(2, "0");

/**
 * The text of `n` distinct records, `Experiment i` created `i` seconds after
 * 2024-01-01T00:00:00 (slug `experiment-i-<timestamp>`), each the fixture's record `i % 40`
 * otherwise: oldest first, as Python writes them.
 */
export function numberedFile(n: number): string {
  const records = Array.from({ length: n }, (_, i) => {
    const [h, m, s] = [Math.floor(i / 3600), Math.floor(i / 60) % 60, i % 60].map(two);
    return (RECORDS[i % 40] as string)
      .replace(/experiment-\d+-\d{14}/g, `experiment-${i}-20240101${h}${m}${s}`)
      .replace(/"experiment-\d+"/g, `"experiment-${i}"`)
      .replace(/"Experiment \d+"/g, `"Experiment ${i}"`)
      .replace(/2024-01-01T\d\d:\d\d:\d\d/g, `2024-01-01T${h}:${m}:${s}`);
  });
  return pythonFile(records);
}
