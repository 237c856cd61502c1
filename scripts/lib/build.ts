// The build (`npm run build`): every workspace package compiled to JavaScript in its own dist/, beside src/ and
// with the same layout, so paths a module finds from `import.meta.url` (its schema.graphql, the
// catalogue's files, the gateway's operations) hold in both. Types are checked by `npm run
// check-types`; this only transpiles (esbuild, one file at a time), which takes about a second.
// Packages export their dist/ under the "p06-dist" condition: `node --conditions=p06-dist` runs the
// build, every other tool (tsx, vitest, tsc) reads the TypeScript sources.
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { build } from "esbuild";
import { repoRoot } from "./ferretdb.js";

/** The workspace packages, relative to the repository root. */
export async function workspacePackages(): Promise<string[]> {
  const subgraphDirs = await readdir(join(repoRoot, "subgraphs"), { withFileTypes: true });
  return [
    "gateway",
    ...subgraphDirs
      .filter((entry) => entry.isDirectory())
      .map((entry) => `subgraphs/${entry.name}`),
  ];
}

/**
 * The node flag that runs compiled services: packages resolve to their dist/. Stack traces name the
 * compiled files, which keep the sources' names and shape; `--enable-source-maps` would map them to
 * src/ but costs each process about a quarter of a second at start (every package's maps parsed).
 */
export const COMPILED_NODE_FLAGS = ["--conditions=p06-dist"];

/** Where the build puts a source file: `gateway/src/index.ts` -> `gateway/dist/index.js`. */
export function compiledPath(sourcePath: string): string {
  if (!/(^|\/)src\//.test(sourcePath) || !sourcePath.endsWith(".ts")) {
    throw new Error(`${sourcePath} is not a TypeScript file under a package's src/`);
  }
  return sourcePath.replace(/(^|\/)src\//, "$1dist/").replace(/\.ts$/, ".js");
}

/** Compiles one package's src/ into dist/ (cleared first), copying its data files as they are. */
async function buildPackage(packageDir: string): Promise<number> {
  const src = join(repoRoot, packageDir, "src");
  const dist = join(repoRoot, packageDir, "dist");
  await rm(dist, { recursive: true, force: true });
  const files = (await readdir(src, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
  const sources = files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"));
  await build({
    entryPoints: sources,
    outbase: src,
    outdir: dist,
    format: "esm",
    platform: "node",
    target: "node20.19",
    // Node 20.19 reads `with { type: "json" }`, which the catalogue's JSON imports need
    supported: { "import-attributes": true },
    sourcemap: "linked",
    logLevel: "warning",
  });
  for (const file of files.filter((file) => !file.endsWith(".ts"))) {
    const target = join(dist, relative(src, file));
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file, target);
  }
  return sources.length;
}

/** Compiles every workspace package; resolves to the number of modules compiled. */
export async function buildPackages(log: (line: string) => void = () => {}): Promise<number> {
  const started = Date.now();
  const counts = await Promise.all((await workspacePackages()).map(buildPackage));
  const modules = counts.reduce((sum, count) => sum + count, 0);
  log(`compiled ${modules} modules in ${Date.now() - started} ms`);
  return modules;
}
