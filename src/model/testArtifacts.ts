/**
 * Where a test's artifacts go: a folder of its own inside its experiment's folder, named by
 * the slug of the test's name, as Python's `experiment.path / slugify(test.name)`.
 *
 * @module
 */
import type { ArtifactLocation } from "../artifacts/collection.js";
import { slugify } from "../slug/slug.js";
import { joinPath } from "../storage/paths.js";
import type { Test } from "./test.js";

/**
 * The artifact folder of `test`, one of the experiment's `tests`, in the experiment's folder
 * (`experiment`). A name whose slug is empty (`"👍🏽"`) uses the experiment's own folder, as in
 * Python; tests whose names have the same slug share a folder, and `sharedBy` names the other
 * test that already has a file name.
 */
export function testArtifactLocation(
  test: Test,
  tests: readonly Test[],
  experiment: ArtifactLocation,
): ArtifactLocation {
  const slug = slugify(test.name);
  const sharedBy = (fname: string) => {
    const other = tests.find(
      (t) => t !== test && slugify(t.name) === slug && t.artifacts.some((a) => a.fname === fname),
    );
    return other === undefined ? undefined : `test "${other.name}"`;
  };
  return {
    folder: slug === "" ? experiment.folder : joinPath(experiment.folder, slug),
    storageOptions: experiment.storageOptions,
    sharedBy,
  };
}
