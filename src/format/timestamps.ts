/**
 * Timestamps as lazyscribe writes them: naive UTC, ISO 8601 to the second.
 *
 * @module
 */
import { ValidationError, type ValidationLocation } from "../errors.js";

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `2024-03-01T10:15:30`: the UTC date and time to the second, without a zone. */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

/** `20240301101530`: the compact UTC stamp used in slugs and artifact file names. */
export function compactTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/**
 * Reads an ISO 8601 timestamp as Python's `datetime.fromisoformat` does; a naive one is UTC.
 *
 * @throws ValidationError naming the text when it is not an ISO 8601 date and time.
 */
export function parseTimestamp(text: string): Date {
  const m = ISO.exec(text);
  if (m === null) throw new ValidationError(`"${text}" is not an ISO 8601 timestamp`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Math.floor(Number(frac.padEnd(6, "0")) / 1000);
  let time = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    ms,
  );
  if (zone !== undefined && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    time -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const date = new Date(time);
  if (Number.isNaN(time) || (zone === undefined && date.getUTCDate() !== Number(d))) {
    throw new ValidationError(`"${text}" is not a valid date`);
  }
  return date;
}

/**
 * {@link parseTimestamp} for a field of a file's record: a bad timestamp is a
 * `ValidationError` that names the file, the record and the field.
 */
export function parseTimestampAt(text: string, where: ValidationLocation): Date {
  try {
    return parseTimestamp(text);
  } catch (error) {
    throw new ValidationError((error as Error).message, where);
  }
}
