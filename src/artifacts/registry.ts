/**
 * The artifact handlers known to this runtime, by alias. The built-in `"json"` and `"v8"`
 * handlers are registered when the module loads; users add their own with
 * {@link registerHandler}.
 *
 * @module
 */
import { z } from "zod";
import { ArtifactLoadError, LazyscribeError, ValidationError } from "../errors.js";
import { ARTIFACT_KEYS } from "../format/schemas.js";
import type { ArtifactHandler, HandlerLike } from "./handler.js";
import { JsonHandler } from "./json.js";
import { V8Handler } from "./v8.js";

const handlers = new Map<string, ArtifactHandler>();

/** The shape every handler must have, checked when it is registered. */
const HandlerShapeSchema = z.object({
  alias: z
    .string()
    .min(1, "a handler needs a non-empty alias")
    .regex(/^[^\s/\\]+$/, "a handler alias cannot hold spaces or slashes"),
  suffix: z
    .string()
    .refine(
      (s) => !s.includes("/") && !s.includes("\\") && !s.includes("\u0000"),
      "a handler suffix cannot hold slashes or NUL bytes",
    )
    .refine((s) => s !== "." && s !== "..", "a handler suffix cannot be '.' or '..'"),
  binary: z.boolean(),
  write: z.custom<ArtifactHandler["write"]>(
    (f) => typeof f === "function",
    "write must be a function",
  ),
  read: z.custom<ArtifactHandler["read"]>(
    (f) => typeof f === "function",
    "read must be a function",
  ),
  facts: z.custom<ArtifactHandler["facts"]>(
    (f) => typeof f === "function",
    "facts must be a function",
  ),
});

/** Options of {@link registerHandler}. */
export interface RegisterHandlerOptions {
  /** Replace a handler already registered under the same alias (default false). */
  readonly replace?: boolean;
}

/**
 * Registers an artifact handler under its alias, so that `logArtifact(name, value, alias)`
 * and `loadArtifact` can use it.
 *
 * @param handler - a handler instance, or a handler class constructed without arguments.
 * @returns the registered handler instance.
 * @throws ValidationError when the handler lacks an alias, a suffix, `binary`, `read` or
 *   `write`, or when its facts use a key lazyscribe writes itself.
 * @throws LazyscribeError when the alias is taken and `replace` is not set.
 *
 * @example
 * ```ts
 * registerHandler(CsvHandler);
 * exp.logArtifact("rows", [["a", "b"]], "csv");
 * ```
 */
export function registerHandler(
  handler: HandlerLike,
  options: RegisterHandlerOptions = {},
): ArtifactHandler {
  const instance = typeof handler === "function" ? new handler() : handler;
  const shape = HandlerShapeSchema.safeParse({
    alias: instance?.alias,
    suffix: instance?.suffix,
    binary: instance?.binary,
    write: instance?.write,
    read: instance?.read,
    facts: instance?.facts,
  });
  if (!shape.success) {
    const issue = shape.error.issues[0];
    throw new ValidationError(`cannot register artifact handler: ${issue?.message}`, {
      path: issue?.path.map(String) ?? [],
    });
  }
  const clash = Object.keys(instance.facts()).find((key) => ARTIFACT_KEYS.has(key));
  if (clash !== undefined) {
    throw new ValidationError(
      `cannot register artifact handler "${instance.alias}": its fact "${clash}" is a key lazyscribe writes itself`,
    );
  }
  if (handlers.has(instance.alias) && options.replace !== true) {
    throw new LazyscribeError(
      `an artifact handler is already registered as "${instance.alias}"; pass { replace: true } to replace it`,
    );
  }
  handlers.set(instance.alias, instance);
  return instance;
}

/**
 * Removes the handler registered under `alias`, if any. Artifacts of that handler can then
 * no longer be logged or loaded (they are still kept and written back).
 *
 * @returns whether a handler was removed.
 */
export function unregisterHandler(alias: string): boolean {
  return handlers.delete(alias);
}

/** The handler registered under `alias`, or `undefined`. */
export function findHandler(alias: string): ArtifactHandler | undefined {
  return handlers.get(alias);
}

/** The aliases of the registered handlers, sorted. */
export function handlerAliases(): string[] {
  return [...handlers.keys()].sort();
}

/**
 * The handler registered under `alias`.
 *
 * @throws ArtifactLoadError naming the handler, when none is registered under `alias` (an
 *   artifact written by a Python-only handler such as `"pickle"`, say).
 */
export function getHandler(alias: string, artifact?: string): ArtifactHandler {
  const handler = handlers.get(alias);
  if (handler === undefined) throw unknownHandler(alias, artifact, ArtifactLoadError);
  return handler;
}

/** The error for an alias no handler is registered under. */
export function unknownHandler<E extends Error>(
  alias: string,
  artifact: string | undefined,
  ErrorClass: new (message: string) => E,
): E {
  const what = artifact === undefined ? "" : `artifact "${artifact}": `;
  return new ErrorClass(
    `${what}no artifact handler "${alias}" is registered in this runtime (known: ${handlerAliases().join(", ")}). ` +
      `Artifacts written by a handler this runtime lacks (Python's "pickle", say) are kept and written back, ` +
      `but can only be loaded after registerHandler() registers a handler for "${alias}".`,
  );
}

registerHandler(new JsonHandler());
registerHandler(new V8Handler());
