// Values as the dashboard shows them: numbers shortly, lists by their last value, names in
// natural order.

/** Colours of the experiments and metrics, in order. */
export const PALETTE = [
  "#3b5bdb",
  "#12b886",
  "#f76707",
  "#ae3ec9",
  "#e03131",
  "#1098ad",
  "#f59f00",
  "#5c7cfa",
  "#37b24d",
  "#d6336c",
  "#495057",
  "#74c0fc",
];

export const isNumber = (v) => typeof v === "number" && Number.isFinite(v);

/** A list metric: numbers (or the strings "NaN"...) in a list. */
export const isSeries = (v) =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((x) => typeof x === "number" || typeof x === "string");

export function fmtNumber(v) {
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e7)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}

/** Any logged value as short text. */
export function fmt(v) {
  if (v === undefined) return "";
  if (typeof v === "number") return fmtNumber(v);
  if (typeof v === "string") return v;
  if (v === null || typeof v === "boolean") return String(v);
  if (isSeries(v)) return `${fmt(v[v.length - 1])}  (${v.length} values)`;
  return JSON.stringify(v);
}

/** A byte count as text: 812 B, 3.4 KB, 12 MB. */
export function fmtBytes(n) {
  if (n === null || n === undefined) return "—";
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toPrecision(3))} ${units[unit]}`;
}

/** A value as a chart takes it: finite numbers (a list's last one), else null. */
export const plotValue = (v) =>
  isNumber(v) ? v : Array.isArray(v) && v.length > 0 ? plotValue(v[v.length - 1]) : null;

export function shortLabel(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const collator = new Intl.Collator(undefined, { numeric: true });
/** Names in natural order: metric_2 before metric_10. */
export const byName = (a, b) => collator.compare(a, b);

/** Whether two logged values are the same (deep, for lists and objects). */
export function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The lowest and highest of many numbers (no spread: 50,000 arguments overflow the stack). */
export function extent(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
