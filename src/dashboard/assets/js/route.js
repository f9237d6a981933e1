// The page's address: which view, and the table's columns, sort and filter, all in the hash
// so that a view can be shared as a link.
//   #/?c=p:lr&c=m:loss&sort=m:loss&dir=desc&q=sweep   the experiments
//   #/e/<slug>                                        one experiment
//   #/compare?e=<slug>&e=<slug>                       experiments side by side

/** The current view and its options. */
export function currentRoute() {
  const hash = location.hash || "#/";
  const [path, query = ""] = hash.slice(1).split("?", 2);
  const params = new URLSearchParams(query);
  const experiment = /^\/e\/(.+)$/.exec(path);
  if (experiment) {
    try {
      return { view: "experiment", slug: decodeURIComponent(experiment[1]) };
    } catch {
      return { view: "table", params: new URLSearchParams() };
    }
  }
  if (path === "/compare") return { view: "compare", slugs: params.getAll("e") };
  return { view: "table", params };
}

/** The address of the table with these options. */
export function tableHash({ columns, sort, filter }) {
  const params = new URLSearchParams();
  if (columns) for (const key of columns) params.append("c", key);
  if (sort && (sort.key !== "created_at" || sort.dir !== 1)) {
    params.set("sort", sort.key);
    params.set("dir", sort.dir > 0 ? "asc" : "desc");
  }
  if (filter) params.set("q", filter);
  const query = params.toString();
  return query ? `#/?${query}` : "#/";
}

/** The address of the comparison of these experiments. */
export function compareHash(slugs) {
  const params = new URLSearchParams();
  for (const slug of slugs) params.append("e", slug);
  return `#/compare?${params}`;
}

/** The address of an experiment's page. */
export const experimentHash = (slug) => `#/e/${encodeURIComponent(slug)}`;

/** Replaces the address without a new history entry and without a hashchange. */
export function replaceHash(hash) {
  if (location.hash !== hash) history.replaceState(null, "", hash);
}
