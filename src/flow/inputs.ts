/**
 * A task's inputs as one stream of argument lists: `combineLatest` over the inputs that give
 * values over time (tasks' streams and Observables), with the plain values in their places.
 * With no such input, the one argument list of the plain values.
 *
 * @module
 */
import { combineLatest, map, type Observable, of } from "rxjs";

/**
 * @internal The argument lists of a task whose inputs are `inputs`: `sourceOf(input)` is the
 * stream of an input that gives values over time, `undefined` for a plain value.
 */
export function combineInputs(
  inputs: readonly unknown[],
  sourceOf: (input: unknown) => Observable<unknown> | undefined,
): Observable<readonly unknown[]> {
  const slots: number[] = [];
  const sources: Observable<unknown>[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const source = sourceOf(inputs[i]);
    if (source !== undefined) {
      slots.push(i);
      sources.push(source);
    }
  }
  const [slot, ...more] = slots;
  if (slot === undefined) return of(inputs);
  // One streaming input (the common case): its values in place, without `combineLatest`.
  const streamed = more.length === 0 ? sources[0] : undefined;
  if (streamed !== undefined) {
    return streamed.pipe(
      map((value) => {
        const args = inputs.slice();
        args[slot] = value;
        return args;
      }),
    );
  }
  return combineLatest(sources).pipe(
    map((values) => {
      const args = inputs.slice();
      slots.forEach((at, k) => {
        args[at] = values[k];
      });
      return args;
    }),
  );
}
