/**
 * Timestamps as Python lazyscribe 2.2.1 reads and writes them, through one zod codec: a file's
 * text is read by Python's `datetime.fromisoformat` (see `fromIsoFormat.ts`) and written back
 * by `isoformat(timespec="seconds")`. Offsets stay as written (`+02:00`; `Z` becomes
 * `+00:00`), fractions of a second are dropped on write, and a time Python refuses
 * (`10:00:60`) is refused. New timestamps are naive UTC to the second, as lazyscribe's
 * `utcnow()` writes them.
 *
 * @module
 */
import { z } from "zod";
import { ValidationError } from "../errors.js";
import { fromIsoFormat, type IsoFields } from "./fromIsoFormat.js";

/** A point in time as a file holds it: the instant, and the text a save writes for it. */
export interface Timestamp {
  /**
   * The instant, to the millisecond. A naive timestamp is UTC, as lazyscribe writes them.
   */
  readonly date: Date;
  /**
   * What a save writes: Python's `isoformat(timespec="seconds")` of the value read, with its
   * offset if it has one (`2024-03-01T10:15:30`, `2024-03-01T10:15:30+02:00`).
   */
  readonly text: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Python's `utcoffset` part of `isoformat`: `+02:00`, `-05:30:15`, `+01:00:00.500000`. */
function formatOffset(micro: number): string {
  const sign = micro < 0 ? "-" : "+";
  const abs = Math.abs(micro);
  const seconds = Math.floor(abs / 1e6);
  const fraction = abs % 1e6;
  let out = `${sign}${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}`;
  if (seconds % 60 !== 0 || fraction !== 0) out += `:${pad(seconds % 60)}`;
  if (fraction !== 0) out += `.${pad(fraction, 6)}`;
  return out;
}

/**
 * The timestamp of a text in the form lazyscribe writes (`2024-03-01T10:15:30`), read
 * directly: almost every timestamp of a file, so the general reader runs only for the others.
 * `undefined` for any other text, and for days 29-31, which the general reader checks.
 */
function writtenFormTimestamp(text: string): Timestamp | undefined {
  if (text.length !== 19 || !hasWrittenSeparators(text)) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  const inRange =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= 28 &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  // NaN (a character that is not a digit) fails every comparison.
  if (!inRange) return undefined;
  const days = daysFromCivil(year, month, day);
  return { date: new Date((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000), text };
}

/**
 * The days from 1970-01-01 to a date of the proleptic Gregorian calendar, in arithmetic
 * alone (`Date.UTC` is a call into the engine, and almost every record reads two dates).
 * Howard Hinnant's `days_from_civil`, for years from 1 on.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The number written by the digits of `text` from `from` to `to`, or NaN. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function hasWrittenSeparators(text: string): boolean {
  return (
    text.charCodeAt(4) === 0x2d &&
    text.charCodeAt(7) === 0x2d &&
    text.charCodeAt(10) === 0x54 &&
    text.charCodeAt(13) === 0x3a &&
    text.charCodeAt(16) === 0x3a
  );
}

/** Whether `text`, which Python read, is already in the form it writes back (`2024-03-01T10:15:30`). */
function isWrittenForm(text: string, f: IsoFields): boolean {
  return f.offsetMicroseconds === null && text.length === 19 && hasWrittenSeparators(text);
}

function fromFields(f: IsoFields, read: string): Timestamp {
  let wallMs = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  if (f.year < 100) {
    // Date.UTC reads years 0-99 as 1900-1999.
    const wall = new Date(wallMs);
    wall.setUTCFullYear(f.year);
    wallMs = wall.getTime();
  }
  const offset = f.offsetMicroseconds ?? 0;
  // Whole milliseconds and the rest apart, so that no sum leaves the safe integers.
  const micro = f.microsecond - (offset % 1000);
  const ms = wallMs - (offset - (offset % 1000)) / 1000 + Math.floor(micro / 1000);
  const text = isWrittenForm(read, f)
    ? read
    : `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}` +
      (f.offsetMicroseconds === null ? "" : formatOffset(f.offsetMicroseconds));
  return { date: new Date(ms), text };
}

/**
 * `format` made once a second: the times a loop sets (experiments logged, or changed before a
 * save) mostly share a few seconds, so the text of the last second asked for is kept.
 */
function oncePerSecond(format: (date: Date) => string): (date: Date) => string {
  let second = Number.NaN;
  let text = "";
  return (date) => {
    const asked = Math.floor(date.getTime() / 1000);
    if (asked !== second) {
      text = format(date);
      second = asked;
    }
    return text;
  };
}

const formatSecond = oncePerSecond(
  (date) =>
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`,
);

const compactSecond = oncePerSecond(
  (date) =>
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`,
);

/**
 * `2024-03-01T10:15:30`: the UTC date and time to the second, without a zone — how lazyscribe
 * writes a timestamp it makes.
 */
export function formatTimestamp(date: Date): string {
  return formatSecond(date);
}

/** A timestamp made in code: naive UTC to the second. */
export function timestampOf(date: Date): Timestamp {
  return { date, text: formatTimestamp(date) };
}

/**
 * `20240301101530`: the digits of a timestamp's date and time as written (Python's
 * `strftime("%Y%m%d%H%M%S")`), used in slugs and artifact file names.
 */
export function compactTimestamp(value: Date | Timestamp): string {
  if (value instanceof Date) return compactSecond(value);
  return value.text.slice(0, 19).replace(/[-T:]/g, "");
}

/**
 * Reads a timestamp as Python lazyscribe does (`datetime.fromisoformat`).
 *
 * @returns the timestamp, or `undefined` when Python would refuse the text.
 */
export function readTimestamp(text: string): Timestamp | undefined {
  const written = writtenFormTimestamp(text);
  if (written !== undefined) return written;
  const fields = fromIsoFormat(text);
  return fields === null ? undefined : fromFields(fields, text);
}

/** Why a timestamp was refused, as the file's error messages say it. */
export function timestampProblem(text: string): string {
  return `"${text}" is not a valid ISO 8601 timestamp (Python reads timestamps with datetime.fromisoformat, e.g. 2024-03-01T10:15:30)`;
}

/**
 * The timestamp codec, string <-> {@link Timestamp}: `decode` reads a file's text as Python
 * does, `encode` gives the text a save writes. Every timestamp field of the file schemas is
 * this codec.
 */
export const TimestampSchema = z.codec(
  z.string(),
  z.custom<Timestamp>((value) => typeof value === "object" && value !== null && "text" in value),
  {
    decode: (text, ctx) => {
      const timestamp = readTimestamp(text);
      if (timestamp !== undefined) return timestamp;
      ctx.issues.push({ code: "custom", message: timestampProblem(text), input: text });
      return z.NEVER;
    },
    encode: (timestamp) => timestamp.text,
  },
);

/**
 * Reads a timestamp given in code (an option such as a version or an expiry date).
 *
 * @throws ValidationError naming the text when Python would refuse it.
 */
export function parseTimestamp(text: string): Date {
  const timestamp = readTimestamp(text);
  if (timestamp === undefined) throw new ValidationError(timestampProblem(text));
  return timestamp.date;
}

/**
 * A timestamp field kept as text (an artifact's `created_at`), string <-> string: `decode`
 * reads it with {@link readTimestamp} and gives the text Python's load and save write back
 * (`Z` becomes `+00:00`, fractions are dropped); `encode` writes it as it is.
 */
export const TimestampTextSchema = z.codec(z.string(), z.string(), {
  decode: (text, ctx) => {
    const timestamp = readTimestamp(text);
    if (timestamp !== undefined) return timestamp.text;
    ctx.issues.push({ code: "custom", message: timestampProblem(text), input: text });
    return z.NEVER;
  },
  encode: (text) => text,
});
