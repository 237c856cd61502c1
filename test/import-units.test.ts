// `npm run import:units -- FILE.csv` as the docs show it: the official list imported into the plan's
// database, imported again with nothing to change, and a file with a bad line refused whole.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { useTestDatabase } from "./support/database.js";

const database = useTestDatabase("import_units");
const officialList = join(repoRoot, "subgraphs/catalogue/src/reporting-units.csv");
let scratch: string | undefined;
afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const importUnits = (file: string) =>
  promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "scripts/import-reporting-units.ts", file],
    {
      cwd: repoRoot,
      env: { ...process.env, MONGODB_URI: database.uri, PLAN_DATABASE: database.name },
    },
  ).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

it("imports the official list, then finds nothing to change in it", async () => {
  const units = (await readFile(officialList, "utf8")).trim().split("\n").length - 1;
  const first = await importUnits(officialList);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toContain(`imported ${units} units from ${officialList}:`);
  expect(first.stdout).toMatch(new RegExp(`added ${units}:`));
  const again = await importUnits(officialList);
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/added 0: -/);
  expect(again.stdout).toContain(`unchanged ${units}`);
  expect(await database.db.collection("reportingunits").countDocuments()).toBeGreaterThan(0);
}, 60_000);

it("refuses a file with a bad line and changes nothing", async () => {
  scratch = await mkdtemp(join(tmpdir(), "p06-import-units-"));
  const bad = join(scratch, "bad.csv");
  await writeFile(bad, "code,name,type\n10507,Phường Thành Đông,phường\nnot-a-code,,\n");
  const before = await database.db.collection("reportingunits").countDocuments();
  const refused = await importUnits(bad);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain(`${bad}: nothing imported`);
  expect(await database.db.collection("reportingunits").countDocuments()).toBe(before);
}, 60_000);
