// Files a command writes, formatted as `npm run format` would (the repository's Prettier settings), so
// that the next `npm run lint` finds nothing to say about them.
import { writeFile } from "node:fs/promises";
import * as prettier from "prettier";

/** The text as Prettier formats it for that path. */
export async function formatted(path: string, text: string): Promise<string> {
  const config = await prettier.resolveConfig(path, { editorconfig: true });
  return prettier.format(text, { ...config, filepath: path });
}

/** Writes the text formatted. */
export async function writeFormatted(path: string, text: string): Promise<void> {
  await writeFile(path, await formatted(path, text));
}
