/**
 * lazyscribe: lightweight, lazy experiment logging. One JSON file per project — the same
 * file Python lazyscribe 2.2.1 reads and writes — and an experiment written only when the
 * code that logs it finishes.
 *
 * @packageDocumentation
 */
export { defaultAuthor } from "./author.js";
export {
  ArtifactLoadError,
  ArtifactLogError,
  InvalidVersionError,
  LazyscribeError,
  NotFoundError,
  ReadOnlyError,
  SaveError,
  ValidationError,
  type ValidationLocation,
  VersionNotFoundError,
} from "./errors.js";
export type * from "./events.js";
export {
  type Dependency,
  Experiment,
  type ExperimentInit,
  type LogTestOptions,
  type TagOptions,
} from "./experiment.js";
export { parseProjectFile, serializeProjectFile } from "./format/projectFile.js";
export { dumpPyJson, parsePyJson } from "./format/pyjson.js";
export {
  type ArtifactRecord,
  ArtifactRecordSchema,
  type ExperimentRecord,
  ExperimentRecordSchema,
  type JsonValue,
  type MetricValue,
  type TestRecord,
  TestRecordSchema,
} from "./format/schemas.js";
export { mergeExperiments } from "./merge.js";
export { Project, type ProjectMode, type ProjectOptions } from "./project.js";
export { Registry, registry } from "./registry.js";
export { slugify } from "./slug.js";
export { MemoryStorage, type Storage, type StorageOptions } from "./storage/index.js";
export { type Tabular, type TabularRow, toTabular } from "./tabular.js";
export { Test, type TestInit } from "./test.js";
