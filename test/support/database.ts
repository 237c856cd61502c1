// Each test file gets its own database on the shared server, dropped when the file is done.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import type { Connection } from "mongoose";
import { connectDatabase } from "@p06/subgraph-kit";
import "./provided.js";

export interface TestDatabase {
  uri: string;
  name: string;
  /** The connection, opened before the file's tests run. */
  readonly db: Connection;
  /** Every command sent on the connection, in order (for counting queries). */
  readonly commands: { name: string; collection: unknown }[];
}

export function useTestDatabase(label: string): TestDatabase {
  const uri = inject("mongodbUri");
  // FerretDB wants database names of Latin letters, digits and underscores
  const name = `test_${label.replace(/\W/g, "_")}_${randomBytes(4).toString("hex")}`;
  let connection: Connection | undefined;
  const commands: { name: string; collection: unknown }[] = [];
  beforeAll(async () => {
    connection = await connectDatabase(uri, name, { monitorCommands: true });
    connection.getClient().on("commandStarted", (event) => {
      commands.push({ name: event.commandName, collection: event.command[event.commandName] });
    });
  });
  afterAll(async () => {
    await connection?.dropDatabase();
    await connection?.close();
  });
  return {
    uri,
    name,
    get db() {
      if (!connection) throw new Error("the test database is opened in beforeAll");
      return connection;
    },
    commands,
  };
}
