// `npm start` on a fresh data folder: the embedded database, the six subgraphs and the embedded OpenID
// provider come up with demo data, print their URLs and the demo accounts last (the services' info
// logs go to data/logs/<service>.log, the screen shows only the start's progress, warnings and
// errors), answer, take a spreadsheet through `npm run import:report` (its token by client credentials
// from that provider), restart a subgraph killed hard (logged on screen and in start.log), and all
// stop on SIGINT to the npm process (Ctrl-C, or `kill -INT`) with nothing left running.
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
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
  "npm start: everything compiled and started with demo data, the banner last and the logs in data/logs, a report imported, a killed subgraph restarted, all stopped on SIGINT to npm",
  { timeout: 240_000 },
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
    };
    // the services log at info, as a newcomer's would: their files take it, the screen does not
    delete env.LOG_LEVEL;
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
        /nothing imported[\s\S]*line 2, numerator: .*exceeds denominator/,
      );

      // after all that, nothing was printed below the banner: the services' lines went to their files
      const banner = "Project 06 progress graph is running:";
      const end = "Press Ctrl-C to stop.\n\n";
      expect(output.lastIndexOf("[start]")).toBeLessThan(output.indexOf(banner));
      expect(output.endsWith(end), output.slice(output.indexOf(end))).toBe(true);
      expect(output).not.toMatch(/^\[[\w-]+\] \{/m);
      expect(output).toMatch(/^\[start\] starting 6 subgraphs, then the gateway/m);
      expect(output).toMatch(/^logs: .*logs\/<service>\.log; here only warnings and errors/m);
      const logOf = (service: string) => readFile(join(dataDir, "logs", `${service}.log`), "utf8");
      for (const spec of subgraphs) {
        expect(await logOf(spec.name), spec.name).toContain(
          `"msg":"${spec.name} subgraph listening"`,
        );
      }
      expect(await logOf("gateway")).toContain('"msg":"gateway listening"');
      // the refused import (its operation has no name), logged after the banner, is in its file
      expect(await logOf("health")).toMatch(/"operation":null[^\n]*"errors":1/);
      expect(await logOf("start")).toMatch(/Z gateway ready in \d+\.\d s/);

      // a subgraph answers only the gateway, and says so: a warning, on screen below the banner
      expect((await post(ports.plan!, `{ agencies { code } }`)).errors).toEqual([
        {
          message: "the request is not signed by the gateway",
          extensions: { code: "UNAUTHENTICATED" },
        },
      ]);
      await expect
        .poll(() => output.slice(output.indexOf(end)), { timeout: 10_000 })
        .toMatch(/^\[plan\] WARN refused a request not from the gateway/m);

      // a subgraph killed hard is started again by the supervisor, which says so on screen and in
      // start.log, and answers again through the gateway
      const healthPid = (await processTree(child.pid!)).find((pid) =>
        readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("subgraphs/health/dist/index.js"),
      )!;
      process.kill(healthPid, "SIGKILL");
      const restarted = new RegExp(
        `\\[start\\] health \\(pid ${healthPid}\\) exited unexpectedly with signal SIGKILL after [\\d.]+ s; restarting in 0\\.5 s\n(?:.*\n)*?\\[start\\] health restarted \\(pid \\d+\\), restart 1`,
      );
      await expect.poll(() => output, { timeout: 60_000, interval: 500 }).toMatch(restarted);
      expect(await logOf("start")).toMatch(/health restarted \(pid \d+\), restart 1/);
      expect(
        await post(gatewayPort, `{ healthIndicators { code } }`).then((answer) => answer.errors),
      ).toBeUndefined();

      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(output).toContain("[start] stopped");
      for (const port of [dbPort, gatewayPort, oidcPort, ...Object.values(ports)]) {
        await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
      }
    } finally {
      // a failed run stops everything npm start started, not npm alone (its services run in groups
      // of their own, below start.ts)
      if (child.exitCode === null) {
        for (const pid of (await processTree(child.pid!)).reverse()) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // gone meanwhile
          }
        }
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  },
);
