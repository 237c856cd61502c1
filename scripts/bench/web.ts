// `npm run bench:web`: the dashboard's first page on the demo data (January 2026 to the last complete
// month), in headless Chromium: the JavaScript it is sent (as sent, gzipped, and its size unpacked)
// and the time from navigation until the overview shows its indicator table, first with the answer
// still to compute, then with the gateway's kept answer; each in a fresh browser context (nothing
// cached). Writes scripts/bench/web.results.json.
import { parseArgs } from "node:util";
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../../test/support/browser.js";
import { repoRoot } from "../lib/ferretdb.js";
import { ensureWebBuilt } from "../lib/web.js";
import { log, machine, openBenchDatabase, startBenchSystem } from "./harness.js";

// it takes no options: an unknown one is refused before anything starts
parseArgs({ options: {} });

const TABLE_ROW = '[data-testid="indicators"] tbody tr[data-key]';
const RUNS = 5;

await ensureWebBuilt(log);
const database = await openBenchDatabase("today");
// the page is opened signed in with a pasted token: the benchmark times the overview, not a sign-in
const system = await startBenchSystem(database, { gatewayEnv: { DASHBOARD_TOKEN_PASTE: "1" } });
const browser = await launchChromium();
try {
  const base = system.gatewayUrl.replace(/\/graphql$/, "");
  const token = await system.token("IOC");
  const runs: { tableMs: number; scripts: { url: string; bytes: number; sent: number }[] }[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    // signed in, as a developer who pasted the token before (the page reads it from sessionStorage
    // where the gateway allows pasting one)
    await context.addInitScript({
      content: `sessionStorage.setItem("p06.token", ${JSON.stringify(token)});`,
    });
    const page = await context.newPage();
    const scripts: Promise<{ url: string; bytes: number; sent: number }>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script") return;
      scripts.push(
        (async () => {
          const body = await response.body();
          const sizes = await response.request().sizes();
          return {
            url: new URL(response.url()).pathname,
            bytes: body.length,
            sent: sizes.responseBodySize,
          };
        })(),
      );
    });
    await page.goto(`${base}/`);
    await page.waitForSelector(TABLE_ROW, { timeout: 60_000 });
    const tableMs = await page.evaluate(() => performance.now());
    if (run === 0) {
      if ((await page.locator('[data-testid="demo-mark"]').count()) !== 1)
        throw new Error("the demo-data mark is not shown on the demo data");
      mkdirSync(join(repoRoot, "test-results-web"), { recursive: true });
      await page.screenshot({ path: join(repoRoot, "test-results-web", "overview-demo.png") });
    }
    runs.push({ tableMs: Math.round(tableMs), scripts: await Promise.all(scripts) });
    log(`run ${run + 1}: overview table after ${Math.round(tableMs)} ms`);
    await context.close();
  }
  const first = runs[0]!.scripts;
  const gzipped = await Promise.all(
    first.map(async (script) => {
      const file = join(repoRoot, "gateway", "web", "dist", script.url);
      return gzipSync(await readFile(file), { level: 9 }).length;
    }),
  );
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const results = {
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    data: "demo data, January 2026 to the month before this one, as it stands today",
    firstPageScripts: first.map((s, i) => ({
      file: s.url,
      kb: kb(s.bytes),
      sentKb: kb(s.sent),
      gzip9Kb: kb(gzipped[i]!),
    })),
    firstPageJs: {
      kb: kb(first.reduce((n, s) => n + s.bytes, 0)),
      sentKb: kb(first.reduce((n, s) => n + s.sent, 0)),
      gzip9Kb: kb(gzipped.reduce((n, s) => n + s, 0)),
      budgetKb: 400,
    },
    overviewTableMs: {
      firstLoad: runs[0]!.tableMs,
      keptAnswerMedian: median(runs.slice(1).map((r) => r.tableMs)),
      runs: runs.map((r) => r.tableMs),
    },
  };
  log(JSON.stringify(results, null, 2));
  writeFileSync(
    join(repoRoot, "scripts", "bench", "web.results.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
} finally {
  await browser.close();
  await system.stop();
  await database.stop();
}
