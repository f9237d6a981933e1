/**
 * lazyscribe: lightweight, lazy experiment logging. One JSON file per project — the same
 * file Python lazyscribe 2.2.1 reads and writes — and an experiment written only when the
 * code that logs it finishes.
 *
 * @packageDocumentation
 */
export {
  type ArtifactData,
  ArtifactHandler,
  defaultFname,
  findHandler,
  getHandler,
  type HandlerLike,
  type HandlerOptions,
  handlerAliases,
  JsonHandler,
  type JsonWriterOptions,
  type LoadArtifactOptions,
  type LogArtifactOptions,
  type RegisterHandlerOptions,
  registerHandler,
  unregisterHandler,
  V8Handler,
} from "./artifacts/index.js";
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
export { dumpsPyJson, type PyJsonOptions } from "./format/pyjsonOptions.js";
export {
  type ReleaseRecord,
  ReleaseRecordSchema,
  ReleasesFileSchema,
} from "./format/releasesFile.js";
export { RepositoryFileSchema } from "./format/repositoryFile.js";
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
export { Project, type ProjectMode, type ProjectOptions, type SaveOptions } from "./project.js";
export { Registry, registry } from "./registry.js";
export * as release from "./release.js";
export {
  type ConfigRelease,
  type CreateReleaseOptions,
  createRelease,
  type FindReleaseOptions,
  findRelease,
  type MinimalRepositoryOptions,
  minimalRepositoryFromRelease,
  Release,
  type ReleasedArtifact,
  type ReleaseFromConfigOptions,
  releaseFromConfigFile,
  releaseFromPackageJson,
  releaseFromToml,
} from "./release.js";
export {
  type ArtifactVersion,
  type ExpiryOptions,
  Repository,
  type RepositoryArtifact,
  type RepositoryLoadOptions,
  type RepositoryLogOptions,
  type RepositoryMode,
  type RepositoryOptions,
  type VersionMatch,
  type VersionQuery,
} from "./repository.js";
export { slugify } from "./slug.js";
export {
  LocalStorage,
  MemoryStorage,
  S3Storage,
  type S3StorageOptions,
  type Storage,
  StorageError,
  type StorageOptions,
  WriteManyError,
} from "./storage/index.js";
export { type Tabular, type TabularRow, toTabular } from "./tabular.js";
export { Test, type TestInit } from "./test.js";
