// The contract of a subgraph, checked against running ones: each of ours keeps it, and a subgraph
// that skips the signature, the data version and the schema is told each thing it lacks.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkConformance } from "../scripts/lib/conformance.js";
import { subgraphs } from "@p06/catalogue";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
let careless: Server;
let carelessUrl: string;

beforeAll(async () => {
  system = await startSystem("conform");
  // answers every POST with a schema of its own, signed or not; no /version, no data version
  careless = createServer((req, res) => {
    if (req.url === "/healthz" || req.url === "/readyz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    } else if (req.method === "POST") {
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ data: { _service: { sdl: "type Query { hello: String }" } } }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => careless.listen(0, "127.0.0.1", resolve));
  carelessUrl = `http://127.0.0.1:${(careless.address() as AddressInfo).port}/graphql`;
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => careless?.close(resolve));
  await system?.stop();
});

describe("the subgraph contract", () => {
  it("is kept by each of our subgraphs", async () => {
    for (const { name } of subgraphs) {
      const checks = await checkConformance({
        name,
        url: system.services[name]!.url,
        secret: system.secrets[name]!,
      });
      expect(
        checks.filter((c) => !c.ok),
        name,
      ).toEqual([]);
      expect(checks).toHaveLength(9);
    }
  });

  it("tells a subgraph that does not keep it each thing it lacks", async () => {
    const checks = await checkConformance({ name: "health", url: carelessUrl, secret: "s" });
    expect(checks.filter((c) => !c.ok).map((c) => c.rule)).toEqual([
      "GET /version answers its data version, a whole number",
      "refuses an unsigned request with 401",
      "refuses a request signed with another secret with 401",
      "refuses a signature more than 5 minutes old with 401",
      "refuses a signed request whose body was altered with 401",
      "answers a signed request with its schema (_service.sdl) and the x-p06-data-version header",
      "its schema composes with the other published subgraphs and breaks no client operation",
    ]);
    const composes = checks.at(-1)!;
    expect(composes.detail).toMatch(/HealthIndicator|no longer valid|removes/);
  });

  it("runs as a command that lists the checks and exits 1 when one fails", async () => {
    const run = await promisify(execFile)(process.execPath, [
      "--import",
      "tsx",
      "scripts/conform.ts",
      "--name",
      "health",
      "--secret",
      "s",
      carelessUrl,
    ]).then(
      () => ({ code: 0, stdout: "" }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✓ GET /healthz answers 200 while the process runs");
    expect(run.stdout).toContain("✗ refuses an unsigned request with 401");
    expect(run.stdout).toContain(`health at ${carelessUrl} lacks 7 of 9 checks`);
  });
});
