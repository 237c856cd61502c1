// One mongoose connection per subgraph, to its own database.
import mongoose, { type ConnectOptions, type Connection } from "mongoose";

export async function connectDatabase(
  uri: string,
  database: string,
  options: ConnectOptions = {},
): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    dbName: database,
    // an accepted write must survive a crash: journaled, and on a majority of a replica set
    writeConcern: { w: "majority", j: true },
    serverSelectionTimeoutMS: 10_000,
    // queries fail at once while disconnected instead of waiting in a buffer
    bufferCommands: false,
    autoIndex: false,
    ...options,
  });
  await connection.asPromise();
  return connection;
}
