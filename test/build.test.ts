// The build (`npm run build`, run by the test setup): every module of every package compiled into its
// dist/ beside src/, and the data files the modules read beside them.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { compiledPath, workspacePackages } from "../scripts/lib/build.js";
import { repoRoot } from "../scripts/lib/ferretdb.js";

it("maps a source entry to its compiled file, and refuses what is not a package source", () => {
  expect(compiledPath("subgraphs/health/src/index.ts")).toBe("subgraphs/health/dist/index.js");
  expect(compiledPath("gateway/src/index.ts")).toBe("gateway/dist/index.js");
  expect(() => compiledPath("scripts/start.ts")).toThrow(/not a TypeScript file under/);
});

it("compiles every source file of every package and copies its data files", async () => {
  const packages = await workspacePackages();
  expect(packages).toEqual(expect.arrayContaining(["gateway", "subgraphs/kit", "subgraphs/plan"]));
  for (const dir of packages) {
    const files = await readdir(join(repoRoot, dir, "src"), { recursive: true });
    for (const file of files.filter((name) => /\.(ts|json|csv)$/.test(name))) {
      const built = file.endsWith(".ts") ? compiledPath(`src/${file}`) : `dist/${file}`;
      expect(existsSync(join(repoRoot, dir, built)), `${dir}/${built}`).toBe(true);
    }
  }
});
