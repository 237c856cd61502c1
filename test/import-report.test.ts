// `npm run import:report` finds the gateway as the README says: --url, else GATEWAY_URL (its address
// or its /graphql), else the local gateway on GATEWAY_PORT. A stand-in gateway records what reaches
// it, and answers a page of HTML under /site, as a web server in front of it would.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reportCsv } from "@p06/subgraph-kit";
import { repoRoot } from "../scripts/lib/ferretdb.js";

const run = promisify(execFile);
let dir: string;
let file: string;
let server: Server;
let port: number;
const received: { path: string; authorization?: string; query: string }[] = [];
/** The subgraph's refusal of a file with three bad rows, as the gateway passes it on. */
const REFUSAL = {
  message: "the report has 3 problem(s); nothing was stored. First, line 3, numerator: ...",
  extensions: {
    code: "INVALID_REPORT",
    problems: [
      {
        line: 3,
        column: "numerator",
        code: "INVALID_VALUE",
        message: "numerator 12 exceeds denominator 10",
      },
      {
        line: 4,
        column: "unit",
        code: "UNKNOWN_REPORTING_UNIT",
        message: "reporting unit 99999 is not in the list of units",
      },
      { line: 5, code: "INVALID_REPORT", message: "II.12 for unit 10507 repeats line 2" },
    ],
  },
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-import-"));
  file = join(dir, "report.csv");
  await writeFile(
    file,
    reportCsv([{ indicator: "II.12", unit: "10507", numerator: 7, denominator: 10 }]),
  );
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.url?.startsWith("/site/")) {
        res.statusCode = 404;
        res.setHeader("content-type", "text/html");
        res.end("<!DOCTYPE html><title>Not found</title>");
        return;
      }
      if (req.url?.startsWith("/refusing/")) {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ errors: [REFUSAL] }));
        return;
      }
      received.push({
        path: req.url ?? "",
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        query: (JSON.parse(body) as { query: string }).query,
      });
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          data: { result: { period: "2026-10", created: 1, replaced: 0, indicators: ["II.12"] } },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

async function importReport(env: Record<string, string>) {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ["GATEWAY_URL", "GATEWAY_PORT", "P06_TOKEN"]) {
    if (!(name in env)) delete environment[name];
  }
  const args = ["--subgraph", "health", "--period", "2026-10", "--token", "t0ken", file];
  return run(process.execPath, ["--import", "tsx", "scripts/import-report.ts", ...args], {
    cwd: repoRoot,
    env: environment,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

it("sends the file to GATEWAY_URL, else to the local gateway on GATEWAY_PORT", async () => {
  const byUrl = await importReport({
    GATEWAY_URL: `http://127.0.0.1:${port}/p06/graphql`,
    GATEWAY_PORT: "1",
  });
  expect(byUrl).toMatchObject({ code: 0, stderr: "" });
  expect(byUrl.stdout).toContain("imported 2026-10 for II.12: 1 new, 0 replaced");
  const byPort = await importReport({ GATEWAY_PORT: String(port) });
  expect(byPort).toMatchObject({ code: 0, stderr: "" });
  // the gateway's address without /graphql does as well
  const byAddress = await importReport({ GATEWAY_URL: `http://127.0.0.1:${port}/p06/` });
  expect(byAddress).toMatchObject({ code: 0, stderr: "" });
  expect(received.map(({ path, authorization }) => [path, authorization])).toEqual([
    ["/p06/graphql", "Bearer t0ken"],
    ["/graphql", "Bearer t0ken"],
    ["/p06/graphql", "Bearer t0ken"],
  ]);
  expect(received[0]!.query).toContain("importHealthReport(input: $input)");
}, 30_000);

it("answers --help with its usage, and names the agency it needs a token for", async () => {
  const help = await run(
    process.execPath,
    ["--import", "tsx", "scripts/import-report.ts", "--help"],
    {
      cwd: repoRoot,
    },
  );
  expect(help.stderr).toMatch(/^usage: npm run import:report -- --subgraph NAME --period YYYY-MM/);
  const several = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "scripts/import-report.ts",
      "--subgraph",
      "social-security",
      "--period",
      "2026-10",
      file,
    ],
    { cwd: repoRoot, env: { ...process.env, P06_KEYS_DIR: dir } },
  ).catch((error: { code: number; stderr: string }) => error);
  expect(several).toMatchObject({
    code: 2,
    stderr: expect.stringContaining("name it with --agency (DOHA, VSS)"),
  });
}, 30_000);

it("names GATEWAY_URL when it is not a URL, and says when the gateway cannot be reached", async () => {
  const malformed = await importReport({ GATEWAY_URL: "localhost:4000" });
  expect(malformed.code).toBe(1);
  expect(malformed.stderr).toContain(
    'environment variable GATEWAY_URL must be an http(s) URL, got "localhost:4000"',
  );
  const closed = await importReport({ GATEWAY_URL: "http://127.0.0.1:1/graphql" });
  expect(closed.code).toBe(1);
  expect(closed.stderr).toContain("cannot reach the gateway at http://127.0.0.1:1/graphql");
  // an address that answers, but not as the gateway: its status and a hint, not a JSON parse error
  const html = await importReport({ GATEWAY_URL: `http://127.0.0.1:${port}/site` });
  expect(html.code).toBe(1);
  expect(html.stderr).toContain(
    `http://127.0.0.1:${port}/site/graphql answered 404 (text/html), not the gateway's JSON: is it the gateway's address?`,
  );
}, 30_000);

it("lists every bad row of a refused file, by line and column", async () => {
  const refused = await importReport({ GATEWAY_URL: `http://127.0.0.1:${port}/refusing` });
  expect(refused.code).toBe(1);
  expect(refused.stderr.trim().split("\n")).toEqual([
    `${file}: nothing imported. 3 problem(s), every bad row:`,
    "  line 3, numerator: numerator 12 exceeds denominator 10",
    "  line 4, unit: reporting unit 99999 is not in the list of units",
    "  line 5: II.12 for unit 10507 repeats line 2",
  ]);
}, 30_000);
