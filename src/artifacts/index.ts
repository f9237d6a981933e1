/**
 * Artifacts: values logged with experiments, tests and repositories, written to files by
 * handlers registered by alias.
 *
 * @module
 */
export {
  type ArtifactLocation,
  ArtifactSet,
  type LoadArtifactOptions,
  type LogArtifactOptions,
} from "./collection.js";
export {
  type ArtifactData,
  ArtifactHandler,
  type HandlerLike,
  type HandlerOptions,
} from "./handler.js";
export { JsonHandler, type JsonWriterOptions } from "./json.js";
export { checkFname, checkSegment } from "./paths.js";
export { defaultFname } from "./record.js";
export {
  findHandler,
  getHandler,
  handlerAliases,
  type RegisterHandlerOptions,
  registerHandler,
  unregisterHandler,
} from "./registry.js";
export { nodeMajorVersion, V8Handler } from "./v8.js";
