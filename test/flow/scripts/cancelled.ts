/**
 * A run cancelled while a task waits forever and another waits a minute to retry: the process
 * must exit at once (run by cancel.test.ts in a child process).
 */
import { Flow, task } from "../../../src/flow/index.js";

const flow = new Flow("Cancelled", () => {
  task("Forever", () => new Promise<never>(() => undefined)).bind();
  task(
    "Flaky",
    (): number => {
      throw new Error("not yet");
    },
    { retries: 5, retryDelay: 60_000 },
  ).bind();
});
const subscription = flow.run$().subscribe((event) => {
  if (event.type === "retrying") {
    subscription.unsubscribe();
    process.stdout.write("cancelled\n");
  }
});
