/**
 * The metric and parameter names of the dashboard's summary rows. A compact row (see
 * `CompactRow`) names a metric or a parameter by its index in these lists rather than by
 * the name itself, which a table of 50,000 experiments would otherwise repeat a million
 * times. The lists only grow, so an index handed out once stays valid: a browser that holds
 * rows made earlier reads them with any later copy of the lists.
 *
 * @module
 */

/** The names a compact row's indexes stand for, as sent to the browser. */
export interface SummaryNamesJson {
  readonly metrics: readonly string[];
  readonly parameters: readonly string[];
}

/** A list of names, each at a fixed index. */
class NameList {
  readonly names: string[] = [];
  readonly #index = new Map<string, number>();

  indexOf(name: string): number {
    let index = this.#index.get(name);
    if (index === undefined) {
      index = this.names.length;
      this.names.push(name);
      this.#index.set(name, index);
    }
    return index;
  }
}

/** The growing lists of metric and parameter names of one dashboard's rows. */
export class SummaryNames {
  readonly #metrics = new NameList();
  readonly #parameters = new NameList();

  /** The index of a metric's name (given the next free one when new). */
  metric(name: string): number {
    return this.#metrics.indexOf(name);
  }

  /** The index of a parameter's name (given the next free one when new). */
  parameter(name: string): number {
    return this.#parameters.indexOf(name);
  }

  /** Both lists as they stand: every index handed out so far. */
  toJSON(): SummaryNamesJson {
    return { metrics: [...this.#metrics.names], parameters: [...this.#parameters.names] };
  }
}
