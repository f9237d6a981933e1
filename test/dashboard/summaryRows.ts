/**
 * The rows of `/api/summary` and of a revision as the page reads them: the compact rows made
 * back into objects by the page's own module (`assets/js/summary.js`).
 */
type Json = Record<string, unknown>;

const MODULE = new URL("../../src/dashboard/assets/js/summary.js", import.meta.url).href;
const { expandRows } = (await import(MODULE)) as {
  expandRows(rows: unknown[], names: unknown): Json[];
};

/** What `/api/summary` and a revision send: compact rows and the names they index. */
export interface CompactRows {
  experiments?: unknown[];
  rows?: unknown[];
  names?: { metrics: string[]; parameters: string[] };
}

/**
 * The row objects of a summary (`experiments`) or of a revision (`rows`), as plain objects
 * (the page's rows make `metrics` and `parameters` when first read).
 */
export function summaryRows(sent: CompactRows): Json[] {
  return expandRows(sent.experiments ?? sent.rows ?? [], sent.names).map((row) => ({
    ...row,
    metrics: row.metrics,
    parameters: row.parameters,
  }));
}
