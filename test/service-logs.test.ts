// What npm start shows of its services: their warnings and errors, made readable, and lines that are
// not their JSON logs (a stack trace); every line goes to the service's file, the last start's kept.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it, vi } from "vitest";
import { ticker } from "../scripts/lib/progress.js";
import { openServiceLogs, screenLine } from "../scripts/lib/service-logs.js";

const pino = (level: number, msg: string, extra: object = {}) =>
  JSON.stringify({ level, time: 1, pid: 2, hostname: "vm", name: "health", ...extra, msg });

it("shows warnings and errors, and lines that are not JSON logs; info and below only go to the file", () => {
  expect(screenLine("health", pino(30, "health subgraph listening"))).toBeNull();
  expect(screenLine("health", pino(20, "debug"))).toBeNull();
  expect(screenLine("health", pino(40, "finished the writes", { finished: 2 }))).toBe(
    '[health] WARN finished the writes {"finished":2}',
  );
  expect(screenLine("gateway", pino(50, "subgraph away"))).toBe("[gateway] ERROR subgraph away");
  expect(screenLine("health", "    at main (file.js:1:1)")).toBe(
    "[health]     at main (file.js:1:1)",
  );
  expect(screenLine("health", "{ not json")).toBe("[health] { not json");
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("files every line of a service in its own file, keeping the last start's beside it", async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-logs-"));
  await writeFile(join(dir, "health.log"), "the last start\n");
  const screen: string[] = [];
  const logs = await openServiceLogs(dir, (line) => screen.push(line));
  logs.line("health", pino(30, "listening"));
  logs.line("health", pino(40, "slow"));
  logs.line("start", "health ready in 1.0 s");
  await logs.close();
  expect(screen).toEqual(["[health] WARN slow", "[start] health ready in 1.0 s"]);
  expect(await readFile(join(dir, "health.log"), "utf8")).toBe(
    `${pino(30, "listening")}\n${pino(40, "slow")}\n`,
  );
  expect(await readFile(join(dir, "health.1.log"), "utf8")).toBe("the last start\n");
  // a line that is not JSON gets its time
  expect(await readFile(join(dir, "start.log"), "utf8")).toMatch(
    /^\d{4}-\d\d-\d\dT[\d:.]+Z health ready in 1\.0 s\n$/,
  );
});

it("says how long a long step has run, every so often, and what it has done", () => {
  vi.useFakeTimers();
  try {
    const lines: string[] = [];
    let packages = 0;
    const tick = ticker("building FerretDB", (line) => lines.push(line), {
      detail: () => `${(packages += 40)} packages compiled`,
    });
    vi.advanceTimersByTime(31_000);
    expect(lines).toEqual([
      "building FerretDB: 15.0 s so far, 40 packages compiled",
      "building FerretDB: 30.0 s so far, 80 packages compiled",
    ]);
    expect(tick.stop()).toBe(31_000);
    vi.advanceTimersByTime(60_000);
    expect(lines).toHaveLength(2);
  } finally {
    vi.useRealTimers();
  }
});
