// The recipes' commands on their own: `new:subgraph` and `move:indicator` take --help, say at once
// what they need running when the database is not there, write files `prettier --check` accepts, and
// a new subgraph's port comes after the ports the subgraphs are given, moved or not.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as prettier from "prettier";
import { afterAll, describe, expect, it } from "vitest";
import { portVariable, subgraphs } from "@p06/catalogue";
import { connectForCommand, DatabaseUnreachable } from "../scripts/lib/command-database.js";
import { freePort, repoRoot } from "../scripts/lib/ferretdb.js";
import { writeFormatted } from "../scripts/lib/formatted.js";
import { planNewSubgraph } from "../scripts/lib/new-subgraph.js";

const run = promisify(execFile);

/** A command run as `npm run` runs it; its exit code and output whatever the code. */
const command = (script: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  run(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );

describe("--help", () => {
  it("new:subgraph and move:indicator print their usage and exit 0", async () => {
    const created = await command("scripts/new-subgraph.ts", ["--help"]);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toMatch(/^usage: npm run new:subgraph -- --name <name> --agency/);
    expect(created.stdout).toContain("Needs nothing running");
    const moved = await command("scripts/move-indicator.ts", ["--help"]);
    expect(moved).toMatchObject({ code: 0, stderr: "" });
    expect(moved.stdout).toMatch(/^usage: npm run move:indicator -- <indicator>/);
    expect(moved.stdout).toContain("Needs the database running");
  }, 30_000);
});

describe("a command that needs the database, with none there", () => {
  const silent: Server = createServer((socket: Socket) => sockets.push(socket));
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("move:indicator names what to start, without waiting for the driver", async () => {
    const env = { P06_DB_PORT: String(await freePort()), MONGODB_URI: "" };
    const refused = await command("scripts/move-indicator.ts", ["II.6", "--to", "health"], env);
    // checked against the catalogue first: II.6 is not the health agency's
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("II.6 is tracked first by DOIT");
    const started = Date.now();
    const down = await command("scripts/move-indicator.ts", ["II.12", "--to", "health"], env);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /needs the database: the database is not running at mongodb:\/\/127\.0\.0\.1:\d+\/: start it with `npm run db -- start` or `npm start`, or set MONGODB_URI/,
    );
    // the process's own start-up (tsx, the kit) is most of it; the driver waited 30 s
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it("a port nothing listens on is refused at once", async () => {
    const uri = `mongodb://127.0.0.1:${await freePort()}/`;
    const started = Date.now();
    await expect(connectForCommand(uri, "p06_plan", {})).rejects.toThrow(DatabaseUnreachable);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("a server that never answers is given up after two seconds", async () => {
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    const failed = connectForCommand(`mongodb://127.0.0.1:${port}/`, "p06_plan", {});
    await expect(failed).rejects.toThrow(DatabaseUnreachable);
    await expect(failed).rejects.toThrow("start it with `npm run db -- start` or `npm start`");
    expect(Date.now() - started).toBeLessThan(5_000);
  }, 10_000);
});

describe("new:subgraph's request", () => {
  const request = { name: "industry-trade", agencies: ["DOIT"], commune: ["II.2"] };
  const moved = (base: number) =>
    Object.fromEntries(subgraphs.map((spec, i) => [portVariable(spec.name), String(base + i)]));

  it("takes the port after the list's, or after the ports P06_<NAME>_PORT moves them to", () => {
    expect(planNewSubgraph(request, {}).spec.port).toBe(4107);
    expect(planNewSubgraph(request, moved(5101)).spec.port).toBe(5107);
    // on none the gateway or the database is given
    expect(planNewSubgraph(request, { ...moved(5101), GATEWAY_PORT: "5107" }).spec.port).toBe(5108);
    expect(
      planNewSubgraph(request, { ...moved(5101), GATEWAY_PORT: "5107", P06_DB_PORT: "5108" }).spec
        .port,
    ).toBe(5109);
    expect(() => planNewSubgraph({ ...request, port: 5103 }, moved(5101))).toThrow(
      "--port 5103: taken by the procedures subgraph",
    );
  });

  it("takes every indicator its agencies track first unless told, and names what the plan keeps", () => {
    const every = planNewSubgraph(request, {});
    expect(every.indicators.map((i) => i.code)).toEqual(["II.2", "II.6", "II.8"]);
    expect(every.kept).toEqual([]);
    const one = planNewSubgraph({ ...request, indicators: ["II.2"] }, {});
    expect(one.indicators.map((i) => i.code)).toEqual(["II.2"]);
    expect(one.kept.map((i) => i.code)).toEqual(["II.6", "II.8"]);
  });
});

it("writes files as `prettier --check` wants them", async () => {
  const dir = await mkdtemp(join(tmpdir(), "p06-formatted-"));
  try {
    const file = join(dir, "subgraphs.json");
    const list = subgraphs.map(({ name, prefix, port, agencies }) => ({
      name,
      prefix,
      port,
      agencies,
    }));
    await writeFormatted(file, JSON.stringify(list));
    const text = await readFile(file, "utf8");
    const options = await prettier.resolveConfig(file);
    expect(await prettier.check(text, { ...options, filepath: file })).toBe(true);
    expect(JSON.parse(text)).toEqual(list);
    // the list's short entries on one line each, as in the repository
    expect(text.split("\n")[1]).toBe(
      '  { "name": "plan", "prefix": "Plan", "port": 4101, "agencies": [] },',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
