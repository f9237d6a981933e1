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

const NOT_ASCII = /[^\u0020-\u007e]/;

/** The display width of `text` in terminal columns (wide East Asian characters count 2). */
export function displayWidth(text: string): number {
  if (!NOT_ASCII.test(text)) return text.length;
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
  if (text.length <= max && !NOT_ASCII.test(text)) return text;
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
  const whole = columns.map((c) => c.whole === true);
  const headers = columns.map((c) => truncate(c.header, max));
  const widths = headers.map((h) => displayWidth(h));
  const cells: string[][] = [];
  const cellWidths: number[][] = [];
  for (const row of rows) {
    const texts: string[] = [];
    const sizes: number[] = [];
    for (let i = 0; i < columns.length; i++) {
      const text = whole[i] ? (row[i] ?? "") : truncate(row[i] ?? "", max);
      const width = displayWidth(text);
      texts.push(text);
      sizes.push(width);
      if (width > (widths[i] as number)) widths[i] = width;
    }
    cells.push(texts);
    cellWidths.push(sizes);
  }
  const right = columns.map((c) => c.align === "right");
  const line = (row: readonly string[], rowWidths: readonly number[]): string => {
    let out = "";
    for (let i = 0; i < row.length; i++) {
      const pad = " ".repeat((widths[i] as number) - (rowWidths[i] as number));
      if (i > 0) out += gap;
      out += right[i] ? pad + row[i] : row[i] + pad;
    }
    return out.trimEnd();
  };
  const out = [
    line(headers, headers.map(displayWidth)),
    line(
      widths.map((w) => "-".repeat(w)),
      widths,
    ),
  ];
  for (let r = 0; r < cells.length; r++)
    out.push(line(cells[r] as string[], cellWidths[r] as number[]));
  return `${out.join("\n")}\n`;
}
