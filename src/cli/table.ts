/**
 * A small aligned text table for the terminal: a header, a rule, and columns padded to their
 * widest cell (cells past a maximum width are cut with `…`).
 *
 * @module
 */

/** One column of a {@link renderTable} table. */
export interface Column {
  /** The header text. */
  readonly header: string;
  /** Right-align the column (numbers); left by default. */
  readonly align?: "left" | "right";
  /** Show every cell whole, however wide (a slug a user copies); cut by default. */
  readonly whole?: boolean;
}

/** Options of {@link renderTable}. */
export interface TableOptions {
  /** Cells wider than this many characters are cut (default 40). */
  readonly maxCellWidth?: number;
  /** Text between columns (default two spaces). */
  readonly gap?: string;
}

/**
 * Whether `text` is printable ASCII only (U+0020-U+007E: one column a character). A loop
 * rather than a regular expression: cells are short, and a table has hundreds of thousands.
 */
function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** The display width of `text` in terminal columns (wide East Asian characters count 2). */
export function displayWidth(text: string): number {
  if (isPrintableAscii(text)) return text.length;
  let width = 0;
  for (const char of text) width += isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
  return width;
}

function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/** `text` cut to at most `max` columns, ending with `…` when it was cut. */
export function truncate(text: string, max: number): string {
  if (isPrintableAscii(text)) return text.length <= max ? text : cutAscii(text, max);
  if (displayWidth(text) <= max) return text;
  let out = "";
  let width = 0;
  for (const char of text) {
    const w = isWide(char.codePointAt(0) ?? 0) ? 2 : 1;
    if (width + w > max - 1) break;
    out += char;
    width += w;
  }
  return `${out}…`;
}

/** Printable ASCII `text` cut to `max` columns, ending with `…`. */
function cutAscii(text: string, max: number): string {
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Renders rows of cells (already text) under `columns`, one line a row, each line ending
 * with a new line and no trailing spaces.
 *
 * @example
 * ```ts
 * renderTable([{ header: "name" }, { header: "auroc", align: "right" }], [["a", "0.5"]]);
 * // "name  auroc\n----  -----\na       0.5\n"
 * ```
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string {
  const max = options.maxCellWidth ?? 40;
  const gap = options.gap ?? "  ";
  const count = columns.length;
  const whole = columns.map((c) => c.whole === true);
  const right = columns.map((c) => c.align === "right");
  const headers = columns.map((c) => truncate(c.header, max));
  const headerWidths = headers.map((h) => displayWidth(h));
  const widths = [...headerWidths];
  // Every cell once, row after row, with its width beside it.
  const cells: string[] = new Array(rows.length * count);
  const cellWidths = new Int32Array(rows.length * count);
  let k = 0;
  for (const row of rows) {
    for (let i = 0; i < count; i++, k++) {
      let text = row[i] ?? "";
      let width: number;
      if (isPrintableAscii(text)) {
        if (text.length > max && !whole[i]) text = cutAscii(text, max);
        width = text.length;
      } else {
        if (!whole[i]) text = truncate(text, max);
        width = displayWidth(text);
      }
      cells[k] = text;
      cellWidths[k] = width;
      if (width > (widths[i] as number)) widths[i] = width;
    }
  }
  const line = (texts: ArrayLike<string>, sizes: ArrayLike<number>, from: number): string => {
    let out = "";
    for (let i = 0; i < count; i++) {
      const text = texts[from + i] as string;
      const padded = text.length + (widths[i] as number) - (sizes[from + i] as number);
      if (i > 0) out += gap;
      out += right[i] ? text.padStart(padded) : text.padEnd(padded);
    }
    return out.trimEnd();
  };
  const out: string[] = new Array(rows.length + 2);
  out[0] = line(headers, headerWidths, 0);
  out[1] = line(
    widths.map((w) => "-".repeat(w)),
    widths,
    0,
  );
  for (let r = 0; r < rows.length; r++) out[r + 2] = line(cells, cellWidths, r * count);
  return `${out.join("\n")}\n`;
}
