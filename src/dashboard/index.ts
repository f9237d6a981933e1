/**
 * The live web dashboard: `serveDashboard({ project, flow, port, host })`.
 *
 * @packageDocumentation
 */
export type {
  DashboardFlow,
  DashboardTask,
  DashboardTaskEvent,
  RunStatus,
  TaskStatus,
  TaskView,
} from "./flowView.js";
export { type Dashboard, type DashboardOptions, serveDashboard } from "./serve.js";
