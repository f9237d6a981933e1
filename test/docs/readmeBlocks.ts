/**
 * The fenced code blocks of a Markdown file, each with its language, the `##` and `###`
 * headings it sits under and its line number, so a test can run the README's samples as a
 * reader would copy them.
 */

/** One fenced code block. */
export interface CodeBlock {
  /** The fence's info string's first word (`ts`, `sh`), or `""`. */
  readonly lang: string;
  /** The text between the fences, ending with a newline. */
  readonly code: string;
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest `## ` heading above the block (without the hashes), or `""`. */
  readonly section: string;
  /** The nearest `### ` heading since that `## ` heading, or `""`. */
  readonly subsection: string;
}

const FENCE = /^(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * Splits Markdown into its fenced code blocks.
 *
 * @throws Error naming the line of a fence that is never closed.
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let section = "";
  let subsection = "";
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index] as string;
    const open = FENCE.exec(text);
    if (open === null) {
      if (text.startsWith("## ")) {
        section = text.slice(3).trim();
        subsection = "";
      } else if (text.startsWith("### ")) {
        subsection = text.slice(4).trim();
      }
      continue;
    }
    const fence = open[1] as string;
    const body: string[] = [];
    let close = index + 1;
    while (close < lines.length && !isClosing(lines[close] as string, fence)) {
      body.push(lines[close] as string);
      close++;
    }
    if (close === lines.length) {
      throw new Error(`line ${index + 1}: the code fence ${fence} is never closed`);
    }
    const code = body.length === 0 ? "" : `${body.join("\n")}\n`;
    blocks.push({ lang: open[2] ?? "", code, line: index + 1, section, subsection });
    index = close;
  }
  return blocks;
}

function isClosing(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && trimmed.slice(fence.length).replace(/[`~]/g, "") === "";
}

/** A block's place for test names and messages: `README.md:40 (Use)`. */
export function blockLabel(file: string, block: CodeBlock): string {
  const heading =
    block.subsection === "" ? block.section : `${block.section} › ${block.subsection}`;
  return `${file}:${block.line} (${heading})`;
}
