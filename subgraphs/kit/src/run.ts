// Start-up shared by every subgraph's index.ts: configuration, database, serving, clean shutdown.
import type { BaseContext } from "@apollo/server";
import { subgraphNamed } from "@p06/catalogue";
import type { GraphQLSchema } from "graphql";
import type { Connection } from "mongoose";
import { readSubgraphConfig } from "./config.js";
import { connectDatabase } from "./database.js";
import { watchDatabase } from "./availability.js";
import { runService } from "./lifecycle.js";
import { createLogger, type Logger } from "./logger.js";
import type { SubgraphRuntime } from "./runtime.js";
import { serveSubgraph } from "./server.js";
import { startTracing, traceCommands } from "./tracing.js";

export interface SubgraphModule<Context extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /**
   * Prepares the database (idempotent: indexes, seed data, recovery) and loads what the subgraph
   * serves into memory; it is ready when this returns.
   */
  open: (db: Connection, logger: Logger) => Promise<SubgraphRuntime<Context>>;
}

/** Runs a subgraph the list declares (subgraphs.json), on its declared port unless PORT says otherwise. */
export async function runSubgraph<Context extends BaseContext>(
  module: SubgraphModule<Context>,
): Promise<void> {
  const defaultPort = subgraphNamed(module.name).port;
  const logger = createLogger(module.name);
  await runService(logger, async () => {
    const config = readSubgraphConfig(module.name, defaultPort);
    const tracing = await startTracing(`p06-${module.name}`);
    const db = await connectDatabase(config.mongodbUri, config.database, {
      monitorCommands: tracing !== null,
    });
    if (tracing) traceCommands(tracing.tracer, db);
    const runtime = await module.open(db, logger);
    // the database may go away and come back: catch up with what it holds, then take writes again
    const database = watchDatabase(db, logger, async () => {
      await runtime.sync();
      await runtime.recover?.();
    });
    const serving = await serveSubgraph({
      name: module.name,
      schema: module.schema,
      context: runtime.context,
      version: runtime.version,
      ...(runtime.steps && { steps: runtime.steps }),
      host: config.host,
      port: config.port,
      logger,
      secrets: config.secrets,
      database,
      isReady: async () => db.readyState === 1 && (await db.db?.admin().ping()) !== undefined,
      ...(tracing && { tracer: tracing.tracer }),
    });
    runtime.onServing?.();
    return async () => {
      await serving.close();
      database.close();
      await runtime.close();
      await db.close();
      await tracing?.shutdown();
    };
  });
}
