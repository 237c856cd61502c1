// `npm start` on a fresh data folder: the embedded database, the six subgraphs and the embedded OpenID
// provider come up with demo data, print their URLs and the demo accounts, answer, take a spreadsheet
// through `npm run import:report` (its token by client credentials from that provider), and all stop
// on SIGINT to the npm process (Ctrl-C, or `kill -INT`) with nothing left running.
import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { currentPeriod, reportCsv } from "@p06/subgraph-kit";
import { freePort, repoRoot } from "../scripts/lib/ferretdb.js";
import { processTree } from "../scripts/lib/processes.js";
import { portVariable, subgraphs } from "@p06/catalogue";

const run = promisify(execFile);

it(
  "npm start: everything compiled and started with demo data, a report imported, all stopped on SIGINT to npm",
  { timeout: 180_000 },
  async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "p06-start-"));
    const dbPort = await freePort();
    const gatewayPort = await freePort();
    const oidcPort = await freePort();
    const ports: Record<string, number> = {};
    for (const spec of subgraphs) ports[spec.name] = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      P06_DATA_DIR: dataDir,
      P06_DB_PORT: String(dbPort),
      P06_DEMO_DATA: "1",
      GATEWAY_PORT: String(gatewayPort),
      OIDC_PORT: String(oidcPort),
      LOG_LEVEL: "warn",
    };
    for (const spec of subgraphs) env[portVariable(spec.name)] = String(ports[spec.name]);
    delete env.MONGODB_URI;
    // through npm, as a newcomer runs it: npm passes the signal on only to the process it started
    const child = spawn("npm", ["start"], {
      cwd: repoRoot,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    // reads through the gateway (npm start lets the playground read without a token)
    const post = async (port: number, query: string) => {
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    try {
      const deadline = Date.now() + 150_000;
      while (
        !output.includes("Press Ctrl-C to stop.") &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (const spec of subgraphs) {
        expect(output).toContain(
          `${spec.name.padEnd(16)} http://127.0.0.1:${ports[spec.name]}/graphql`,
        );
      }
      expect(output).toContain(`gateway          http://127.0.0.1:${gatewayPort}/graphql`);
      expect(output).toContain(`sign-in          http://127.0.0.1:${oidcPort} (OpenID provider`);
      expect(output).toContain("demo accounts (password HaiPhong@06):");
      expect(output).toMatch(/ {2}doh\.canbo +DOH data-officer +Nguyễn Thị Lan/);
      // every service runs from the build with node, as in production: no TypeScript compiled at start
      expect(output).toMatch(/\[start\] compiled \d+ modules/);
      const commands = await Promise.all(
        (await processTree(child.pid!)).map((pid) =>
          readFile(`/proc/${pid}/cmdline`, "utf8").then((line) => line.split("\0").join(" ")),
        ),
      );
      for (const entry of [
        "gateway",
        "gateway/dist/oidc",
        ...subgraphs.map((spec) => `subgraphs/${spec.name}`),
      ]) {
        const command = commands.find((line) =>
          line.includes(entry.includes("/dist/") ? `${entry}/index.js` : `${entry}/dist/index.js`),
        );
        expect(command, entry).toMatch(/--conditions=p06-dist/);
        expect(command, entry).not.toMatch(/tsx/);
      }
      expect(output).toContain(`playground       http://127.0.0.1:${gatewayPort}/playground/`);
      // a subgraph answers only the gateway
      expect((await post(ports.plan!, `{ agencies { code } }`)).errors).toEqual([
        {
          message: "the request is not signed by the gateway",
          extensions: { code: "UNAUTHENTICATED" },
        },
      ]);
      expect(await post(gatewayPort, `{ reportingUnit(code: "31") { name kind } }`)).toEqual({
        data: { reportingUnit: { name: "Thành phố Hải Phòng", kind: "CITY" } },
      });
      // demo data as it stands today: every commune reported the identity indicator III.3 every
      // month up to the month before this one, whose reports may still be coming in
      const identity = await post(
        gatewayPort,
        `{ identityIndicators { code citySeries { period reportingUnits } } }`,
      );
      const series = (
        identity.data?.identityIndicators as {
          code: string;
          citySeries: { period: string; reportingUnits: number }[];
        }[]
      ).find((i) => i.code === "III.3")!.citySeries;
      expect(series.length).toBeGreaterThanOrEqual(10);
      expect(series.slice(0, -1).every((month) => month.reportingUnits === 114)).toBe(true);
      expect(series.at(-1)!.reportingUnits).toBeGreaterThan(0);
      expect(series.at(-1)!.period < currentPeriod(new Date())).toBe(true);

      // `npm run import:report` with one figure, good then bad
      const importReport = async (name: string, numerator: number) => {
        const file = join(dataDir, name);
        await writeFile(
          file,
          reportCsv([{ indicator: "II.12", unit: "10507", numerator, denominator: 10 }]),
        );
        // no token given: DOH's importer gets one from npm start's provider by client credentials,
        // its secret where npm start keeps it (the moved data folder, P06_DATA_DIR)
        const args = ["--subgraph", "health", "--period", "2025-12", file];
        return run(process.execPath, ["--import", "tsx", "scripts/import-report.ts", ...args], {
          cwd: repoRoot,
          env,
        });
      };
      const imported = await importReport("report.csv", 7);
      expect(imported.stdout).toContain("imported 2025-12 for II.12: 1 new, 0 replaced");
      const refused = await importReport("bad.csv", 11).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(refused).toMatchObject({ code: 1 });
      expect((refused as { stderr: string }).stderr).toMatch(
        /nothing imported[\s\S]*line 2: .*exceeds denominator/,
      );

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(output).toContain("[start] stopped");
      for (const port of [dbPort, gatewayPort, oidcPort, ...Object.values(ports)]) {
        await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      }
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
