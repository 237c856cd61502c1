// Builds the services once (the end-to-end tests run them compiled, as production does) and the web
// application when its sources changed, and gives every test file one real MongoDB-wire server:
// MONGODB_URI when set, otherwise the project's FerretDB, started on a free loopback port with its
// data in a temporary folder removed afterwards.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildPackages } from "../scripts/lib/build.js";
import { freePort, startFerretDB } from "../scripts/lib/ferretdb.js";
import { ensureWebBuilt } from "../scripts/lib/web.js";

import "./support/provided.js";

export default async function setup(project: TestProject) {
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
