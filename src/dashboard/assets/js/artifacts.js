// An experiment's artifacts: the list (its own and its tests') with handler, file and size,
// a download link for each, and a preview of JSON values and images.

import { clear, el } from "./dom.js";
import { fmtBytes } from "./format.js";
import { experimentUrl, getJson } from "./store.js";

const PREVIEW_LIMIT = 200_000; // bytes of JSON shown at most

/** The URL of an artifact's bytes. */
export function artifactUrl(slug, artifact) {
  return artifact.test === null
    ? experimentUrl(slug, "artifacts", artifact.name)
    : experimentUrl(slug, "tests", artifact.test, "artifacts", artifact.name);
}

const canPreview = (a) =>
  a.size !== null && (a.type.startsWith("application/json") || a.type.startsWith("image/"));

async function preview(slug, artifact, box) {
  clear(box).append(el("div", { class: "muted", text: "Loading…" }));
  const url = artifactUrl(slug, artifact);
  if (artifact.type.startsWith("image/")) {
    clear(box).append(
      el("img", { src: url, alt: `${artifact.name} (${artifact.fname})`, class: "artifact-image" }),
    );
    return;
  }
  const response = await fetch(url, { cache: "no-store" });
  const text = await response.text();
  let shown;
  try {
    shown = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    shown = text;
  }
  const cut = shown.length > PREVIEW_LIMIT;
  clear(box).append(
    el("pre", {
      class: "artifact-json",
      text: cut ? `${shown.slice(0, PREVIEW_LIMIT)}\n…` : shown,
    }),
    cut
      ? el("div", { class: "muted small", text: "Cut short: download the file to see all of it." })
      : null,
  );
}

/** Fills `section` with the artifact list of the experiment `slug` (fetched from the server). */
export async function drawArtifacts(section, slug) {
  let list;
  try {
    list = (await getJson(experimentUrl(slug, "artifacts"))).artifacts;
  } catch {
    list = null;
  }
  const heading = el("h2", { text: `Artifacts (${list ? list.length : 0})` });
  clear(section).append(heading);
  if (list === null) {
    section.append(
      el("div", {
        class: "empty",
        text: "The artifacts are known once the experiment is in the project.",
      }),
    );
    return;
  }
  if (list.length === 0) {
    section.append(el("div", { class: "empty", text: "No artifacts." }));
    return;
  }
  const previewBox = el("div", { class: "artifact-preview", id: "artifact-preview" });
  const rows = list.map((a) =>
    el(
      "tr",
      { "data-artifact": a.name, "data-test": a.test ?? undefined },
      el("td", { text: a.name }),
      el("td", { text: a.test ?? "—" }),
      el("td", { text: a.handler }),
      el("td", { class: "mono", text: a.fname }),
      el("td", {
        class: "num",
        text: a.size === null ? "missing" : fmtBytes(a.size),
        title: a.error ?? (a.size === null ? undefined : `${a.size} bytes`),
      }),
      el("td", { text: a.created_at ? String(a.created_at).replace("T", " ") : "—" }),
      el(
        "td",
        { class: "actions" },
        a.size === null
          ? null
          : el("a", {
              href: artifactUrl(slug, a),
              download: a.fname.split("/").pop(),
              class: "download",
              text: "Download",
            }),
        canPreview(a)
          ? el("button", {
              class: "preview",
              text: "Preview",
              onclick: () => preview(slug, a, previewBox),
            })
          : null,
      ),
    ),
  );
  section.append(
    el(
      "div",
      { class: "table-wrap" },
      el(
        "table",
        { class: "artifacts" },
        el(
          "thead",
          {},
          el(
            "tr",
            {},
            ["Name", "Test", "Handler", "File", "Size", "Created", ""].map((h) =>
              el("th", { text: h }),
            ),
          ),
        ),
        el("tbody", {}, rows),
      ),
    ),
    previewBox,
  );
}
