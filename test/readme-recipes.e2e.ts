// The recipes of docs/adding-an-agency.md, "A new agency" and "Moving an indicator to its agency", run as the document
// writes them (their command lines read from it, so the two cannot drift apart), one after the other,
// in a temporary working copy whose stack `npm start` runs on moved ports: the new subgraph takes the
// port after the subgraphs', what the commands write passes `prettier --check`, and the indicators it
// takes, then the one moved to it, arrive with the plan's figures (never demo figures of its own).
import { spawn, type ChildProcess } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, expect, it } from "vitest";
import { portVariable, subgraphs } from "@p06/catalogue";
import { repoRoot } from "../scripts/lib/ferretdb.js";
import { recipeCommands } from "./support/readme-recipes.js";
import { workingCopy, type WorkingCopy } from "./support/working-copy.js";

const NEW_AGENCY = "A new agency";
const MOVING = "Moving an indicator to its agency";
const LIST = "subgraphs/catalogue/src/subgraphs.json";

/** Whether nothing listens on the port. */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

/**
 * The first of `size` free ports in a row, below the range the system takes connections' own ports
 * from (a connection made meanwhile could take one of them).
 */
async function freeBlock(size: number): Promise<number> {
  const range = await readFile("/proc/sys/net/ipv4/ip_local_port_range", "utf8").catch(() => "");
  const ephemeral = Number(range.trim().split(/\s+/)[0]) || 32_768;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 10_000 + Math.floor(Math.random() * (ephemeral - 10_000 - size));
    let free = true;
    for (let port = base; free && port < base + size; port += 1) free = await isFree(port);
    if (free) return base;
  }
  throw new Error(`no ${size} free ports in a row`);
}

interface Launched {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

let copy: WorkingCopy | undefined;
let env: NodeJS.ProcessEnv;
/** The ports npm start is given: the subgraphs' in a row, then the gateway's and the database's. */
let ports: { subgraphs: number[]; expected: number; gateway: number; database: number };
/** Every process group the test started, each killed at the end whatever happened. */
const groups = new Set<number>();
let stack: Launched | undefined;

/** Starts a command in the copy in a process group of its own. */
function launch(words: string[]): Launched {
  const child = spawn(words[0]!, words.slice(1), {
    cwd: copy!.root,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  groups.add(child.pid!);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
}

const killGroup = (pid: number) => {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // the group has ended
  }
};

/** `npm start`, once it prints that it runs. */
async function startStack(): Promise<Launched> {
  const started = launch(["npm", "start"]);
  let ended = false;
  void started.exited.then(() => (ended = true));
  const deadline = Date.now() + 240_000;
  while (!started.output().includes("Press Ctrl-C to stop.")) {
    if (ended || Date.now() > deadline) {
      killGroup(started.child.pid!);
      throw new Error(`npm start did not come up:\n${started.output().slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return started;
}

/** Ctrl-C, as a person stops it: npm passes the signal on; whatever is left is killed. */
async function stopStack(): Promise<void> {
  if (!stack) return;
  const { child, exited } = stack;
  stack = undefined;
  child.kill("SIGINT");
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    exited,
    new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 30_000))),
  ]);
  clearTimeout(timer);
  killGroup(child.pid!);
  expect(code, "npm start stopped on Ctrl-C").toBe(0);
}

/** Runs a recipe's commands in order; `npm start` stops the running stack and starts it again. */
async function follow(heading: string): Promise<Map<string, string>> {
  const readme = await readFile(join(repoRoot, "docs/adding-an-agency.md"), "utf8");
  const outputs = new Map<string, string>();
  for (const words of recipeCommands(readme, heading)) {
    const line = words.join(" ");
    if (line === "npm start") {
      await stopStack();
      stack = await startStack();
      outputs.set(line, stack.output());
      continue;
    }
    const run = launch(words);
    const code = await run.exited;
    killGroup(run.child.pid!);
    expect(code, `${line}\n${run.output()}`).toBe(0);
    outputs.set(line, run.output());
  }
  return outputs;
}

const commandOf = (outputs: Map<string, string>, start: string) => {
  const line = [...outputs.keys()].find((key) => key.startsWith(start));
  expect(line, `the recipe runs ${start}`).toBeDefined();
  return { line: line!, output: outputs.get(line!)! };
};

interface Indicator {
  __typename: string;
  series: { period: string; numerator: number; denominator: number; value: number }[];
}

/** An indicator's type and city series, read through the gateway (npm start lets anyone read). */
async function indicator(code: string): Promise<Indicator> {
  const response = await fetch(`http://127.0.0.1:${ports.gateway}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `query ($code: ID!) { indicator(code: $code) { __typename series { period numerator denominator value } } }`,
      variables: { code },
    }),
  });
  const body = (await response.json()) as { data?: { indicator: Indicator }; errors?: unknown };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data!.indicator;
}

/** Files of the copy that `prettier --check` would complain about. */
async function unformatted(paths: string[]): Promise<string[]> {
  const bad: string[] = [];
  for (const path of paths) {
    const file = join(copy!.root, path);
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    if (!(await prettier.check(await readFile(file, "utf8"), options))) bad.push(path);
  }
  return bad;
}

const listEntry = async (name: string) =>
  (
    JSON.parse(await readFile(join(copy!.root, LIST), "utf8")) as {
      name: string;
      port: number;
      indicators?: string[];
    }[]
  ).find((spec) => spec.name === name);

/** What the plan serves before the recipes: the figures that must arrive unchanged. */
const before: Record<string, Indicator> = {};

beforeAll(async () => {
  copy = await workingCopy({ installable: true });
  const base = await freeBlock(subgraphs.length + 4);
  ports = {
    subgraphs: subgraphs.map((_, i) => base + i),
    expected: base + subgraphs.length,
    gateway: base + subgraphs.length + 2,
    database: base + subgraphs.length + 3,
  };
  env = {
    ...process.env,
    P06_DB_PORT: String(ports.database),
    GATEWAY_PORT: String(ports.gateway),
    LOG_LEVEL: "warn",
    ...Object.fromEntries(
      subgraphs.map((spec, i) => [portVariable(spec.name), String(ports.subgraphs[i])]),
    ),
  };
  // as a person runs them: the embedded database, no test mode
  delete env.MONGODB_URI;
  delete env.NODE_ENV;
  // the README's first command: the stack with its demo data
  stack = await startStack();
  for (const code of ["II.2", "II.6"]) before[code] = await indicator(code);
}, 300_000);

afterAll(async () => {
  await stopStack().catch(() => {});
  for (const pid of groups) killGroup(pid);
  await copy?.remove();
}, 60_000);

it("the plan serves DOIT's II.2 and II.6 with figures before the agency joins", () => {
  for (const code of ["II.2", "II.6"]) {
    expect(before[code]!.__typename).toBe("PlanIndicator");
    expect(before[code]!.series.length).toBeGreaterThan(3);
  }
});

it(
  `"${NEW_AGENCY}" as written: the port after the moved ones, formatted files, II.2 with the plan's figures`,
  { timeout: 420_000 },
  async () => {
    const outputs = await follow(NEW_AGENCY);
    const created = commandOf(outputs, "npm run new:subgraph");
    expect(created.output).toContain(`added industry-trade to ${LIST} (port ${ports.expected})`);
    expect(created.output).toContain("the plan keeps II.6, II.8, which DOIT also tracks first");
    // it names the plan's figures and the command that moves them: the recipe's next line
    const moved = commandOf(outputs, "npm run move:indicator");
    expect(created.output).toContain("the plan's database holds figures of II.2");
    expect(created.output).toContain(`  ${moved.line}\n`);
    expect(moved.output).toContain("switch: done before");
    expect(moved.output).toMatch(/retire: the plan's copy of II\.2 deleted/);

    expect(await listEntry("industry-trade")).toEqual({
      name: "industry-trade",
      prefix: "IndustryTrade",
      port: ports.expected,
      agencies: ["DOIT"],
      indicators: ["II.2"],
    });
    const written = (
      await readdir(join(copy!.root, "subgraphs/industry-trade"), { recursive: true })
    )
      .filter((path) => /\.(ts|json|graphql)$/.test(path))
      .map((path) => `subgraphs/industry-trade/${path}`);
    expect(written).toHaveLength(6);
    expect(await unformatted([LIST, ...written])).toEqual([]);

    expect(outputs.get("npm start")).toContain(
      `${"industry-trade".padEnd(16)} http://127.0.0.1:${ports.expected}/graphql`,
    );
    expect(await indicator("II.2")).toEqual({
      __typename: "IndustryTradeIndicator",
      series: before["II.2"]!.series,
    });
  },
);

it(`"${MOVING}" as written: II.6 with the plan's figures`, { timeout: 300_000 }, async () => {
  const outputs = await follow(MOVING);
  expect(commandOf(outputs, "npm run move:indicator").output).toContain(
    "switch: II.6 added to industry-trade's indicators in subgraphs.json",
  );
  expect((await listEntry("industry-trade"))!.indicators).toEqual(["II.2", "II.6"]);
  expect(await unformatted([LIST])).toEqual([]);
  expect(await indicator("II.6")).toEqual({
    __typename: "IndustryTradeIndicator",
    series: before["II.6"]!.series,
  });
  expect((await indicator("II.2")).series).toEqual(before["II.2"]!.series);
});
