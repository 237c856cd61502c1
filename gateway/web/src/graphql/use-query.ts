// A page's data: one operation, asked again every few seconds with the last answer's ETag, so an
// unchanged answer costs a 304 and no rendering; a changed one replaces what is shown. When the
// gateway is too busy for the read, the page keeps its last answer, says how old it is, and asks
// again later, waiting longer each time (never a storm of retries on a saturated system).
import { useCallback, useEffect, useRef, useState } from "react";
import {
  Busy,
  missingSubgraphs,
  request,
  SignInRequired,
  type GraphQLErrorShape,
} from "./client.js";
import type { TypedDocumentString } from "./generated/graphql.js";

/** How often a page asks whether its data changed (a 304 when they have not). */
export const REFRESH_MS = 10_000;

/** The longest a page waits before asking a busy gateway again. */
const BUSY_MAX_WAIT_MS = 30_000;

export interface QueryState<Data> {
  data: Data | null;
  errors: GraphQLErrorShape[];
  /** Subgraphs whose fields are missing from the answer. */
  missing: string[];
  loading: boolean;
  /** A request failed outright (network, gateway error), with no data to show. */
  failure: string | null;
  signIn: SignInRequired | null;
  /** When the data shown were last confirmed current (received, or a 304). */
  updatedAt: Date | null;
  /** Set while the gateway is too busy: when the page asks again (what is shown is kept). */
  busy: { retryAt: Date } | null;
  reload(): void;
}

export function useQuery<Data, Variables>(
  operation: TypedDocumentString<Data, Variables>,
  variables: Variables,
  /** poll: false asks once (a form's starting figures must not change under the typing). */
  options: { skip?: boolean; poll?: boolean } = {},
): QueryState<Data> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<Omit<QueryState<Data>, "reload">>({
    data: null,
    errors: [],
    missing: [],
    loading: !options.skip,
    failure: null,
    signIn: null,
    updatedAt: null,
    busy: null,
  });
  const etag = useRef<string | null>(null);
  const shownKey = useRef<string | null>(null);
  const poll = options.poll ?? true;
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    if (options.skip) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // busy answers in a row: each doubles the wait (from the gateway's Retry-After, up to 30 s)
    let busyInARow = 0;
    etag.current = null;
    // asked again for the same variables (after a write): what is shown stays until the answer comes
    const same = shownKey.current === key;
    shownKey.current = key;
    setState((s) =>
      same
        ? { ...s, loading: true }
        : { ...s, data: null, errors: [], missing: [], loading: true, failure: null, busy: null },
    );
    const ask = async () => {
      let wait = REFRESH_MS;
      try {
        const answer = await request(operation, JSON.parse(key) as Variables, {
          etag: etag.current,
          signal: controller.signal,
        });
        busyInARow = 0;
        if (answer) {
          etag.current = answer.etag;
          setState({
            data: answer.data,
            errors: answer.errors,
            missing: missingSubgraphs(answer.errors),
            loading: false,
            failure: null,
            signIn: null,
            updatedAt: new Date(),
            busy: null,
          });
        } else {
          setState((s) => ({ ...s, updatedAt: new Date(), busy: null, signIn: null }));
        }
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof Busy) {
          wait = Math.min(error.retryAfterS * 1000 * 2 ** busyInARow, BUSY_MAX_WAIT_MS);
          busyInARow += 1;
          const retryAt = new Date(Date.now() + wait);
          setState((s) => ({ ...s, loading: false, busy: { retryAt } }));
        } else if (error instanceof SignInRequired) {
          setState((s) => ({ ...s, loading: false, signIn: error }));
          // a lost session keeps what is shown, and asks again once they have signed in again
          if (error.reason !== "lost") return;
        } else {
          // keep what is shown; say the refresh failed only when there is nothing to show
          setState((s) => ({
            ...s,
            loading: false,
            failure: s.data ? null : error instanceof Error ? error.message : String(error),
          }));
        }
      }
      // a busy gateway is asked again even by a page that does not poll: it has no answer yet
      if (!controller.signal.aborted && (poll || busyInARow > 0)) {
        timer = setTimeout(function again() {
          // a hidden tab asks only when it is shown again
          if (document.visibilityState === "hidden") timer = setTimeout(again, REFRESH_MS);
          else void ask();
        }, wait);
      }
    };
    void ask();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [operation, key, attempt, options.skip, poll]);

  return { ...state, reload };
}
