// Zoom and pan of the flow graph: the part of the graph shown (the SVG's viewBox), fitted to
// the whole graph when it is drawn, zoomed by the buttons or Ctrl+wheel (around the pointer)
// and moved by dragging.

let svgElement = null;
let box = null; // the viewBox shown: { x, y, w, h }
let bounds = null; // the whole graph's

function applyBox() {
  svgElement?.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
}

/** Shows a newly drawn graph whole (`graphBounds` in its own coordinates). */
export function showGraph(svg, graphBounds) {
  svgElement = svg;
  bounds = graphBounds;
  fitGraph();
}

/** Shows the whole graph. */
export function fitGraph() {
  if (!bounds) return;
  box = { ...bounds };
  applyBox();
}

/** Zooms by `factor` (>1 closer) around the point (fx, fy) in graph coordinates. */
export function zoom(factor, fx = box.x + box.w / 2, fy = box.y + box.h / 2) {
  if (!bounds) return;
  const w = Math.min(bounds.w * 4, Math.max(120, box.w / factor));
  const h = (box.h * w) / box.w;
  box = { x: fx - ((fx - box.x) * w) / box.w, y: fy - ((fy - box.y) * h) / box.h, w, h };
  applyBox();
}

/** The graph coordinates of a pointer event, and graph units per screen pixel. */
function toGraph(e) {
  const r = svgElement.getBoundingClientRect();
  const scale = Math.max(box.w / r.width, box.h / r.height);
  const offX = (r.width * scale - box.w) / 2;
  const offY = (r.height * scale - box.h) / 2;
  return {
    x: box.x - offX + (e.clientX - r.left) * scale,
    y: box.y - offY + (e.clientY - r.top) * scale,
    scale,
  };
}

/** Listens to Ctrl+wheel (zoom) and drags (pan) on the graph's card. */
export function startZoom(card) {
  card.addEventListener(
    "wheel",
    (e) => {
      if (!svgElement || !(e.ctrlKey || e.metaKey)) return;
      e.preventDefault();
      const p = toGraph(e);
      zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    },
    { passive: false },
  );
  let drag = null;
  card.addEventListener("pointerdown", (e) => {
    if (!svgElement || e.button !== 0 || e.target.closest(".group, .frame-head")) return;
    drag = { scale: toGraph(e).scale, x: e.clientX, y: e.clientY, box: { ...box } };
    card.setPointerCapture(e.pointerId);
    card.classList.add("dragging");
  });
  card.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const { scale } = drag;
    box = {
      ...drag.box,
      x: drag.box.x - (e.clientX - drag.x) * scale,
      y: drag.box.y - (e.clientY - drag.y) * scale,
    };
    applyBox();
  });
  const end = () => {
    drag = null;
    card.classList.remove("dragging");
  };
  card.addEventListener("pointerup", end);
  card.addEventListener("pointercancel", end);
}
