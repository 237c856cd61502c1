// The IOC's web application (gateway/web): its GraphQL types generated from the checked-in
// supergraph and the client operations (GraphQL Code Generator), then bundled by Vite into
// gateway/web/dist, which the gateway serves at /. A Vite build takes seconds, so it runs only when
// what it is made from changed: a hash of those files is kept beside the build.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
// declared by the @p06/web workspace; the @graphql-tools versions pinned for Apollo Server are pinned
// under it alone (package.json overrides): GraphQL Code Generator needs newer ones
import { generate } from "@graphql-codegen/cli";
import { printSchema } from "graphql";
import { apiSchemaOf, operationsDir, supergraphPath } from "./composition.js";
import { repoRoot } from "./ferretdb.js";
import { withProgress } from "./progress.js";

export const webDir = join(repoRoot, "gateway", "web");
export const webDist = join(webDir, "dist");
const hashFile = join(webDist, ".sources-hash");
const generatedDir = join(webDir, "src", "graphql", "generated");

/** Every file the build is made from: the app's sources and config, the operations, the supergraph. */
async function sourceFiles(): Promise<string[]> {
  const tree = async (dir: string) =>
    (await readdir(dir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name))
      .filter((file) => !file.startsWith(generatedDir));
  return [
    ...(await tree(join(webDir, "src"))),
    ...(await tree(operationsDir)),
    join(webDir, "index.html"),
    join(webDir, "vite.config.ts"),
    join(webDir, "package.json"),
    // the agencies' names the header shows
    join(repoRoot, "subgraphs", "catalogue", "src", "agencies.json"),
    supergraphPath,
  ].sort();
}

async function sourcesHash(): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await sourceFiles()) {
    hash
      .update(relative(repoRoot, file))
      .update("\0")
      .update(await readFile(file))
      .update("\0");
  }
  return hash.digest("hex");
}

/** Types and typed documents of the client operations, from the supergraph's API schema. */
export async function generateWebTypes(): Promise<void> {
  const schema = printSchema(apiSchemaOf(await readFile(supergraphPath, "utf8")));
  await generate(
    {
      schema,
      documents: join(operationsDir, "*.graphql"),
      generates: {
        [`${generatedDir}/`]: {
          preset: "client",
          presetConfig: { fragmentMasking: false },
          config: {
            // the documents as strings: no GraphQL parser in the browser
            documentMode: "string",
            enumsAsTypes: true,
            useTypeImports: true,
            avoidOptionals: { field: true, inputValue: false },
          },
        },
      },
      silent: true,
    },
    true,
  );
}

/**
 * Builds the web application when it is missing or any of its sources changed since the last build;
 * resolves to whether it built.
 */
export async function ensureWebBuilt(
  log: (line: string) => void = () => {},
  options: { force?: boolean } = {},
): Promise<boolean> {
  const hash = await sourcesHash();
  const built = existsSync(hashFile) ? (await readFile(hashFile, "utf8")).trim() : null;
  if (!options.force && built === hash) return false;
  await withProgress(
    `building the web application (${!built ? "first build" : built === hash ? "forced" : "its sources changed"})`,
    log,
    async () => {
      await generateWebTypes();
      const { build } = await import("vite");
      // always the production bundle, also from the tests (vitest sets NODE_ENV=test, which would
      // make Vite bundle React's development build)
      const nodeEnv = process.env.NODE_ENV;
      process.env.NODE_ENV = "production";
      try {
        await build({
          root: webDir,
          configFile: join(webDir, "vite.config.ts"),
          mode: "production",
          logLevel: "warn",
        });
      } finally {
        if (nodeEnv === undefined) delete process.env.NODE_ENV;
        else process.env.NODE_ENV = nodeEnv;
      }
    },
  );
  await writeFile(hashFile, `${hash}\n`);
  return true;
}
