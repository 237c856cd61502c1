// While the database is away a subgraph keeps serving reads from its read model, marked possibly
// stale, and refuses every write at once, before anything is applied. When the server is back (mongoose
// reconnects by itself), the read model catches up with the change log and the writes the outage
// interrupted are finished; only then are writes let through again.
import {
  HeaderMap,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestListener,
} from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { Connection } from "mongoose";
import { isDatabaseUnavailable } from "./database.js";
import { ErrorCode } from "./errors.js";
import type { Logger } from "./logger.js";

/** Set on every answer given while the database is away: it comes from memory as of then. */
export const POSSIBLY_STALE_HEADER = "x-p06-possibly-stale";
/** The hint given with DATABASE_UNAVAILABLE: a restarted database is back in about this. */
export const RETRY_AFTER_SECONDS = 2;
/** How long to wait before trying to catch up again when the first try failed. */
const HEAL_RETRY_MS = 500;

export interface DatabaseWatch {
  /** Whether writes may go ahead: connected, and caught up since the database last went away. */
  available(): boolean;
  /** When the database went away; null while it is available. */
  awaySince(): Date | null;
  close(): void;
}

/**
 * Follows the connection's state: away from the moment mongoose reports it disconnected (the driver
 * checks the server every second and any failed operation tells it at once), available again once
 * it is connected and `heal` (catch up, finish interrupted writes) has succeeded.
 */
export function watchDatabase(
  db: Connection,
  logger: Logger,
  heal: () => Promise<void>,
): DatabaseWatch {
  let awaySince: Date | null = db.readyState === 1 ? null : new Date();
  let healing = false;
  let closed = false;
  const onDisconnected = () => {
    if (closed || awaySince) return;
    awaySince = new Date();
    logger.warn(
      "the database is unavailable: writes are refused and reads answered from memory until it is back",
    );
  };
  const onConnected = async () => {
    if (closed || !awaySince || healing) return;
    healing = true;
    try {
      for (;;) {
        try {
          await heal();
          break;
        } catch (error) {
          // gone again: its next connection heals
          if (closed || db.readyState !== 1) return;
          if (!isDatabaseUnavailable(error)) {
            // the server answers but refuses: holding every write back would not mend it
            logger.error(
              { err: error },
              "could not finish catching up with the database; writes accepted again, the rest is finished at the next start",
            );
            break;
          }
          logger.warn({ err: error }, "could not catch up with the database; trying again");
          await new Promise((resolve) => setTimeout(resolve, HEAL_RETRY_MS));
        }
      }
      if (db.readyState !== 1 || !awaySince) return;
      logger.info(
        { awayMs: Date.now() - awaySince.getTime() },
        "the database is back: read model caught up, writes accepted again",
      );
      awaySince = null;
    } finally {
      healing = false;
    }
  };
  const connected = () => void onConnected();
  // an 'error' event nobody listens to would end the process: the database's errors are passing
  const onError = (error: unknown) => logger.warn({ err: error }, "database connection error");
  db.on("disconnected", onDisconnected);
  db.on("connected", connected);
  db.on("error", onError);
  return {
    available: () => !closed && awaySince === null && db.readyState === 1,
    awaySince: () => awaySince,
    close() {
      closed = true;
      db.off("disconnected", onDisconnected);
      db.off("connected", connected);
      db.off("error", onError);
    },
  };
}

/** A write refused, or a request cut short, because the database is away (GraphQL's error shape). */
export function databaseUnavailable(
  message: string,
  formatted: Partial<GraphQLFormattedError> = {},
): GraphQLFormattedError {
  return {
    ...formatted,
    message: `${message}; try again in ${RETRY_AFTER_SECONDS} s`,
    extensions: { code: ErrorCode.DATABASE_UNAVAILABLE, retryAfterSeconds: RETRY_AFTER_SECONDS },
  };
}

/**
 * The one gate every write of the subgraph passes: a mutation while the database is away is refused
 * before it runs, so nothing of it is applied; and every answer given meanwhile is marked possibly
 * stale (a header, and `extensions.possiblyStale`).
 */
export function availabilityPlugin(database: DatabaseWatch): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<BaseContext>> {
      return {
        async responseForOperation({ operation }) {
          if (operation.operation !== "mutation" || database.available()) return null;
          return {
            body: {
              kind: "single",
              singleResult: {
                errors: [databaseUnavailable("the database is unavailable: nothing was written")],
              },
            },
            http: { headers: new HeaderMap() },
          };
        },
        async willSendResponse({ response }) {
          if (database.available()) return;
          response.http.headers.set(POSSIBLY_STALE_HEADER, "1");
          // a copy: a kept answer's result is shared
          if (response.body.kind === "single") {
            const result = response.body.singleResult;
            response.body.singleResult = {
              ...result,
              extensions: { ...result.extensions, possiblyStale: true },
            };
          }
        },
      };
    },
  };
}
