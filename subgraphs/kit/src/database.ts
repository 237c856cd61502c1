// One mongoose connection per subgraph, to its own database, that outlives the server going away:
// mongoose reconnects by itself, and nothing waits long for a server that is not there.
import mongoose, { mongo, type ConnectOptions, type Connection } from "mongoose";

/**
 * How long an operation waits for a server to send it to. A write while the database is away is
 * refused at once by the write gate (availability.ts); this bounds the one already under way when it
 * went away, and a read of the database (history, audit trails). A reachable server is selected at
 * once, so this never slows a healthy one.
 */
export const SERVER_SELECTION_MS = 500;
/** How often the driver checks the server: it notices a dead one, or one back, within about this. */
export const HEARTBEAT_MS = 1000;
/** How long start-up waits for the database (a subgraph started before it, or while it restarts). */
export const CONNECT_WAIT_MS = 30_000;

/**
 * The driver's errors that mean "no server to talk to", never "the server said no", also when a bulk
 * write wraps them (its `errorResponse`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const inner = (e: Error) =>
    e.cause ?? (e as { errorResponse?: unknown }).errorResponse ?? undefined;
  for (let e: unknown = error; e instanceof Error; e = inner(e)) {
    if (
      // mongoose's wrapper of a failed first connection
      e.name === "MongooseServerSelectionError" ||
      e instanceof mongo.MongoNetworkError ||
      e instanceof mongo.MongoServerSelectionError ||
      e instanceof mongo.MongoNotConnectedError ||
      e instanceof mongo.MongoTopologyClosedError
    ) {
      return true;
    }
  }
  return false;
}

export async function connectDatabase(
  uri: string,
  database: string,
  options: ConnectOptions = {},
  waitMs = CONNECT_WAIT_MS,
): Promise<Connection> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const connection = mongoose.createConnection(uri, {
      dbName: database,
      // an accepted write must survive a crash: journaled, and on a majority of a replica set
      writeConcern: { w: "majority", j: true },
      serverSelectionTimeoutMS: SERVER_SELECTION_MS,
      heartbeatFrequencyMS: HEARTBEAT_MS,
      // queries fail at once while disconnected instead of waiting in a buffer
      bufferCommands: false,
      autoIndex: false,
      ...options,
    });
    try {
      await connection.asPromise();
      return connection;
    } catch (error) {
      await connection.close().catch(() => {});
      if (!isDatabaseUnavailable(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
