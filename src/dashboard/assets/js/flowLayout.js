// Layout of the flow graph: boxes in layers (each box right of everything it waits for), a
// layer that would be too tall wrapped into several columns so that large flows keep a
// shape that fits a page. Used for the whole graph and inside an expanded experiment.

export const GAP_X = 56;
export const GAP_Y = 12;

/**
 * Places `items` (each `{ key, w, h }`) given `edges` (`[fromKey, toKey]`): returns
 * `{ at: Map(key -> { x, y }), width, height }`. Cycles (which grouping can make) are broken
 * by placing the rest after what is placed.
 */
export function layered(items, edges, maxHeight) {
  const keys = items.map((i) => i.key);
  const byKey = new Map(items.map((i) => [i.key, i]));
  const ups = new Map(keys.map((k) => [k, []]));
  const downs = new Map(keys.map((k) => [k, []]));
  for (const [from, to] of edges) {
    if (from === to || !ups.has(to) || !ups.has(from)) continue;
    ups.get(to).push(from);
    downs.get(from).push(to);
  }
  const layer = new Map();
  const waiting = new Map(keys.map((k) => [k, ups.get(k).length]));
  let ready = keys.filter((k) => waiting.get(k) === 0);
  let top = 0;
  while (layer.size < keys.length) {
    if (ready.length === 0) {
      // A cycle: place the first unplaced item after everything placed.
      const next = keys.find((k) => !layer.has(k));
      layer.set(next, top + 1);
      ready = [next];
      waiting.set(next, 0);
    }
    const nextReady = [];
    for (const k of ready) {
      if (!layer.has(k))
        layer.set(
          k,
          Math.max(
            0,
            ...ups
              .get(k)
              .filter((u) => layer.has(u))
              .map((u) => layer.get(u) + 1),
          ),
        );
      top = Math.max(top, layer.get(k));
      for (const d of downs.get(k)) {
        waiting.set(d, waiting.get(d) - 1);
        if (waiting.get(d) === 0 && !layer.has(d)) nextReady.push(d);
      }
    }
    ready = nextReady;
  }
  const layers = [];
  for (const k of keys) {
    const l = layer.get(k);
    if (!layers[l]) layers[l] = [];
    layers[l].push(byKey.get(k));
  }
  const at = new Map();
  let x = 0;
  let height = 0;
  for (const column of layers) {
    if (!column) continue;
    let colX = x;
    let y = 0;
    let colWidth = 0;
    for (const item of column) {
      if (y > 0 && y + item.h > maxHeight) {
        colX += colWidth + GAP_X / 2;
        y = 0;
        colWidth = 0;
      }
      at.set(item.key, { x: colX, y });
      y += item.h + GAP_Y;
      colWidth = Math.max(colWidth, item.w);
      height = Math.max(height, y - GAP_Y);
    }
    x = colX + colWidth + GAP_X;
  }
  return { at, width: Math.max(0, x - GAP_X), height };
}

/** A column height that gives a graph of these items roughly the shape `ratio` (width/height). */
export function columnHeight(items, ratio) {
  let area = 0;
  let tallest = 0;
  for (const i of items) {
    area += (i.w + GAP_X) * (i.h + GAP_Y);
    tallest = Math.max(tallest, i.h);
  }
  return Math.max(tallest, 220, Math.sqrt(area / ratio));
}
