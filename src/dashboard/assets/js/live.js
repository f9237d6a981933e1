// The server's event stream: project revisions (a delta, or a reason to fetch everything),
// values logged live, task states and the run's status. Reconnects on its own.

import { $ } from "./dom.js";
import { renderFlow, scheduleRefresh } from "./flow.js";
import {
  applyDelta,
  applyLive,
  fetchFlow,
  fetchLive,
  fetchProject,
  flowEvent,
  isFetching,
  state,
} from "./store.js";

/** Draws the graph anew once fetched (`null`), else shows the states an event changed. */
const applyFlow = (event) => (event === null ? renderFlow() : scheduleRefresh());

function setLive(mode, text) {
  $("live").setAttribute("data-state", mode);
  $("live-text").textContent = text;
}

/** Opens the event stream. */
export function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => setLive("live", "live"));
  source.addEventListener("error", () => setLive("offline", "reconnecting…"));
  source.addEventListener("hello", (e) => {
    const hello = JSON.parse(e.data);
    // A large file is still being read: its records come with the first revision.
    if (hello.loading) setLive("connecting", "reading the project…");
    else setLive("live", "live");
    const project =
      hello.revision !== state.revision ? fetchProject(hello.revision) : Promise.resolve();
    // The live experiments after the records: those appended meanwhile are then known.
    project.then(fetchLive, fetchLive);
    if (hello.flow !== null) fetchFlow(applyFlow);
  });
  source.addEventListener("project", (e) => {
    const change = JSON.parse(e.data);
    setLive("live", "live");
    if (change.rows && change.base === state.revision && !isFetching()) applyDelta(change);
    else if (change.revision !== state.revision) fetchProject(change.revision);
  });
  source.addEventListener("live", (e) => applyLive(JSON.parse(e.data)));
  source.addEventListener("task", (e) => flowEvent(JSON.parse(e.data), applyFlow));
  source.addEventListener("run", (e) => flowEvent(JSON.parse(e.data), applyFlow));
}
