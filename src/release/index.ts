/**
 * Releases, Python lazyscribe's `lazyscribe.release` module: the release model, its file,
 * releases made from configuration files, and minimal repositories that serve a release.
 *
 * @module
 */
export * from "./config.js";
export * from "./file.js";
export * from "./fromRelease.js";
export * from "./release.js";
