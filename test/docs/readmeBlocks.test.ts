/** The extraction of a Markdown file's fenced code blocks, with their headings and lines. */
import { describe, expect, it } from "vitest";
import { blockLabel, codeBlocks } from "./readmeBlocks.js";

describe("codeBlocks", () => {
  it("gives each block its language, text, line and headings", () => {
    const markdown = [
      "# Title", //  1
      "```sh", //    2
      "npm test", // 3
      "```", //      4
      "## Use", //   5
      "### Modes", // 6
      "````ts", //   7
      "const a = 1;", // 8
      "```", //      9: shorter than the opening fence, so part of the text
      "````", //     10
      "## Flows", // 11
      "```", //      12
      "```", //      13
    ].join("\n");
    expect(codeBlocks(markdown)).toEqual([
      { lang: "sh", code: "npm test\n", line: 2, section: "", subsection: "" },
      { lang: "ts", code: "const a = 1;\n```\n", line: 7, section: "Use", subsection: "Modes" },
      { lang: "", code: "", line: 12, section: "Flows", subsection: "" },
    ]);
  });

  it("does not read headings inside a block", () => {
    const blocks = codeBlocks("## A\n```sh\n## not a heading\n```\n```ts\nx;\n```\n");
    expect(blocks.map((b) => b.section)).toEqual(["A", "A"]);
  });

  it("names the line of a fence that is never closed", () => {
    expect(() => codeBlocks("text\n```ts\nconst a = 1;\n")).toThrow(
      "line 2: the code fence ``` is never closed",
    );
  });

  it("labels a block by its file, line and headings", () => {
    const [block] = codeBlocks("## Use\n### Modes\n```ts\nx;\n```\n");
    expect(block && blockLabel("README.md", block)).toBe("README.md:3 (Use › Modes)");
  });
});
