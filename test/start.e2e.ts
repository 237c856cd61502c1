// `npm start` on a fresh data folder: the embedded database and the subgraphs come up, print their
// URLs, answer, and all stop on Ctrl-C with nothing left running.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { freePort, repoRoot } from "../scripts/lib/ferretdb.js";

it("starts the database and the plan subgraph, then stops everything on SIGINT", async () => {
  const dataDir = await mkdtemp(join(tmpdir(), "p06-start-"));
  const [dbPort, planPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    P06_DATA_DIR: dataDir,
    P06_DB_PORT: String(dbPort),
    P06_PLAN_PORT: String(planPort),
    LOG_LEVEL: "warn",
  };
  delete env.MONGODB_URI;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  try {
    const deadline = Date.now() + 60_000;
    while (!output.includes("Press Ctrl-C to stop.") && Date.now() < deadline) {
      if (child.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).toContain(`plan             http://127.0.0.1:${planPort}/graphql`);
    const response = await fetch(`http://127.0.0.1:${planPort}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: '{ reportingUnit(code: "31") { name kind } }' }),
    });
    expect(await response.json()).toEqual({
      data: { reportingUnit: { name: "Thành phố Hải Phòng", kind: "CITY" } },
    });
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("[start] stopped");
    // nothing is left listening on the database or subgraph port
    for (const port of [dbPort, planPort]) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dataDir, { recursive: true, force: true });
  }
});
