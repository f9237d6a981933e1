// The experiments table's rows as the server sends them (`/api/summary`, and the rows of a
// revision), made back into objects: each row is an array of fields by position, its metrics
// and parameters flat lists of (name's index, value) pairs, the names sent beside the rows.
// A row's metrics and parameters become objects only when first read: the table's first
// screen reads those of the rows in view, not of 50,000.

/** A list of (index, value) pairs as an object keyed by the names the indexes stand for. */
function pairs(list, names) {
  const values = {};
  for (let i = 0; i < list.length; i += 2) values[names[list[i]]] = list[i + 1];
  return values;
}

/** The names of a list of (index, value) pairs. */
function pairNames(list, names) {
  const out = new Array(list.length / 2);
  for (let i = 0; i < list.length; i += 2) out[i / 2] = names[list[i]];
  return out;
}

/** Replaces a lazy property by its value (kept, and writable, as a plain property is). */
function settle(row, key, value) {
  Object.defineProperty(row, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/**
 * One row: `{ slug, short_slug, name, author, last_updated_by, created_at, last_updated,
 * tags, tests, artifacts, metrics, other_metrics, parameters }`, where `metrics` and
 * `parameters` are made on first read.
 */
class SummaryRow {
  #metrics;
  #parameters;
  #names;

  constructor(r, names) {
    this.slug = r[0];
    this.short_slug = r[1];
    this.name = r[2];
    this.author = r[3];
    this.last_updated_by = r[4];
    this.created_at = r[5];
    this.last_updated = r[6];
    this.tags = r[7];
    this.tests = r[8];
    this.artifacts = r[9];
    this.other_metrics = r[11].map((index) => names.metrics[index]);
    this.#metrics = r[10];
    this.#parameters = r[12];
    this.#names = names;
  }

  get metrics() {
    return settle(this, "metrics", pairs(this.#metrics, this.#names.metrics));
  }

  set metrics(value) {
    settle(this, "metrics", value);
  }

  get parameters() {
    return settle(this, "parameters", pairs(this.#parameters, this.#names.parameters));
  }

  set parameters(value) {
    settle(this, "parameters", value);
  }

  /** The names of its scalar metrics, without making `metrics` (as `Object.keys` gives them). */
  metricKeys() {
    if (Object.hasOwn(this, "metrics")) return Object.keys(this.metrics);
    return pairNames(this.#metrics, this.#names.metrics);
  }

  /** The names of its scalar parameters, without making `parameters`. */
  parameterKeys() {
    if (Object.hasOwn(this, "parameters")) return Object.keys(this.parameters);
    return pairNames(this.#parameters, this.#names.parameters);
  }
}

/**
 * The row objects of compact rows (see `SummaryRow`), `names` being `{ metrics, parameters }`
 * (any copy at least as recent as the rows).
 */
export function expandRows(rows, names) {
  const out = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = new SummaryRow(rows[i], names);
  return out;
}

/** The names of a record's (or a summary row's) scalar metrics, in its order. */
export function metricKeys(record) {
  return record instanceof SummaryRow ? record.metricKeys() : Object.keys(record.metrics || {});
}

/** The names of a record's (or a summary row's) parameters, in its order. */
export function parameterKeys(record) {
  return record instanceof SummaryRow
    ? record.parameterKeys()
    : Object.keys(record.parameters || {});
}
