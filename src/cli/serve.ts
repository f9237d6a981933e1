/**
 * `lazyscribe serve <project> [--port]`: the live dashboard of a project, until Ctrl+C.
 *
 * @module
 */
import { stat } from "node:fs/promises";
import { Command, InvalidArgumentError } from "commander";
import { type Dashboard, serveDashboard } from "../dashboard/index.js";
import { resolveLocation } from "../storage/index.js";
import { CliError } from "./fail.js";
import type { CliIO } from "./io.js";
import { openProject } from "./open.js";

/** The default port of the dashboard. */
export const DEFAULT_PORT = 8765;

/** Parses a `--port` value: an integer from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError("the port must be an integer from 0 to 65535.");
  }
  return port;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** The `serve` command. */
export function serveCommand(io: CliIO): Command {
  return new Command("serve")
    .description("serve the live dashboard of a project (it updates as the file changes)")
    .argument("<project>", "the project file")
    .option("-p, --port <port>", "the port (0: any free port)", parsePort, DEFAULT_PORT)
    .option(
      "--host <address>",
      "the address to bind; other machines can connect unless it is a loopback address",
      "127.0.0.1",
    )
    .action(async (fpath: string, options: { port: number; host: string }) => {
      const dashboard = await serve(fpath, options);
      io.stdout.write(`lazyscribe dashboard of ${fpath} at ${dashboard.url} (Ctrl+C to stop)\n`);
      await untilStopped();
      await dashboard.close();
    });
}

/**
 * A local file is served at once and read by the dashboard meanwhile (the page says it is
 * loading; a file that does not read is shown as such, and shown again once it reads); a
 * project elsewhere (a bucket) is opened first.
 */
async function serve(fpath: string, options: { port: number; host: string }): Promise<Dashboard> {
  const { storage, path } = resolveLocation(fpath, {});
  if (storage.protocol !== "file") {
    return serveDashboard({ project: await openProject(fpath), ...options });
  }
  const found = await stat(path).catch(() => undefined);
  if (found === undefined) throw new CliError(`${fpath}: no such project file`);
  if (!found.isFile()) throw new CliError(`${fpath}: not a file`);
  return serveDashboard({ file: fpath, ...options });
}
