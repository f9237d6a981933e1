/**
 * `lazyscribe repo <repository>`: the artifacts of a repository with their versions and
 * expiry; `lazyscribe repo diff <repository> <name> <v1> <v2>`: a unified diff of two
 * versions of a text artifact.
 *
 * @module
 */
import { Command } from "commander";
import { formatTimestamp } from "../format/timestamps.js";
import { Repository } from "../repository/repository.js";
import type { RepositoryArtifact } from "../repository/types.js";
import type { ArtifactVersion } from "../repository/versions.js";
import { resolveLocation } from "../storage/index.js";
import { CliError } from "./fail.js";
import { clean, jsonText } from "./format.js";
import type { CliIO } from "./io.js";
import { renderTable } from "./table.js";

/**
 * Opens an existing repository file in mode "r".
 *
 * @throws CliError when there is no file at `fpath`.
 */
export async function openRepository(fpath: string): Promise<Repository> {
  const { storage, path } = resolveLocation(fpath);
  if (!(await storage.exists(path))) throw new CliError(`${fpath}: no such repository file`);
  return Repository.open(fpath, { mode: "r" });
}

/** Where a version stands at `now`: `latest` (what a load without a version gives), `expired` or blank. */
function status(artifact: RepositoryArtifact, latest: ReadonlySet<RepositoryArtifact>, now: Date) {
  if (artifact.expiry !== null && artifact.expiry <= now) return "expired";
  return latest.has(artifact) ? "latest" : "";
}

/** The newest version of each artifact that has not expired at `now`. */
function latestVersions(
  artifacts: readonly RepositoryArtifact[],
  now: Date,
): Set<RepositoryArtifact> {
  const best = new Map<string, RepositoryArtifact>();
  for (const a of artifacts) {
    if (a.expiry !== null && a.expiry <= now) continue;
    const current = best.get(a.name);
    if (current === undefined || a.createdAt >= current.createdAt) best.set(a.name, a);
  }
  return new Set(best.values());
}

/** The table `lazyscribe repo` prints: one row per version, by name then version. */
export function repoTable(artifacts: readonly RepositoryArtifact[], now = new Date()): string {
  if (artifacts.length === 0) return "no artifacts\n";
  const latest = latestVersions(artifacts, now);
  const sorted = [...artifacts].sort((a, b) =>
    a.name === b.name ? a.version - b.version : a.name < b.name ? -1 : 1,
  );
  return renderTable(
    [
      { header: "name" },
      { header: "version", align: "right" },
      { header: "handler" },
      { header: "created" },
      { header: "expiry" },
      { header: "status" },
      { header: "file" },
    ],
    sorted.map((a) => [
      clean(a.name),
      String(a.version),
      clean(a.handler),
      formatTimestamp(a.createdAt).replace("T", " "),
      a.expiry === null ? "" : formatTimestamp(a.expiry).replace("T", " "),
      status(a, latest, now),
      clean(a.fname),
    ]),
    { maxCellWidth: 60 },
  );
}

/** A version as typed: an integer (`3`) or an ISO 8601 time (`2024-02-01T00:00:00`). */
export function parseVersion(text: string): ArtifactVersion {
  return /^\d+$/.test(text) ? Number(text) : text;
}

function diffCommand(io: CliIO): Command {
  return new Command("diff")
    .description("show a unified diff of two versions of a text artifact")
    .argument("<repository>", "the repository file")
    .argument("<name>", "the artifact's name")
    .argument("<v1>", "a version: an integer, or an ISO 8601 creation time")
    .argument("<v2>", "the other version")
    .action(async (fpath: string, name: string, v1: string, v2: string) => {
      const repository = await openRepository(fpath);
      const diff = await repository.getVersionDiff(name, [parseVersion(v1), parseVersion(v2)]);
      io.stdout.write(diff === "" ? "no differences\n" : diff);
    });
}

/** The `repo` command, with its `diff` subcommand. */
export function repoCommand(io: CliIO): Command {
  return new Command("repo")
    .description("show the artifacts of a repository: versions, expiry, files (and `repo diff`)")
    .argument("<repository>", "the repository file")
    .option("--json", "print the artifact records as JSON")
    .action(async (fpath: string, options: { json?: boolean }) => {
      const repository = await openRepository(fpath);
      io.stdout.write(
        options.json === true
          ? `${jsonText([...repository], 2)}\n`
          : repoTable(repository.artifacts),
      );
    })
    .addCommand(diffCommand(io));
}
