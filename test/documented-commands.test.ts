// Every command the README and docs/ show is run by a test: `npm test` runs its own chain (lint, type
// checks, the composition check), a test names the command or its script for the rest, and the
// benchmarks (minutes each, measured apart) are run here far enough to prove that they start and
// refuse a bad argument. And every link between the documents leads to a heading that exists.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";

const documents = [
  "README.md",
  ...readdirSync(join(repoRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
const text = (path: string) => readFileSync(join(repoRoot, path), "utf8");
const scripts = (JSON.parse(text("package.json")) as { scripts: Record<string, string> }).scripts;

/** The scripts the documents show as `npm run NAME`. */
const documented = [
  ...new Set(
    documents.flatMap((path) =>
      [...text(path).matchAll(/npm run (?:-s |--silent )?([a-z][\w:-]*)/g)].map(
        ([, name]) => name!,
      ),
    ),
  ),
].sort();

/** What `npm test` runs itself (its `test` script), and what it runs before (`pretest`). */
const runByNpmTest = new Set(
  [...`${scripts.test} ${scripts.pretest}`.matchAll(/npm run ([\w:-]+)/g)].map(([, name]) => name!),
);

/**
 * Commands run outside a test file, each with the proof that it is: CI's setup step, every run's global
 * setup, and lint (the same Prettier over the same files, checking what `format` writes).
 */
const RUN_ELSEWHERE: Record<string, () => boolean> = {
  setup: () => text(".ci/run").includes("npm run setup"),
  "build:web": () =>
    text("test/global-setup.ts").includes("ensureWebBuilt()") &&
    text("scripts/build-web.ts").includes("ensureWebBuilt"),
  format: () =>
    scripts.format === "prettier --write ." && scripts.lint!.includes("prettier --check ."),
};

const BENCHMARKS = Object.keys(scripts).filter(
  (name) => name === "bench" || name.startsWith("bench:") || name === "trace:scorecard",
);

/** The test sources, to find the tests that run a command (by its npm name or its script's file). */
function testSources(): string[] {
  const dirs = ["test", "gateway/test", ...subgraphDirs().map((dir) => `${dir}/test`)];
  return dirs.flatMap((dir) => {
    let names: string[] = [];
    try {
      names = readdirSync(join(repoRoot, dir)).filter((name) => /\.(test|e2e)\.ts$/.test(name));
    } catch {
      return [];
    }
    return names
      .filter((name) => name !== "documented-commands.test.ts")
      .map((name) => text(`${dir}/${name}`));
  });
}
function subgraphDirs(): string[] {
  return readdirSync(join(repoRoot, "subgraphs")).map((name) => `subgraphs/${name}`);
}

/** `tsx scripts/export-values.ts` -> `export-values.ts` (what a test that runs it names). */
const entryOf = (name: string) => /scripts\/([\w/-]+\.(?:ts|mjs))/.exec(scripts[name] ?? "")?.[1];

describe("the commands the documents show", () => {
  it("are the project's scripts", () => {
    expect(documented.length).toBeGreaterThan(20);
    expect(documented.filter((name) => !(name in scripts))).toEqual([]);
  });

  it("are each run by a test, or by npm test itself", () => {
    const sources = testSources().join("\n");
    const notRun = documented.filter((name) => {
      if (runByNpmTest.has(name) || BENCHMARKS.includes(name)) return false;
      if (RUN_ELSEWHERE[name]?.()) return false;
      const entry = entryOf(name);
      const named = new RegExp(`(npm run |["'])${name.replace(/[:-]/g, "\\$&")}["' ]`);
      return !named.test(sources) && !(entry && sources.includes(entry.split("/").at(-1)!));
    });
    expect(notRun).toEqual([]);
  });

  it.each(BENCHMARKS.filter((name) => documented.includes(name)))(
    "%s starts and refuses a bad argument before measuring anything",
    async (name) => {
      const run = await promisify(execFile)("npm", ["run", "-s", name, "--", "--size", "nope"], {
        cwd: repoRoot,
        timeout: 60_000,
      }).then(
        () => ({ code: 0, stderr: "" }),
        (error: { code?: number; stderr?: string }) => ({
          code: error.code,
          stderr: error.stderr ?? "",
        }),
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/--size must be|Unknown option '--size'/);
    },
    60_000,
  );
});

describe("the links between the documents", () => {
  const slug = (heading: string) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\- _]/gu, "")
      .replace(/ /g, "-");
  const headings = (path: string) => {
    let fenced = false;
    return text(path)
      .split("\n")
      .filter((line) => {
        if (line.startsWith("```")) fenced = !fenced;
        return !fenced && /^#{1,6} /.test(line);
      })
      .map((line) => slug(line.replace(/^#+ /, "").trim()));
  };

  it("lead to a document and a heading that exist", () => {
    const broken: string[] = [];
    for (const path of documents) {
      for (const [, target] of text(path).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const [file, anchor] = target!.split("#");
        const resolved = file ? join(path, "..", file).replace(/^\.\//, "") : path;
        let ok: boolean;
        try {
          ok = !anchor || headings(resolved).includes(anchor);
        } catch {
          ok = false;
        }
        if (!ok) broken.push(`${path}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
