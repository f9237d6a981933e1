// The stat cards above the experiments table. While the rows are a preview of a large
// project (its file still being read), the experiments card says how far the page is:
// "loading 300 of ~50,000".

import { $, clear, el } from "./dom.js";
import { state } from "./store.js";
import { columnNames } from "./table.js";

const count = (n) => n.toLocaleString("en-US");

/** What the experiments card says while the rows shown are a preview. */
export function loadingText({ shown, estimated }) {
  return `loading ${count(shown)} of ~${count(estimated)}`;
}

/** The stat cards: experiments (running ones included), running, failed, metrics, authors. */
export function drawStats() {
  const records = state.records;
  const authors = new Set(records.map((r) => r.author));
  let running = 0;
  let failed = 0;
  for (const live of state.live.values()) {
    if (live.status === "failed") failed++;
    else running++;
    if (live.record.author) authors.add(live.record.author);
  }
  let latest = "";
  for (const r of records) if (r.created_at > latest) latest = r.created_at;
  const preview = state.preview;
  const stats = [
    ["Experiments", preview ? loadingText(preview) : records.length + state.live.size],
    ["Running", running],
    ["Failed", failed],
    ["Metrics", columnNames().metrics.length],
    ["Authors", authors.size],
    ["Latest", latest ? latest.slice(0, 10) : "—"],
  ];
  clear($("stats")).append(
    ...stats.map(([label, value]) =>
      el(
        "div",
        {
          class: `stat${label === "Failed" && value > 0 ? " bad" : ""}`,
          "data-stat": label.toLowerCase(),
          "data-loading": label === "Experiments" && preview ? "true" : undefined,
        },
        el("div", { class: "stat-label", text: label }),
        el("div", { class: "stat-value", text: value }),
      ),
    ),
  );
}
