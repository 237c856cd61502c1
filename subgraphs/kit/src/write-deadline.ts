// A write the gateway can no longer wait for is refused before anything of it is applied. The gateway
// sends the moment its caller's answer is due (WRITE_DEADLINE_HEADER, milliseconds since the epoch);
// a write that reaches the subgraph's resolvers later, queued behind reads on a busy event loop, is
// answered WRITE_DEADLINE_PASSED at once, so the agency learns within its budget that nothing was
// written rather than getting an internal error after the gateway's timeout. The two clocks are the
// machines' own (NTP keeps them milliseconds apart; the budget is seconds).
import {
  HeaderMap,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestListener,
} from "@apollo/server";
import { ErrorCode } from "./errors.js";

export const WRITE_DEADLINE_HEADER = "x-p06-write-deadline";
/** The hint given with WRITE_DEADLINE_PASSED: the reads it waited behind are done by then. */
const RETRY_AFTER_SECONDS = 1;

/** The deadline a request carries, or null when it carries none (or one that is not a number). */
export function writeDeadline(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** Refuses a mutation that arrives after its deadline, before any resolver of it runs. */
export function writeDeadlinePlugin(now: () => number = Date.now): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request }): Promise<GraphQLRequestListener<BaseContext>> {
      const deadline = writeDeadline(request.http?.headers.get(WRITE_DEADLINE_HEADER));
      return {
        async responseForOperation({ operation }) {
          if (operation.operation !== "mutation" || deadline === null) return null;
          const lateMs = now() - deadline;
          if (lateMs <= 0) return null;
          return {
            body: {
              kind: "single",
              singleResult: {
                errors: [
                  {
                    message: `the write reached the subgraph ${lateMs} ms after the gateway's deadline for it: nothing was written; try again in ${RETRY_AFTER_SECONDS} s`,
                    extensions: {
                      code: ErrorCode.WRITE_DEADLINE_PASSED,
                      retryAfterSeconds: RETRY_AFTER_SECONDS,
                    },
                  },
                ],
              },
            },
            http: { headers: new HeaderMap() },
          };
        },
      };
    },
  };
}
