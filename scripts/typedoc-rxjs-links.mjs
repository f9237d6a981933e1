/**
 * TypeDoc plugin: the classes of the flow layer extend rxjs `Observable`, so TypeDoc documents the
 * inherited `forEach`, `toPromise`, `pipe`, `subscribe` with rxjs's own comments. Those comments
 * write `{@link firstValueFrom}` and the like without naming rxjs, a local reference TypeDoc
 * cannot resolve, and its `externalSymbolLinkMappings` option only applies to references that
 * name their package (`rxjs!firstValueFrom`). This resolver sends such bare references to the
 * URLs listed under `externalSymbolLinkMappings.rxjs` in typedoc.json, so the mapping stays in one
 * place and `invalidLink` validation stays on for everything else.
 */

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.addUnknownSymbolResolver((ref) => {
    if (ref.resolutionStart !== "local" || ref.moduleSource !== undefined) return undefined;
    const path = ref.symbolReference?.path;
    if (path?.length !== 1) return undefined;
    const rxjsLinks = app.options.getValue("externalSymbolLinkMappings").rxjs ?? {};
    const url = rxjsLinks[path[0].path];
    return typeof url === "string" ? url : undefined;
  });
}
