/**
 * The edge counts of a flow's graph, kept while its tasks are recorded: each run starts from
 * copies of these flat arrays (how many tasks each task waits for, how many depend on it, how
 * many join it) instead of walking the graph again.
 *
 * @module
 */

/** @internal Per task id, the counts of its edges. */
export class EdgeCounts {
  /** How many tasks each task directly depends on. */
  readonly upstream: number[] = [];
  /** How many tasks directly depend on each task. */
  readonly downstream: number[] = [];
  /** How many tasks have each task as an ordering-only upstream task (and join it). */
  readonly joins: number[] = [];

  /** A new task, with no edges yet. */
  addTask(): void {
    this.upstream.push(0);
    this.downstream.push(0);
    this.joins.push(0);
  }

  /** A new edge `from` → `to`, by task id. */
  addEdge(from: number, to: number): void {
    this.downstream[from] = (this.downstream[from] as number) + 1;
    this.upstream[to] = (this.upstream[to] as number) + 1;
  }

  /** A task joins task `up` (its ordering-only upstream task). */
  addJoin(up: number): void {
    this.joins[up] = (this.joins[up] as number) + 1;
  }
}
