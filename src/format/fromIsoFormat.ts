/**
 * Python 3.11's `datetime.fromisoformat`, which Python lazyscribe 2.2.1 applies to every
 * timestamp it reads (`created_at`, `last_updated`, an artifact's or a release's
 * `created_at`): the same texts are accepted, with the same fields, and the same are refused.
 *
 * Python 3.11 reads much more than `datetime.isoformat` writes: a date alone (`2024-03-01`),
 * basic forms (`20240301T101530`), ISO week dates (`2024-W09-5`), any one character between
 * date and time, `,` before the fraction, offsets such as `Z`, `+02`, `+0200`, `+02:00:30.5`.
 * It works on the text's UTF-8 bytes, so this port does too: where Python looks at a byte
 * position, so does this code. Field ranges are checked as `datetime(...)` checks them
 * (`10:00:60`, `24:00`, `2023-02-29` and offsets of a day or more are refused).
 *
 * @module
 */

/** The fields of a `datetime` that `fromisoformat` read. */
export interface IsoFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly microsecond: number;
  /**
   * The UTC offset in microseconds (`0` for `Z` and `+00:00`), or `null` for a naive
   * timestamp.
   */
  readonly offsetMicroseconds: number | null;
}

const DASH = 0x2d;
const COLON = 0x3a;
const WEEK = 0x57; // "W"
const ZULU = 0x5a; // "Z"
const PLUS = 0x2b;
const DOT = 0x2e;
const COMMA = 0x2c;

/** The text's UTF-8 bytes; reading past the end gives 0, as C's terminating NUL. */
class Bytes {
  readonly length: number;
  /** An ASCII text is its own bytes: the common case reads the string directly. */
  constructor(
    private readonly ascii: string | undefined,
    private readonly bytes: Uint8Array | undefined,
  ) {
    this.length = ascii?.length ?? (bytes as Uint8Array).length;
  }
  at(i: number): number {
    if (i >= this.length) return 0;
    return this.ascii === undefined
      ? ((this.bytes as Uint8Array)[i] as number)
      : this.ascii.charCodeAt(i);
  }
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

/** Reads `count` digits at `pos`: the value and the position after them, or `null`. */
function digits(s: Bytes, pos: number, count: number): [number, number] | null {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const byte = s.at(pos + i);
    if (!isDigit(byte)) return null;
    value = value * 10 + (byte - 0x30);
  }
  return [value, pos + count];
}

/** With the `u` flag a surrogate pair is one code point, so this finds lone halves only. */
const LONE_SURROGATE = /\p{Cs}/u;

function isLoneSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index);
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = text.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    const previous = text.charCodeAt(index - 1);
    return !(previous >= 0xd800 && previous <= 0xdbff);
  }
  return false;
}

/** Python lets a lone surrogate be the separator (at 7, 8 or 10) by reading it as `T`. */
function utf8(text: string): Bytes | null {
  if (isAscii(text)) return new Bytes(text, undefined);
  let clean = text;
  for (const pos of [7, 8, 10]) {
    if (pos > text.length) break;
    if (isLoneSurrogate(text, pos)) {
      clean = `${text.slice(0, pos)}T${text.slice(pos + 1)}`;
      break;
    }
  }
  if (LONE_SURROGATE.test(clean)) return null;
  return new Bytes(undefined, new TextEncoder().encode(clean));
}

/** Where the date ends: Python's `_find_isoformat_datetime_separator`. */
function separatorAt(s: Bytes): number {
  const len = s.length;
  if (len === 7) return 7;
  if (s.at(4) === DASH) {
    if (s.at(5) !== WEEK) return 10;
    if (len < 8) return -1;
    if (len > 8 && s.at(8) === DASH) {
      if (len === 9) return -1;
      return len > 10 && isDigit(s.at(10)) ? 8 : 10;
    }
    return 8;
  }
  if (s.at(4) !== WEEK) return 8;
  let idx = 7;
  while (idx < len && isDigit(s.at(idx))) idx++;
  if (idx < 9) return idx;
  return idx % 2 === 0 ? 7 : 8;
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}

/** The date of an ISO week date (`date.fromisocalendar`), or `null` when out of range. */
function fromIsoCalendar(year: number, week: number, day: number): [number, number, number] | null {
  if (year < 1 || year > 9999) return null;
  const jan4 = new Date(Date.UTC(2000, 0, 4));
  jan4.setUTCFullYear(year);
  const jan4Weekday = (jan4.getUTCDay() + 6) % 7; // Monday 0
  if (week < 1 || week > 53) return null;
  if (week === 53) {
    const jan1Weekday = (jan4Weekday + 4) % 7; // weekday of 1 January, Monday 0
    if (!(jan1Weekday === 3 || (jan1Weekday === 2 && isLeap(year)))) return null;
  }
  if (day < 1 || day > 7) return null;
  const date = new Date(jan4.getTime() + ((week - 1) * 7 + (day - 1) - jan4Weekday) * 86_400_000);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

/** Python's `parse_isoformat_date` on the bytes before the separator. */
function parseDate(s: Bytes, len: number): [number, number, number] | null {
  const year = digits(s, 0, 4);
  if (year === null) return null;
  let p = year[1];
  const dashes = s.at(p) === DASH;
  if (dashes) p++;
  if (s.at(p) === WEEK) {
    const week = digits(s, p + 1, 2);
    if (week === null) return null;
    p = week[1];
    let day = 1;
    if (p < len) {
      if (dashes && s.at(p++) !== DASH) return null;
      const d = digits(s, p, 1);
      if (d === null) return null;
      day = d[0];
    }
    return fromIsoCalendar(year[0], week[0], day);
  }
  const month = digits(s, p, 2);
  if (month === null) return null;
  p = month[1];
  if (dashes && s.at(p++) !== DASH) return null;
  const day = digits(s, p, 2);
  if (day === null) return null;
  return [year[0], month[0], day[0]];
}

/**
 * Python's `parse_hh_mm_ss_ff` on `[start, end)`: `HH[:MM[:SS]]` or `HHMMSS`, then a
 * fraction. The flag tells whether anything but the end of the text follows.
 */
function parseClock(
  s: Bytes,
  start: number,
  end: number,
): { fields: [number, number, number, number]; trailing: boolean } | null {
  const fields: [number, number, number, number] = [0, 0, 0, 0];
  let p = start;
  let colons = true;
  for (let i = 0; i < 3; i++) {
    const read = digits(s, p, 2);
    if (read === null) return null;
    fields[i] = read[0];
    p = read[1];
    const c = s.at(p++);
    if (i === 0) colons = c === COLON;
    if (p >= end) return { fields, trailing: c !== 0 };
    if (colons && c === COLON) continue;
    if (c === DOT || c === COMMA) break;
    if (colons) return null;
    p--;
  }
  const toParse = Math.min(end - p, 6);
  const fraction = digits(s, p, toParse);
  if (fraction === null || toParse === 0) return null;
  fields[3] = fraction[0] * 10 ** (6 - toParse);
  p = fraction[1];
  while (isDigit(s.at(p))) p++;
  return { fields, trailing: s.at(p) !== 0 };
}

/** Python's `parse_isoformat_time`: the clock, then an optional `Z` or signed offset. */
function parseTime(
  s: Bytes,
  start: number,
): { clock: [number, number, number, number]; offset: number | null } | null {
  const end = s.length;
  let zone = start;
  do {
    const c = s.at(zone);
    if (c === ZULU || c === PLUS || c === DASH) break;
  } while (++zone < end);
  const clock = parseClock(s, start, zone);
  if (clock === null) return null;
  if (zone >= end) return clock.trailing ? null : { clock: clock.fields, offset: null };
  if (s.at(zone) === ZULU) return s.at(zone + 1) === 0 ? { clock: clock.fields, offset: 0 } : null;
  const sign = s.at(zone) === DASH ? -1 : 1;
  const tz = parseClock(s, zone + 1, end);
  if (tz === null || tz.trailing) return null;
  const [h, m, sec, us] = tz.fields;
  const seconds = h * 3600 + m * 60 + sec;
  // Python makes a zero-second offset UTC, whatever its microseconds.
  return { clock: clock.fields, offset: seconds === 0 ? 0 : sign * (seconds * 1e6 + us) };
}

/**
 * Reads `text` as Python 3.11's `datetime.fromisoformat` does.
 *
 * @returns the fields, or `null` when Python raises `ValueError`.
 */
export function fromIsoFormat(text: string): IsoFields | null {
  if (text.length < 7 || (text.length < 14 && [...text].length < 7)) return null;
  const s = utf8(text);
  if (s === null) return null;
  const separator = separatorAt(s);
  if (separator < 0) return null;
  const date = parseDate(s, separator);
  if (date === null) return null;
  let time: ReturnType<typeof parseTime> = { clock: [0, 0, 0, 0], offset: null };
  if (s.length > separator) {
    const lead = s.at(separator);
    const width = lead < 0x80 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2;
    time = parseTime(s, separator + width);
    if (time === null) return null;
  }
  const [year, month, day] = date;
  const [hour, minute, second, microsecond] = time.clock;
  if (year < 1 || year > 9999 || month < 1 || month > 12) return null;
  if (day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (time.offset !== null && Math.abs(time.offset) >= 86_400e6) return null;
  return { year, month, day, hour, minute, second, microsecond, offsetMicroseconds: time.offset };
}
