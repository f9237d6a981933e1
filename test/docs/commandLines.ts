/**
 * Checks a documented `lazyscribe ...` command line against the commander program: the
 * command (and subcommand) exists, every option is one of its own or of the program, an
 * option that takes a value has one, and the count of arguments fits what the command takes.
 */
import type { Command, Option } from "commander";

/** What is wrong with a command line (empty when nothing is). */
export function commandLineProblems(program: Command, line: string): string[] {
  const tokens = line
    .replace(/\s#.*$/, "")
    .trim()
    .split(/\s+/);
  if (tokens[0] !== program.name()) return [`"${line}" does not start with ${program.name()}`];
  let command = program;
  let index = 1;
  const path = [program.name()];
  for (;;) {
    const token = tokens[index];
    const sub = command.commands.find(
      (c) => c.name() === token || c.aliases().includes(token ?? ""),
    );
    if (token === undefined || sub === undefined) break;
    command = sub;
    path.push(sub.name());
    index++;
  }
  if (command === program) return [`"${line}": no command named ${JSON.stringify(tokens[1])}`];
  const problems: string[] = [];
  const where = `"${line}" (${path.join(" ")})`;
  const options = [...ancestry(command).flatMap((c) => c.options as readonly Option[])];
  let positionals = 0;
  for (; index < tokens.length; index++) {
    const token = tokens[index] as string;
    if (!token.startsWith("-") || token === "-") {
      positionals++;
      continue;
    }
    if (token === "--help" || token === "-h") continue;
    const [flag, inline] = token.split("=", 2) as [string, string | undefined];
    const option = options.find((o) => o.long === flag || o.short === flag);
    if (option === undefined) {
      problems.push(`${where}: no option ${flag}`);
      continue;
    }
    if (option.required && inline === undefined) {
      const value = tokens[index + 1];
      if (value === undefined || value.startsWith("-"))
        problems.push(`${where}: ${flag} needs a value`);
      else index++;
    }
  }
  const args = command.registeredArguments;
  const least = args.filter((a) => a.required).length;
  const most = args.some((a) => a.variadic) ? Number.POSITIVE_INFINITY : args.length;
  if (positionals < least || positionals > most) {
    const wanted = least === most ? `${least}` : `${least} to ${most}`;
    problems.push(`${where}: takes ${wanted} arguments, given ${positionals}`);
  }
  return problems;
}

function ancestry(command: Command): Command[] {
  const chain: Command[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) chain.push(c);
  return chain;
}
