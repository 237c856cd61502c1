// The one way the pages talk to the gateway: a POST of a typed operation with the session's token,
// revalidated by ETag (the gateway answers 304 while the data have not changed), and the errors read
// for what the page needs to say: a token refused, an agency's subgraph that did not answer. A token
// the gateway finds expired is renewed once and the request sent again (nothing ran the first time).
import { session } from "../session/session.js";
import type { TypedDocumentString } from "./generated/graphql.js";

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: {
    code?: string;
    subgraph?: string;
    /** A busy subgraph's hint: when to ask again. */
    retryAfterSeconds?: number;
    /**
     * A refused report's problems: each by line (a file) or index (a list of figures), with the
     * column (the figure's field) that is wrong where one is.
     */
    problems?: {
      code?: string;
      message: string;
      line?: number;
      index?: number;
      column?: string;
    }[];
  };
}

/**
 * The gateway had no room for the read now (a subgraph busy: 503, SUBGRAPH_BUSY) and said when to ask
 * again: the page keeps what it shows and asks later.
 */
export class Busy extends Error {
  constructor(readonly retryAfterS: number) {
    super(`busy: retry in ${retryAfterS} s`);
  }
}

/** The wait a busy answer asks for: its Retry-After, else a second. */
function retryAfter(response: Response, errors: GraphQLErrorShape[]): number {
  const header = Number(response.headers.get("retry-after"));
  const hinted = errors.find((e) => e.extensions?.retryAfterSeconds)?.extensions?.retryAfterSeconds;
  return header > 0 ? header : hinted && hinted > 0 ? hinted : 1;
}

/**
 * The gateway needs someone signed in: no one is ("none"), the gateway refused who is ("rejected"), or
 * the session could not be renewed ("lost": the page keeps what it shows until they sign in again).
 */
export class SignInRequired extends Error {
  constructor(readonly reason: "none" | "rejected" | "lost") {
    super(`sign-in required (${reason})`);
  }
}

export interface Answer<Data> {
  data: Data | null;
  errors: GraphQLErrorShape[];
  etag: string | null;
}

/**
 * Runs an operation. With `etag` (the previous answer's), a 304 resolves to null: nothing changed.
 */
export async function request<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
  options: { etag?: string | null; signal?: AbortSignal } = {},
): Promise<Answer<Data> | null> {
  let token = await session.accessToken();
  if (!token) {
    if (session.state().lost) throw new SignInRequired("lost");
    if (!session.anonymousRead()) throw new SignInRequired("none");
  }
  const text = document.toString();
  const send = (bearer: string | null) =>
    fetch("/graphql", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        ...(bearer && { authorization: `Bearer ${bearer}` }),
        ...(options.etag && { "if-none-match": options.etag }),
      },
      body: JSON.stringify({
        query: text,
        operationName: /(?:query|mutation)\s+(\w+)/.exec(text)?.[1],
        variables,
      }),
      // the gateway decides freshness with the ETag; the browser keeps nothing of its own
      cache: "no-store",
      ...(options.signal && { signal: options.signal }),
    });
  let response = await send(token);
  if (response.status === 401 && token) {
    // expired on its way, say: renewed once and asked again (a 401 ran nothing)
    token = await session.refused(token);
    if (!token) throw new SignInRequired(session.state().lost ? "lost" : "rejected");
    response = await send(token);
  }
  if (response.status === 304) return null;
  const body = (await response.json().catch(() => null)) as {
    data?: Data | null;
    errors?: GraphQLErrorShape[];
  } | null;
  const errors = body?.errors ?? [];
  if (response.status === 401 || errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) {
    throw new SignInRequired(token ? "rejected" : "none");
  }
  const busy = errors.some((e) => e.extensions?.code === "SUBGRAPH_BUSY");
  if (response.status === 503 || response.status === 429 || (busy && !body?.data)) {
    throw new Busy(retryAfter(response, errors));
  }
  if (!body || (!body.data && errors.length === 0)) {
    throw new Error(`the gateway answered ${response.status}`);
  }
  return { data: body.data ?? null, errors, etag: response.headers.get("etag") };
}

/** The subgraphs that did not answer (down, or too busy to take the read), by the gateway's errors. */
export function missingSubgraphs(errors: GraphQLErrorShape[]): string[] {
  const names = errors
    .filter(
      (e) =>
        e.extensions?.code === "SUBGRAPH_UNAVAILABLE" || e.extensions?.code === "SUBGRAPH_BUSY",
    )
    .map((e) => e.extensions?.subgraph ?? /subgraph ([\w-]+)/.exec(e.message)?.[1] ?? "?");
  return [...new Set(names)];
}

/** A mutation the gateway refused: its first error's code and message, and a report's problems. */
export class Refusal extends Error {
  constructor(readonly errors: GraphQLErrorShape[]) {
    super(errors.map((e) => e.message).join("; "));
  }
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
  get problems() {
    return this.errors.flatMap((e) => e.extensions?.problems ?? []);
  }
}

/** Runs a mutation: its data, or a Refusal with the gateway's errors (nothing was written). */
export async function mutate<Data, Variables>(
  document: TypedDocumentString<Data, Variables>,
  variables: Variables,
): Promise<Data> {
  const answer = await request(document, variables);
  if (!answer) throw new Error("no answer");
  if (answer.errors.length > 0 || !answer.data) throw new Refusal(answer.errors);
  return answer.data;
}
