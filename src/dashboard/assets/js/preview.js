// The preview of a large project: while the server still reads the file, it answers
// `/api/summary?preview=N&end=newest|oldest` at once with the compact rows of the file's
// newest (or oldest) N records. Sorted by creation and not filtered, the table's first
// screenful is among them, so the page shows them until the full summary arrives.

let wish = () => null;

/**
 * Sets what the page's first fetch asks for: `wanted()` gives `{ end: "newest" | "oldest",
 * count }`, or `null` when a preview would not be the table's first screenful (another sort,
 * a filter, another view).
 */
export function wantPreview(wanted) {
  wish = wanted;
}

/** The preview summary (as `/api/summary`, with `preview`), or `null` when there is none. */
export async function fetchPreview() {
  const wanted = wish();
  if (!wanted) return null;
  try {
    const response = await fetch(`/api/summary?preview=${wanted.count}&end=${wanted.end}`, {
      cache: "no-store",
    });
    return response.ok ? await response.json() : null; // none: another layout
  } catch {
    return null;
  }
}
