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
export { MAX_JSON_DEPTH } from "./format/limits.js";
export {
  METRIC_HISTORY_ARTIFACT,
  METRIC_HISTORY_FNAME,
  type MetricHistoryFile,
  MetricHistoryFileSchema,
  type MetricSeriesColumns,
  MetricSeriesSchema,
  parseMetricHistory,
} from "./format/metricHistoryFile.js";
export { parseProjectFile, serializeProjectFile } from "./format/projectFile.js";
export {
  dumpPyJson,
  dumpsPyJson,
  type FloatMarks,
  isMarkedFloat,
  type Key,
  type PyJsonOptions,
  type PyJsonRead,
  parsePyJson,
  readPyJson,
  withMark,
} from "./format/pyjson/index.js";
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
  type JsonScalar,
  type JsonValue,
  type MetricValue,
  type StoredExperiment,
  StoredExperimentSchema,
  type StoredTest,
  StoredTestSchema,
  type TestRecord,
  TestRecordSchema,
} from "./format/schemas.js";
export { type Timestamp, TimestampSchema } from "./format/timestamps.js";
export type * from "./model/events.js";
export {
  type Dependency,
  Experiment,
  type ExperimentInit,
  type LogTestOptions,
  type TagOptions,
} from "./model/experiment.js";
export type { LogMetricOptions, MetricPoint } from "./model/metricPoint.js";
export { Test, type TestInit } from "./model/test.js";
export { MAX_VALUE_DEPTH } from "./model/values.js";
export { type MergeDrop, mergeExperiments } from "./project/merge.js";
export {
  DUPLICATE_SLUG_WARNING,
  Project,
  type ProjectMode,
  type ProjectOptions,
  registry,
  type SaveOptions,
} from "./project/project.js";
export { Registry } from "./project/registry.js";
export { type Tabular, type TabularRow, toTabular } from "./project/tabular.js";
export * as release from "./release/index.js";
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
} from "./release/index.js";
export { Repository } from "./repository/repository.js";
export type {
  ExpiryOptions,
  RepositoryArtifact,
  RepositoryLoadOptions,
  RepositoryLogOptions,
  RepositoryMode,
  RepositoryOptions,
} from "./repository/types.js";
export type { ArtifactVersion, VersionMatch, VersionQuery } from "./repository/versions.js";
export { slugify } from "./slug/slug.js";
export {
  type CurrentFile,
  type FileChange,
  type FileContent,
  type FileParts,
  type FileSplice,
  type FileWrite,
  LocalStorage,
  MemoryStorage,
  type ObservableCurrentFile,
  type ObservableFileChange,
  type ObservableStorage,
  type S3AccessKey,
  type S3Credentials,
  S3Storage,
  type S3StorageOptions,
  type Storage,
  StorageError,
  type StorageOptions,
  type UpdateOptions,
  type Versioned,
  WriteManyError,
} from "./storage/index.js";
