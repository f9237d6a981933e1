/** The reference writer's text of one record inside a project file, for the fast writers' tests. */
import {
  dumpsPyJsonSlowly,
  type FloatMarks,
  PROJECT_FILE_FORMAT,
} from "../../../src/format/pyjson/index.js";

/** The reference writer's text for one record inside a project file (its `marks` its own). */
export function referenceRecordText(record: object, marks: FloatMarks | undefined): string {
  const text = dumpsPyJsonSlowly(
    [record],
    PROJECT_FILE_FORMAT,
    marks === undefined ? {} : { 0: marks },
  );
  return text.slice("[\n    ".length, text.length - "\n]".length);
}
