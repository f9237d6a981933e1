// The experiments table's rows as the server sends them (`/api/summary`, and the rows of a
// revision), made back into objects: each row is an array of fields by position, its metrics
// and parameters flat lists of (name's index, value) pairs, the names sent beside the rows.

/** A list of (index, value) pairs as an object keyed by the names the indexes stand for. */
function pairs(list, names) {
  const values = {};
  for (let i = 0; i < list.length; i += 2) values[names[list[i]]] = list[i + 1];
  return values;
}

/**
 * The row objects of compact rows: `{ slug, short_slug, name, author, last_updated_by,
 * created_at, last_updated, tags, tests, artifacts, metrics, other_metrics, parameters }`,
 * `names` being `{ metrics, parameters }` (any copy at least as recent as the rows).
 */
export function expandRows(rows, names) {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    out[i] = {
      slug: r[0],
      short_slug: r[1],
      name: r[2],
      author: r[3],
      last_updated_by: r[4],
      created_at: r[5],
      last_updated: r[6],
      tags: r[7],
      tests: r[8],
      artifacts: r[9],
      metrics: pairs(r[10], names.metrics),
      other_metrics: r[11].map((index) => names.metrics[index]),
      parameters: pairs(r[12], names.parameters),
    };
  }
  return out;
}
