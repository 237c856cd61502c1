// The commands of a README recipe, read from the README itself so that a test runs what a reader
// copies: every line of the section's ```sh blocks, less the lines of output shown after `#` and any
// comment after a command.

/** What a command line of a recipe may hold: words, no quoting, expansion, pipes or redirection. */
const PLAIN = /^[\w@%+=:,./-]+$/;

/** A section's ```sh command lines, each as its words; throws when the section has none. */
export function recipeCommands(readme: string, heading: string): string[][] {
  const lines = readme.split("\n");
  const start = lines.findIndex(
    (line) => /^#+ /.test(line) && line.replace(/^#+ /, "") === heading,
  );
  if (start < 0) throw new Error(`the README has no section "${heading}"`);
  const commands: string[][] = [];
  /** The language of the fenced block the line is in, or null outside one. */
  let block: string | null = null;
  for (const line of lines.slice(start + 1)) {
    if (block === null && /^#+ /.test(line)) break;
    if (line.startsWith("```")) {
      block = block === null ? line.slice(3).trim() : null;
      continue;
    }
    if (block !== "sh") continue;
    const command = line.replace(/(^|\s)#.*$/, "").trim();
    if (!command) continue;
    const words = command.split(/\s+/);
    const odd = words.find((word) => !PLAIN.test(word));
    if (odd !== undefined) {
      throw new Error(`"${heading}": ${JSON.stringify(odd)} in "${command}" needs a shell to read`);
    }
    commands.push(words);
  }
  if (commands.length === 0) throw new Error(`"${heading}" shows no command`);
  return commands;
}
