/**
 * Helpers over experiment records shared by the commands: metric names, sort keys, tag
 * filters.
 *
 * @module
 */
import type { MetricValue } from "../format/schemas.js";
import { formatTimestamp, type Timestamp } from "../format/timestamps.js";
import type { Project } from "../project/project.js";
import { CliError, EXIT_USAGE } from "./fail.js";

/** What the list and sort helpers need of an experiment (a record has all of it). */
export interface ExperimentSummary {
  readonly name: string;
  readonly slug: string;
  readonly short_slug: string;
  readonly author: string;
  readonly created_at: string;
  readonly last_updated: string;
  readonly tags: readonly string[];
  readonly metrics: Readonly<Record<string, MetricValue>>;
}

/**
 * A timestamp as naive UTC to the second (`formatTimestamp` of its instant): its text when that
 * is already so (19 characters: no offset, no fraction), as almost every record's is.
 */
function naiveUtc(timestamp: Timestamp): string {
  return timestamp.text.length === 19 ? timestamp.text : formatTimestamp(timestamp.date);
}

/**
 * The summaries of a project's experiments, without building an experiment that is not built
 * yet: from its record as read (read only here), else through the experiment's getters.
 */
export function summaries(project: Project): ExperimentSummary[] {
  return project.slots.map((slot) => {
    const record = slot.record;
    if (record !== undefined) {
      return {
        name: record.name,
        slug: slot.slug,
        short_slug: slot.shortSlug,
        author: record.author,
        created_at: naiveUtc(record.created_at),
        last_updated: naiveUtc(record.last_updated),
        tags: record.tags,
        metrics: record.metrics,
      };
    }
    const e = slot.experiment;
    return {
      name: e.name,
      slug: e.slug,
      short_slug: e.shortSlug,
      author: e.author,
      created_at: formatTimestamp(e.createdAt),
      last_updated: formatTimestamp(e.lastUpdated),
      tags: e.tags,
      metrics: { ...e.metrics }, // one pass through the read-only view, then plain reads
    };
  });
}

/** Every metric name the records use, sorted. */
export function metricNames(records: readonly ExperimentSummary[]): string[] {
  const names = new Set<string>();
  for (const record of records) for (const name of Object.keys(record.metrics)) names.add(name);
  return [...names].sort();
}

/** The records carrying every one of `tags`. */
export function withTags<T extends ExperimentSummary>(records: T[], tags: readonly string[]): T[] {
  if (tags.length === 0) return records;
  return records.filter((r) => tags.every((t) => r.tags.includes(t)));
}

const FIELDS: Record<string, (r: ExperimentSummary) => string> = {
  name: (r) => r.name,
  slug: (r) => r.slug,
  author: (r) => r.author,
  created: (r) => r.created_at,
  created_at: (r) => r.created_at,
  last_updated: (r) => r.last_updated,
};

/** What a list metric sorts by: its last value (the final epoch of a loss curve). */
function sortValue(value: unknown): unknown {
  let v = value;
  while (Array.isArray(v)) v = v.length > 0 ? v[v.length - 1] : undefined;
  return v;
}

/** Parameters or metrics by name, as a record holds them. */
type Values = Readonly<Record<string, unknown>>;

/** Where `--sort` looks: `metrics.x` / `params.x` (or `parameters.x`) say which. */
const SORT_SOURCES = [
  ["metrics.", "metrics"],
  ["params.", "parameters"],
  ["parameters.", "parameters"],
] as const;

/**
 * How to read the sort key of a record: a field (name, slug, author, created), else a metric,
 * else a parameter of that name (a prefix picks one); a list sorts by its last value.
 *
 * @throws CliError (usage) when no experiment has such a metric or parameter.
 */
function sortKey(
  records: readonly (ExperimentSummary & { readonly parameters?: Values })[],
  key: string,
): (r: ExperimentSummary & { readonly parameters?: Values }) => unknown {
  const field = FIELDS[key];
  if (field !== undefined) return field;
  const prefixed = SORT_SOURCES.find(([prefix]) => key.startsWith(prefix));
  const name = prefixed === undefined ? key : key.slice(prefixed[0].length);
  const sources = prefixed === undefined ? (["metrics", "parameters"] as const) : [prefixed[1]];
  for (const source of sources) {
    const of = (r: ExperimentSummary & { readonly parameters?: Values }): Values | undefined =>
      source === "metrics" ? r.metrics : r.parameters;
    if (
      records.some((r) => {
        const values = of(r);
        return values !== undefined && Object.hasOwn(values, name);
      })
    ) {
      return (r) => {
        const values = of(r);
        return values !== undefined && Object.hasOwn(values, name)
          ? sortValue(values[name] as MetricValue)
          : undefined;
      };
    }
  }
  const parameters = [...new Set(records.flatMap((r) => Object.keys(r.parameters ?? {})))].sort();
  throw new CliError(
    `cannot sort by "${key}": no experiment has that metric or parameter (metrics: ${metricNames(records).join(", ") || "none"}; parameters: ${parameters.join(", ") || "none"}; or name, slug, author, created)`,
    EXIT_USAGE,
  );
}

/** Numbers (`bigint`s among them) first, by value; then strings; then anything else. */
function compareValues(a: unknown, b: unknown): number {
  const rank = (v: unknown) =>
    (typeof v === "number" && !Number.isNaN(v)) || typeof v === "bigint"
      ? 0
      : typeof v === "string"
        ? 1
        : 2;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 2) return 0;
  // `<` compares a number and a bigint exactly, where `-` would throw.
  const x = a as unknown as number | bigint | string;
  const y = b as unknown as number | bigint | string;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The records sorted by a metric (or by `name`, `slug`, `author`, `created`), ascending or
 * descending; experiments without the metric come last either way.
 *
 * @throws CliError (a usage error) when no record has such a metric or field.
 */
export function sortRecords<T extends ExperimentSummary & { readonly parameters?: Values }>(
  records: T[],
  key: string,
  descending: boolean,
): T[] {
  const value = sortKey(records, key);
  const keyed = records.map((record) => ({ record, value: value(record) }));
  keyed.sort((x, y) => {
    const missingX = x.value === undefined || Number.isNaN(x.value);
    const missingY = y.value === undefined || Number.isNaN(y.value);
    if (missingX || missingY) return Number(missingX) - Number(missingY);
    const order = compareValues(x.value, y.value);
    return descending ? -order : order;
  });
  return keyed.map((k) => k.record);
}
