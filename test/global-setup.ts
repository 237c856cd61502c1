// Builds the services once (the end-to-end tests run them compiled, as production does) and the web
// application when its sources changed, and gives every test file one real MongoDB-wire server:
// MONGODB_URI when set, otherwise the project's FerretDB, started on a free loopback port with its
// data in a temporary folder removed afterwards. Every process the tests start carries a mark in its
// environment: at the end, and on SIGINT or SIGTERM, whatever is left of them is killed.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildPackages } from "../scripts/lib/build.js";
import { freePort, startFerretDB } from "../scripts/lib/ferretdb.js";
import { killMarked, onInterrupt, PROCESS_MARK } from "../scripts/lib/process-groups.js";
import { ensureWebBuilt } from "../scripts/lib/web.js";

import "./support/provided.js";

/** Kills what the tests left running: at the end, at exit, and on SIGINT or SIGTERM. */
function sweepAtEnd(mark: string) {
  const sweep = () => {
    const killed = killMarked(mark);
    if (killed.length) console.log(`killed ${killed.length} process(es) the tests left running`);
  };
  process.once("exit", sweep);
  onInterrupt(sweep);
  return sweep;
}

/** One sweep for the run, however many projects call the setup (each may load its own copy). */
const shared = globalThis as { p06Sweep?: () => void };

export default async function setup(project: TestProject) {
  // set before the test processes start: they, and everything they start, inherit it
  const mark = (process.env[PROCESS_MARK] ??= `test-${randomBytes(6).toString("hex")}`);
  const sweep = (shared.p06Sweep ??= sweepAtEnd(mark));
  const teardown = await startDatabase(project);
  return async () => {
    await teardown?.();
    sweep();
  };
}

async function startDatabase(project: TestProject) {
  await buildPackages();
  await ensureWebBuilt();
  const configured = process.env.MONGODB_URI?.trim();
  if (configured) {
    project.provide("mongodbUri", configured);
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), "p06-test-db-"));
  const database = await startFerretDB({ port: await freePort(), dataDir });
  project.provide("mongodbUri", database.uri);
  return async () => {
    await database.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
