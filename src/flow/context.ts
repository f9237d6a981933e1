/**
 * Which flow is being built: lazy methods record tasks into the flow whose builder is running,
 * and refuse to run anywhere else.
 *
 * @module
 */
import { FlowContextError } from "./errors.js";
import type { Flow } from "./flow.js";

const building: Flow[] = [];

/** The flow whose builder is running, if any. */
export function currentFlow(): Flow | undefined {
  return building[building.length - 1];
}

/**
 * The flow whose builder is running.
 *
 * @param what - the call, for the error message (`'task("Score").bind()'`).
 * @throws FlowContextError when no builder is running.
 */
export function requireFlow(what: string): Flow {
  const flow = currentFlow();
  if (flow === undefined) {
    throw new FlowContextError(
      `${what} was called outside a flow's builder: lazy methods only record tasks, so call it inside new Flow("name", () => { ... })`,
    );
  }
  return flow;
}

/** Runs `builder` with `flow` as the flow being built. */
export function buildWith(flow: Flow, builder: () => void): void {
  building.push(flow);
  try {
    builder();
  } finally {
    building.pop();
  }
}
