// The flow's graph: tasks grouped per experiment (a group is one box, with its tasks' states
// counted, until it is expanded), each logging task named by what it logs ("metric loss"),
// each task's state as a colour and a sign, the whole graph fitted to the card, with zoom
// (buttons, Ctrl+wheel) and pan (drag).

import { $, clear, el, svg } from "./dom.js";
import { columnHeight, GAP_X, layered } from "./flowLayout.js";
import { fitGraph, showGraph, startZoom, zoom } from "./flowZoom.js";
import { shortLabel } from "./format.js";
import { state } from "./store.js";

const TASK = { w: 180, h: 30 };
const GROUP = { w: 210, h: 46 };
const FRAME_PAD = 10;
const FRAME_HEAD = 24;
const MAX_HEIGHT = 640;
const SIGN = {
  pending: "○",
  running: "●",
  retrying: "↻",
  succeeded: "✓",
  failed: "✗",
  "not-run": "–",
};
const FINISHED = new Set(["succeeded", "failed", "not-run"]);

const expanded = new Set(); // experiment task ids whose group is open
let graph = null; // the drawn graph: { svg, tasks: Map(id -> g), groups: Map(id -> g) }

/** What a task shows: what it logs ("metric loss"), else its name. */
export function taskLabel(node) {
  const what = node.kind === "parameter" ? "param" : node.kind;
  const label = node.kind && node.key !== null ? `${what} ${node.key}` : node.name;
  return node.test && node.kind !== "test" ? `${node.test} · ${label}` : label;
}

function groupsOf(flow) {
  const groups = new Map();
  for (const node of flow.nodes) {
    if (node.group === null) continue;
    if (!groups.has(node.group)) groups.set(node.group, []);
    groups.get(node.group).push(node.id);
  }
  return groups;
}

/** The state of a group: failed, running, not run, succeeded or pending, with counts. */
function groupState(flow, ids) {
  const counts = {};
  for (const id of ids) {
    const s = flow.tasks[id].status;
    counts[s] = (counts[s] || 0) + 1;
  }
  const status = counts.failed
    ? "failed"
    : counts.running || counts.retrying
      ? "running"
      : counts["not-run"]
        ? "not-run"
        : counts.succeeded === ids.length
          ? "succeeded"
          : counts.succeeded
            ? "running"
            : "pending";
  return { status, counts };
}

function edgePath(a, b) {
  const x1 = a.x + a.w;
  const y1 = a.y + a.h / 2;
  const x2 = b.x;
  const y2 = b.y + b.h / 2;
  const mid = x2 > x1 ? (x1 + x2) / 2 : x1 + GAP_X / 2;
  return `M${x1},${y1} C${mid},${y1} ${x2 > x1 ? mid : x2 - GAP_X / 2},${y2} ${x2},${y2}`;
}

function taskNode(flow, id, x, y) {
  const node = flow.nodes[id];
  const g = svg("g", { class: "node", transform: `translate(${x},${y})`, "data-task": id });
  g.append(svg("rect", { width: TASK.w, height: TASK.h, rx: 6 }));
  const sign = svg("text", { class: "sign", x: 10, y: TASK.h / 2 });
  const text = svg("text", { class: "label", x: 26, y: TASK.h / 2 });
  text.textContent = shortLabel(taskLabel(node), 24);
  g.append(sign, text, svg("title"));
  return g;
}

/** Lays out and draws the graph (anew: after a new flow, or a group opened or closed). */
export function renderFlow() {
  const flow = state.flow;
  $("flow-card").hidden = !flow;
  if (!flow) return;
  $("flow-name").textContent = flow.name;
  $("flow-mermaid").textContent = flow.mermaid;
  const groups = groupsOf(flow);
  for (const id of expanded) if (!groups.has(id)) expanded.delete(id);
  // Items of the outer layout: free tasks, closed groups, and open groups (framed blocks).
  const items = [];
  const inner = new Map();
  const seen = new Set();
  for (const node of flow.nodes) {
    const group = node.group;
    if (group === null) items.push({ key: `t${node.id}`, ...TASK });
    else if (!seen.has(group)) {
      seen.add(group);
      if (!expanded.has(group)) items.push({ key: `g${group}`, ...GROUP, group });
      else {
        const ids = groups.get(group);
        const members = new Set(ids);
        const layout = layered(
          ids.map((id) => ({ key: `t${id}`, ...TASK })),
          flow.edges
            .filter(([a, b]) => members.has(a) && members.has(b))
            .map(([a, b]) => [`t${a}`, `t${b}`]),
          6 * (TASK.h + 12),
        );
        inner.set(group, layout);
        items.push({
          key: `f${group}`,
          w: layout.width + 2 * FRAME_PAD,
          h: layout.height + FRAME_HEAD + 2 * FRAME_PAD,
          group,
        });
      }
    }
  }
  const outerKey = (id) => {
    const group = flow.nodes[id].group;
    if (group === null) return `t${id}`;
    return expanded.has(group) ? `f${group}` : `g${group}`;
  };
  const outerEdges = new Map();
  for (const [a, b] of flow.edges) {
    const from = outerKey(a);
    const to = outerKey(b);
    if (from !== to) outerEdges.set(`${from}>${to}`, [from, to]);
  }
  const card = $("flow-graph");
  const width = card.clientWidth || 1000;
  const layout = layered(
    items,
    [...outerEdges.values()],
    columnHeight(items, Math.max(1.6, width / MAX_HEIGHT)),
  );
  const rect = new Map(); // key -> { x, y, w, h } in graph coordinates
  for (const item of items)
    rect.set(item.key, { ...layout.at.get(item.key), w: item.w, h: item.h });
  for (const [group, lay] of inner) {
    const frame = rect.get(`f${group}`);
    for (const [key, p] of lay.at)
      rect.set(key, {
        x: frame.x + FRAME_PAD + p.x,
        y: frame.y + FRAME_HEAD + FRAME_PAD + p.y,
        ...TASK,
      });
  }
  const bounds = { x: -10, y: -10, w: layout.width + 20, h: layout.height + 20 };
  const height = Math.min(MAX_HEIGHT, Math.max(140, (width * bounds.h) / bounds.w));
  const root = svg("svg", {
    role: "img",
    width: "100%",
    height,
    preserveAspectRatio: "xMidYMid meet",
    "data-tasks": flow.nodes.length,
  });
  const caption = svg("title");
  caption.textContent = `Graph of flow ${flow.name}`;
  const viewport = svg("g", { class: "viewport" });
  root.append(caption, viewport);
  // Edges between outer boxes, then inside open groups.
  for (const [from, to] of outerEdges.values())
    viewport.append(svg("path", { class: "edge", d: edgePath(rect.get(from), rect.get(to)) }));
  const tasks = new Map();
  const groupNodes = new Map();
  for (const item of items) {
    const r = rect.get(item.key);
    if (item.key.startsWith("t")) {
      const id = Number(item.key.slice(1));
      const g = taskNode(flow, id, r.x, r.y);
      viewport.append(g);
      tasks.set(id, g);
    } else if (item.key.startsWith("g")) {
      const g = svg("g", {
        class: "node group",
        transform: `translate(${r.x},${r.y})`,
        "data-group": item.group,
        tabindex: 0,
        role: "button",
      });
      const name = svg("text", { class: "label", x: 10, y: 16 });
      name.textContent = `▸ ${shortLabel(flow.nodes[item.group].name, 24)}`;
      const counts = svg("text", { class: "counts", x: 10, y: 34 });
      g.append(
        svg("rect", { width: GROUP.w, height: GROUP.h, rx: 8 }),
        name,
        counts,
        svg("g", { class: "bar" }),
        svg("title"),
      );
      g.addEventListener("click", () => toggle(item.group));
      g.addEventListener(
        "keydown",
        (e) => (e.key === "Enter" || e.key === " ") && toggle(item.group),
      );
      viewport.append(g);
      groupNodes.set(item.group, g);
    } else {
      const frame = svg("g", { class: "frame", "data-frame": item.group });
      const head = svg("text", {
        class: "frame-head",
        x: r.x + 8,
        y: r.y + 16,
        role: "button",
        tabindex: 0,
      });
      head.textContent = `▾ ${flow.nodes[item.group].name} · ${groups.get(item.group).length} tasks`;
      head.addEventListener("click", () => toggle(item.group));
      frame.append(svg("rect", { x: r.x, y: r.y, width: r.w, height: r.h, rx: 10 }), head);
      viewport.append(frame);
      const members = new Set(groups.get(item.group));
      for (const [a, b] of flow.edges) {
        if (members.has(a) && members.has(b))
          viewport.append(
            svg("path", { class: "edge", d: edgePath(rect.get(`t${a}`), rect.get(`t${b}`)) }),
          );
      }
      for (const id of groups.get(item.group)) {
        const p = rect.get(`t${id}`);
        const g = taskNode(flow, id, p.x, p.y);
        viewport.append(g);
        tasks.set(id, g);
      }
    }
  }
  graph = { svg: root, tasks, groups: groupNodes, groupIds: groups };
  clear(card).append(root);
  showGraph(root, bounds);
  refreshStates();
}

function toggle(group) {
  if (expanded.has(group)) expanded.delete(group);
  else expanded.add(group);
  renderFlow();
}

/** Opens or closes every group. */
export function expandAll(open) {
  expanded.clear();
  if (open && state.flow) for (const id of groupsOf(state.flow).keys()) expanded.add(id);
  renderFlow();
}

/** The task states, on every task and group drawn (after each task event, once a frame). */
export function refreshStates() {
  const flow = state.flow;
  if (!flow || !graph) return;
  for (const [id, g] of graph.tasks) {
    const task = flow.tasks[id];
    const node = flow.nodes[id];
    g.setAttribute("class", `node ${task.status}`);
    g.querySelector(".sign").textContent = SIGN[task.status] ?? "";
    g.querySelector("title").textContent =
      `${node.name}${node.kind ? ` (${taskLabel(node)})` : ""}: ${task.status}${task.detail ? ` (${task.detail})` : ""}`;
  }
  for (const [group, g] of graph.groups) {
    const ids = graph.groupIds.get(group);
    const { status, counts } = groupState(flow, ids);
    g.setAttribute("class", `node group ${status}`);
    const done = (counts.succeeded || 0) + (counts.failed || 0) + (counts["not-run"] || 0);
    const parts = [`${ids.length} tasks`, `${done} done`];
    if (counts.running || counts.retrying)
      parts.push(`${(counts.running || 0) + (counts.retrying || 0)} running`);
    if (counts.failed) parts.push(`${counts.failed} failed`);
    g.querySelector(".counts").textContent = parts.join(" · ");
    g.querySelector("title").textContent =
      `${flow.nodes[group].name}: ${status}, ${parts.join(", ")} (click to expand)`;
    const bar = clear(g.querySelector(".bar"));
    let x = 10;
    const width = GROUP.w - 20;
    for (const s of ["succeeded", "running", "retrying", "failed", "not-run", "pending"]) {
      if (!counts[s]) continue;
      const w = (width * counts[s]) / ids.length;
      bar.append(svg("rect", { class: `seg ${s}`, x, y: GROUP.h - 7, width: w, height: 3 }));
      x += w;
    }
  }
  updateRun();
}

let refreshFrame = 0;
/** Shows the task states on the next frame (after task events). */
export function scheduleRefresh() {
  if (!refreshFrame) {
    refreshFrame = requestAnimationFrame(() => {
      refreshFrame = 0;
      refreshStates();
    });
  }
}

/** The run's progress bar, status and running tasks. */
export function updateRun() {
  const flow = state.flow;
  if (!flow) return;
  const done = flow.tasks.filter((t) => FINISHED.has(t.status)).length;
  $("flow-bar").style.width = `${flow.nodes.length ? (100 * done) / flow.nodes.length : 0}%`;
  const badge = $("flow-status");
  badge.className = `badge ${state.runStatus}`;
  badge.textContent = `${state.runStatus} · ${done}/${flow.nodes.length} tasks`;
  const running = flow.tasks
    .filter((t) => t.status === "running" || t.status === "retrying")
    .map((t) => {
      const node = flow.nodes[t.id];
      return node.group !== null && node.group !== node.id
        ? `${flow.nodes[node.group].name}: ${taskLabel(node)}`
        : taskLabel(node);
    });
  $("flow-running").textContent = running.length
    ? `Running: ${running.slice(0, 6).join(", ")}${running.length > 6 ? ` and ${running.length - 6} more` : ""}`
    : "";
}

/** The graph's controls: zoom, fit, open and close every group, drag to pan. */
export function startFlow() {
  const tools = $("flow-tools");
  tools.append(
    el("button", {
      text: "−",
      title: "Zoom out",
      "aria-label": "Zoom out",
      onclick: () => zoom(1 / 1.4),
    }),
    el("button", {
      text: "+",
      title: "Zoom in",
      "aria-label": "Zoom in",
      onclick: () => zoom(1.4),
    }),
    el("button", {
      text: "Fit",
      id: "flow-fit",
      onclick: () => fitGraph(),
    }),
    el("button", { text: "Expand all", id: "flow-expand", onclick: () => expandAll(true) }),
    el("button", { text: "Collapse all", id: "flow-collapse", onclick: () => expandAll(false) }),
  );
  startZoom($("flow-graph"));
}
