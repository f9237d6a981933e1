import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compactTimestamp } from "../../src/format/timestamps.js";

describe("compactTimestamp of a Date (the slug stamp, made once a second)", () => {
  it("gives the second's digits, the last millisecond of a second included", () => {
    expect(compactTimestamp(new Date(Date.UTC(2024, 2, 1, 10, 15, 30, 0)))).toBe("20240301101530");
    expect(compactTimestamp(new Date(Date.UTC(2024, 2, 1, 10, 15, 30, 999)))).toBe(
      "20240301101530",
    );
    expect(compactTimestamp(new Date(Date.UTC(2024, 2, 1, 10, 15, 31, 0)))).toBe("20240301101531");
    expect(compactTimestamp(new Date(Date.UTC(2024, 2, 1, 10, 15, 30, 500)))).toBe(
      "20240301101530",
    );
  });

  it("tells apart the seconds before the epoch", () => {
    expect(compactTimestamp(new Date(-1))).toBe("19691231235959");
    expect(compactTimestamp(new Date(0))).toBe("19700101000000");
    expect(compactTimestamp(new Date(-1000))).toBe("19691231235959");
    expect(compactTimestamp(new Date(-1001))).toBe("19691231235958");
  });

  it("gives each time's own second for any sequence of times", () => {
    const ms = fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) });
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            ms,
            ms.map((t) => t - (t % 1000)),
          ),
          { maxLength: 20 },
        ),
        (times) => {
          for (const t of times) {
            for (const date of [new Date(t), new Date(t + 1)]) {
              expect(compactTimestamp(date)).toBe(
                date.toISOString().slice(0, 19).replace(/[-T:]/g, ""),
              );
            }
          }
        },
      ),
    );
  });
});
