// How a command reaches the databases: MONGODB_URI, else the embedded FerretDB that `npm start` and
// `npm run db -- start` run on P06_DB_PORT. A server that does not answer is named within seconds with
// what to start, rather than with the driver's error after the wait a subgraph's start-up allows.
import { connect } from "node:net";
import { connectDatabase, intEnv, isDatabaseUnavailable } from "@p06/subgraph-kit";
import type { Connection } from "mongoose";

/** The server's URI: MONGODB_URI, else the embedded database's. */
export function databaseUri(env: NodeJS.ProcessEnv = process.env): string {
  return env.MONGODB_URI?.trim() || `mongodb://127.0.0.1:${intEnv("P06_DB_PORT", 27027, env)}/`;
}

/** The URI as a message may show it: a password hidden. */
export const shownUri = (uri: string) => uri.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

/** The server did not answer. */
export class DatabaseUnreachable extends Error {}

/** What to do when the server does not answer, for the server the command looked for. */
export function unreachable(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.MONGODB_URI?.trim()
    ? `the database at MONGODB_URI (${shownUri(uri)}) does not answer: start it, or correct MONGODB_URI`
    : `the database is not running at ${uri}: start it with \`npm run db -- start\` or \`npm start\`, or set MONGODB_URI`;
}

/** The host and port of a one-server mongodb:// URI, else null (a replica set, mongodb+srv). */
function singleServer(uri: string): { host: string; port: number } | null {
  try {
    const url = new URL(uri);
    if (url.protocol !== "mongodb:" || !url.hostname || url.host.includes(",")) return null;
    return { host: url.hostname.replace(/^\[|\]$/g, ""), port: Number(url.port || 27017) };
  } catch {
    return null;
  }
}

/** True when nothing listens there: the connection is refused at once. */
function refused(server: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(server);
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });
}

/**
 * Connects to one database of the server, without the wait a subgraph's start-up allows. A server
 * that refuses the connection is said so at once (the driver would wait for its server selection);
 * one that does not answer, after two seconds for the embedded one on this machine (it answers in
 * milliseconds when it runs) or five for a server MONGODB_URI names.
 */
export async function connectForCommand(
  uri: string,
  database: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Connection> {
  const timeout = env.MONGODB_URI?.trim() ? 5_000 : 2_000;
  const server = singleServer(uri);
  if (server && (await refused(server))) throw new DatabaseUnreachable(unreachable(uri, env));
  try {
    return await connectDatabase(uri, database, { serverSelectionTimeoutMS: timeout }, 0);
  } catch (error) {
    if (isDatabaseUnavailable(error)) throw new DatabaseUnreachable(unreachable(uri, env));
    throw error;
  }
}
