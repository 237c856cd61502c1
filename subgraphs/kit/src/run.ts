// Start-up shared by every subgraph's index.ts: configuration, database, serving, clean shutdown.
import type { BaseContext } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Connection } from "mongoose";
import { readSubgraphConfig } from "./config.js";
import { connectDatabase } from "./database.js";
import { runService } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import { serveSubgraph, type RequestIdentity } from "./server.js";

export interface SubgraphModule<Context extends BaseContext> {
  name: string;
  defaultPort: number;
  schema: GraphQLSchema;
  /** Runs once after connecting, before serving: indexes, seed data. Must be idempotent. */
  prepare?: (db: Connection, logger: Logger) => Promise<void>;
  /** Builds a request's context from the subgraph's database and the verified caller. */
  context: (db: Connection, request: RequestIdentity) => Context;
}

export async function runSubgraph<Context extends BaseContext>(
  module: SubgraphModule<Context>,
): Promise<void> {
  const logger = createLogger(module.name);
  await runService(logger, async () => {
    const config = readSubgraphConfig(module.name, module.defaultPort);
    const db = await connectDatabase(config.mongodbUri, config.database);
    await module.prepare?.(db, logger);
    const serving = await serveSubgraph({
      name: module.name,
      schema: module.schema,
      context: (request) => module.context(db, request),
      host: config.host,
      port: config.port,
      logger,
      secret: config.secret,
      isReady: async () => db.readyState === 1 && (await db.db?.admin().ping()) !== undefined,
    });
    return async () => {
      await serving.close();
      await db.close();
    };
  });
}

/** Starts an agency's reporting subgraph: its index.ts is this one call. */
export function runReportingSubgraph(
  subgraph: {
    name: string;
    schema: GraphQLSchema;
    prepare: (db: Connection, logger: Logger) => Promise<void>;
    context: (db: Connection, request: RequestIdentity) => BaseContext;
  },
  defaultPort: number,
): Promise<void> {
  return runSubgraph({
    ...subgraph,
    defaultPort,
    prepare: (db, logger) => subgraph.prepare(db, logger),
  });
}
