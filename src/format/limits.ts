/**
 * The limits that both the reader and the writer of project files hold to, so that whatever
 * is saved can be read back, here and by Python.
 *
 * @module
 */
import { MAX_NESTING } from "./pyjson/limits.js";

/**
 * The deepest nesting of arrays and objects (the outermost counting as 1: `[]` is 1 level,
 * `[[1]]` 2) that a project, repository or release file may hold: 512. Python's `json`
 * recurses once per level and reads about 1,000 levels from the top of a script (fewer when
 * called from deeper down), so the limit sits well inside what both sides read. In a project
 * file the list of experiments, the record, its `tests` list, a test and its `parameters`
 * object take up to five of these levels. It is the Python-JSON reader's and writer's own
 * `MAX_NESTING`, so the three can never disagree.
 */
export const MAX_JSON_DEPTH: number = MAX_NESTING;
