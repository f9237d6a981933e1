/**
 * A flow's graph as a Mermaid flowchart.
 *
 * @module
 */
import type { Flow } from "./flow.js";
import type { Task } from "./task.js";

/**
 * The graph of `flow` as a Mermaid flowchart (`flowchart TD`): one node per task, labelled
 * with the task's name (parameters as rounded nodes), and one arrow per edge.
 *
 * @example
 * ```text
 * flowchart TD
 *   t0["Open project"]
 *   t1["My experiment"]
 *   t0 --> t1
 * ```
 */
export function toMermaid(flow: Flow): string {
  const lines = ["flowchart TD"];
  const parameters = new Set(flow.parameters.map((p) => flow.taskFor(p)));
  for (const task of flow.tasks) {
    const id = nodeId(task);
    const label = escapeLabel(task.name);
    lines.push(parameters.has(task) ? `  ${id}(["${label}"])` : `  ${id}["${label}"]`);
  }
  for (const task of flow.tasks) {
    for (const upstream of flow.upstreamTasks(task)) {
      lines.push(`  ${nodeId(upstream)} --> ${nodeId(task)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function nodeId(task: Task): string {
  return `t${task.id}`;
}

/** Mermaid labels in quotes take HTML entity codes for the characters that would end them. */
function escapeLabel(name: string): string {
  return name
    .replaceAll("&", "#amp;")
    .replaceAll('"', "#quot;")
    .replaceAll("<", "#lt;")
    .replaceAll(">", "#gt;");
}
