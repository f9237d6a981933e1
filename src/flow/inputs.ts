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
  if (sources.length === 0) return of(inputs);
  if (sources.length === 1) {
    const slot = slots[0] as number;
    return (sources[0] as Observable<unknown>).pipe(
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
      for (let k = 0; k < slots.length; k++) args[slots[k] as number] = values[k];
      return args;
    }),
  );
}
