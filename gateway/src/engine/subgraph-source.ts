// How the gateway talks to one subgraph: keep-alive connections (undici's request API, which costs far
// less than fetch and its web streams), a timeout, the request id and the caller's claims signed
// along, the data version each answer was read at, fetches kept while their subgraph's version holds,
// identical fetches in flight sent once, admission control (writes first, excess reads refused at
// once), each call timed for the metrics and, when tracing is on, a client span whose context goes
// along.
import { STATUS_CODES } from "node:http";
import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import type { GatewayGraphQLResponse } from "@apollo/server-gateway-interface";
import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from "@opentelemetry/api";
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_URL_FULL,
} from "@opentelemetry/semantic-conventions";
import { GraphQLError, Kind, parse, type SelectionSetNode } from "graphql";
import {
  bothReads,
  DATA_STEPS_HEADER,
  formatStamps,
  KNOWN_VERSIONS_HEADER,
  parseScope,
  parseStamps,
  readAsOf,
  READ_SCOPE_HEADER,
  READ_VERSIONS_HEADER,
  signRequest,
  WRITE_DEADLINE_HEADER,
  type Claims,
  type Stamp,
  type Stamps,
  type Steps,
} from "@p06/subgraph-kit";
import { Agent, errors, request } from "undici";
import {
  DATA_VERSION_HEADER,
  parseVersion,
  stepsOf,
  type DataVersions,
  type Read,
  type Seen,
} from "../serving/data-versions.js";
import { InFlight } from "../serving/dedup.js";
import { visibilityOf } from "../trust/claims.js";
import type { FetchCache } from "../serving/fetch-cache.js";
import type { Metrics } from "../metrics.js";
import { Admission, type AdmissionLimits } from "./admission.js";

/** What an execution notes as it runs, for the answer cache and the metrics. */
export interface ExecutionNotes {
  /** The version each subgraph this execution fetched from read at (null: it did not say). */
  reads: Map<string, Read>;
  /** Set as the answer is sent: the operation's label in the metrics and its errors' codes. */
  operation?: string;
  errorCodes?: string[];
}

export interface GatewayContext {
  requestId: string;
  /** The caller's verified claims, or null for an anonymous read. */
  claims: Claims | null;
  /** Shared by reference: Apollo Server hands plugins and data sources a shallow copy of the context. */
  notes?: ExecutionNotes;
}

/** One connection pool for every subgraph: sockets stay open between requests. */
const keepAlive = new Agent({
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 120_000,
  connections: 64,
});

/** A subgraph's answer as it came over the wire (shared as text: each execution parses its own copy). */
export interface Fetched {
  status: number;
  contentType: string;
  text: string;
  version: number | null;
  /** Where the subgraph's changes up to its version fell, by month, when it said. */
  steps?: Steps;
  /** The last month the answer depends on, when the subgraph said (the kit's read-scope.ts). */
  upTo?: string;
  /** For a subgraph that reads the graph: the other subgraphs' versions its answer read. */
  reads?: Stamps | null;
}

export interface SubgraphSourceOptions {
  name: string;
  url: string;
  metrics: Metrics;
  timeoutMs: number;
  /** How long a write may take: sent as its deadline, which the subgraph refuses it after. */
  writeBudgetMs: number;
  secret: string;
  versions: DataVersions;
  /** Send identical fetches in flight once (never a mutation's). */
  dedup: boolean;
  /** Fetches kept while the subgraph's version holds (shared by every subgraph's source), or null. */
  fetchCache: FetchCache<Fetched> | null;
  /** The bound on reads in flight to this subgraph, and their queue. */
  admission: AdmissionLimits;
  /** Set when tracing is on: a client span per request, its W3C trace context sent along. */
  tracer?: Tracer;
  /**
   * A subgraph whose answers read other subgraphs' data through the graph (the plan's review): each
   * read is told the versions the gateway knows, and its answer's reads count as this execution's.
   */
  readsGraph?: boolean;
}

/**
 * What an execution read from one subgraph. One plan can read a subgraph twice (or once itself and
 * once through the plan), at two versions: a fetch kept from before a write beside one made after
 * it. Both are restated at the version known now where they still hold (readAsOf), then held
 * together (bothReads), so a change since either makes the answer unfresh; a read that gave no
 * version leaves it unknown.
 */
function noteRead(
  reads: Map<string, Read>,
  subgraph: string,
  read: Read,
  known: Stamp | undefined,
): void {
  const before = reads.get(subgraph);
  reads.set(
    subgraph,
    before === undefined
      ? read
      : before && read
        ? bothReads(readAsOf(before, known), readAsOf(read, known))
        : null,
  );
}

/** What a response said of its subgraph's version, or null when it gave none. */
const seenOf = (fetched: Fetched): Seen | null =>
  fetched.version === null
    ? null
    : { version: fetched.version, ...(fetched.steps && { steps: fetched.steps }) };

/**
 * When a subgraph fails an entity fetch, each entity it was asked for gets null for the fields asked,
 * with an error naming the subgraph: the query plan goes on, so a down subgraph costs only its own
 * fields. (Root fetches fail as usual.)
 */
export function nullEntities(
  query: string,
  representations: unknown,
  subgraph: string,
  reason: string,
  code = "SUBGRAPH_UNAVAILABLE",
  extensions: Record<string, unknown> = {},
): GatewayGraphQLResponse | null {
  const operation = parse(query).definitions[0];
  if (operation?.kind !== Kind.OPERATION_DEFINITION) return null;
  const entities = operation.selectionSet.selections.find(
    (s) => s.kind === Kind.FIELD && s.name.value === "_entities",
  );
  if (entities?.kind !== Kind.FIELD || !entities.selectionSet || !Array.isArray(representations))
    return null;
  const fieldsOf = (selectionSet: SelectionSetNode, typename: string): string[] =>
    selectionSet.selections.flatMap((selection) => {
      if (selection.kind === Kind.FIELD) return [selection.alias?.value ?? selection.name.value];
      if (
        selection.kind === Kind.INLINE_FRAGMENT &&
        (!selection.typeCondition || selection.typeCondition.name.value === typename)
      ) {
        return fieldsOf(selection.selectionSet, typename);
      }
      return [];
    });
  return {
    data: {
      _entities: representations.map((representation: { __typename: string }) => ({
        ...Object.fromEntries(
          fieldsOf(entities.selectionSet!, representation.__typename).map((field) => [field, null]),
        ),
        __typename: representation.__typename,
      })),
    },
    errors: [{ message: reason, extensions: { ...extensions, code, subgraph } }],
  };
}

/** Equal representations get equal keys (cheaper than JSON.stringify for the usual flat ones). */
function representationKey(representation: Record<string, unknown>): string {
  let key = "";
  for (const field in representation) {
    const value = representation[field];
    key +=
      typeof value === "object" && value !== null
        ? `${field}\u0000o${JSON.stringify(value)}\u0000`
        : `${field}\u0000${typeof value}${String(value)}\u0000`;
  }
  return key;
}

/**
 * An entity fetch names each entity once: the query planner asks for one representation per place an
 * entity appears (a commune under every figure), so equal representations are sent once and each
 * answer handed to every place that asked (as Apollo Router does). `positions[i]`: the index sent for
 * the i-th representation; undefined when nothing repeats.
 */
export function uniqueRepresentations(variables: Record<string, unknown> | undefined): {
  variables: Record<string, unknown> | undefined;
  positions?: number[];
} {
  const representations = variables?.representations;
  if (!Array.isArray(representations) || representations.length < 2) return { variables };
  const seen = new Map<string, number>();
  const unique: unknown[] = [];
  const positions = representations.map((representation: Record<string, unknown>) => {
    const key = representationKey(representation);
    let position = seen.get(key);
    if (position === undefined) {
      position = unique.length;
      seen.set(key, position);
      unique.push(representation);
    }
    return position;
  });
  if (unique.length === representations.length) return { variables };
  return { variables: { ...variables, representations: unique }, positions };
}

/** A JSON value copied (the executor merges into and rewrites each entity it gets: one each). */
function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = copy((value as Record<string, unknown>)[key]);
  return out;
}

/** The answer to the unique representations, as the answer to all of them, errors included. */
export function expandEntities(
  response: GatewayGraphQLResponse,
  positions: number[],
): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown } | null | undefined)?._entities;
  const used = new Set<number>();
  const expanded = Array.isArray(entities)
    ? positions.map((position) => {
        if (used.has(position)) return copy(entities[position]);
        used.add(position);
        return entities[position];
      })
    : entities;
  const errors = response.errors?.flatMap((error) => {
    const at = error.path?.[1];
    if (error.path?.[0] !== "_entities" || typeof at !== "number") return [error];
    return positions.flatMap((position, index) =>
      position === at ? [{ ...error, path: ["_entities", index, ...error.path!.slice(2)] }] : [],
    );
  });
  return {
    ...response,
    ...(response.data && { data: { ...response.data, _entities: expanded } }),
    ...(errors && { errors }),
  };
}

export class SubgraphSource implements GraphQLDataSource<GatewayContext> {
  private readonly inFlight = new InFlight<Fetched>();
  private readonly admission: Admission;

  constructor(private readonly options: SubgraphSourceOptions) {
    const { name, metrics } = options;
    this.admission = new Admission(name, options.admission, (active, queued) => {
      metrics.subgraphInFlight.set({ subgraph: name }, active);
      metrics.subgraphQueued.set({ subgraph: name }, queued);
    });
  }

  async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await this.fetch(options);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      // a refusal keeps its code (SUBGRAPH_BUSY and its retry hint); any other failure is unavailability
      const { code, ...extensions } =
        error instanceof GraphQLError && typeof error.extensions.code === "string"
          ? error.extensions
          : { code: undefined };
      const fallback = options.request.query
        ? nullEntities(
            options.request.query,
            options.request.variables?.representations,
            this.options.name,
            reason,
            code as string | undefined,
            extensions,
          )
        : null;
      if (!fallback) throw error;
      return fallback;
    }
  }

  private async fetch(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const { name, versions } = this.options;
    const { request: operation } = options;
    if (!operation.query) throw new Error("Missing query");
    // an operation's fetch (not a health check or schema load)
    const incoming = "incomingRequestContext" in options ? options : undefined;
    const context: Partial<GatewayContext> = options.context;
    const claims = context.claims ?? null;
    const { variables, positions } = uniqueRepresentations(operation.variables);
    const body = JSON.stringify({
      query: operation.query,
      variables,
      operationName: operation.operationName,
      ...(operation.extensions && { extensions: operation.extensions }),
    });
    // everything of a mutation's plan runs after (or as) a write: never shared, never kept
    const write = incoming?.incomingRequestContext.operation?.operation === "mutation";
    // a graph reader is told what the gateway knows now: it answers from nothing older
    const known = this.options.readsGraph && !write ? formatStamps(versions.all()) : undefined;
    const send = () => this.send(body, claims, write, context.requestId, known);
    const visibility = visibilityOf(claims);
    const key = `${visibility}\n${body}`;
    const cache = incoming && !write ? this.options.fetchCache : null;
    // the epoch when sent: a fetch is kept only if no write without a version landed meanwhile
    const sentAt = versions.stamp(name)?.epoch ?? 0;
    let fetched: Fetched;
    const kept = cache?.get(name, key);
    if (kept) {
      fetched = kept.value;
      this.options.metrics.subgraphFetchesKept.inc({ subgraph: name });
    } else if (write) {
      try {
        fetched = await send();
      } catch (error) {
        // the write may have landed: nothing kept from this subgraph can be trusted any longer
        await versions.written(name, null);
        throw error;
      }
    } else if (this.options.dedup && incoming) {
      const run = this.inFlight.run(key, versions.generation, send);
      if (run.shared) this.options.metrics.subgraphFetchesShared.inc({ subgraph: name });
      fetched = await run.outcome;
    } else {
      fetched = await send();
    }

    if (write) {
      // every worker learns the write's version before the writer gets its answer (none given,
      // or a failed write: everything kept from this subgraph is dropped)
      await versions.written(name, fetched.status < 300 ? seenOf(fetched) : null);
    } else if (fetched.version !== null) {
      versions.observe(name, seenOf(fetched)!);
    }
    for (const [subgraph, read] of Object.entries(fetched.reads ?? {})) {
      versions.observe(subgraph, { version: read.version });
    }
    const reads = context.notes?.reads;
    if (reads) {
      const stamp = versions.stamp(name);
      noteRead(
        reads,
        name,
        fetched.version === null || !stamp
          ? null
          : {
              version: fetched.version,
              epoch: stamp.epoch,
              ...(fetched.upTo !== undefined && { upTo: fetched.upTo }),
            },
        stamp,
      );
      for (const [subgraph, read] of Object.entries(fetched.reads ?? {})) {
        noteRead(reads, subgraph, read, versions.stamp(subgraph));
      }
    }

    const json =
      fetched.contentType.startsWith("application/json") ||
      fetched.contentType.startsWith("application/graphql-response+json");
    const parsed: unknown = json ? JSON.parse(fetched.text) : fetched.text;
    if (fetched.status < 200 || fetched.status >= 300) {
      const statusText = STATUS_CODES[fetched.status] ?? "";
      throw new GraphQLError(`${fetched.status}: ${statusText}`, {
        extensions: {
          response: { url: this.options.url, status: fetched.status, statusText, body: parsed },
          ...(fetched.status === 401 && { code: "UNAUTHENTICATED" }),
          ...(fetched.status === 403 && { code: "FORBIDDEN" }),
        },
      });
    }
    if (typeof parsed !== "object" || parsed === null) {
      throw new Error(`Expected JSON response body, but received: ${fetched.text.slice(0, 200)}`);
    }
    // an answer with errors may not hold at the same version (a database read that failed): not kept
    if (cache && !kept && fetched.version !== null && !("errors" in parsed)) {
      cache.set(
        name,
        key,
        {
          version: fetched.version,
          epoch: sentAt,
          ...(fetched.upTo !== undefined && { upTo: fetched.upTo }),
        },
        fetched,
        fetched.text.length,
        fetched.reads ?? undefined,
      );
    }
    return positions
      ? expandEntities(parsed as GatewayGraphQLResponse, positions)
      : (parsed as GatewayGraphQLResponse);
  }

  /**
   * One signed POST to the subgraph once admitted (a write at once, a read when there is room), in a
   * client span when tracing is on.
   */
  private async send(
    body: string,
    claims: Claims | null,
    write: boolean,
    requestId?: string,
    known?: string,
  ): Promise<Fetched> {
    const { tracer } = this.options;
    const release = await this.admission.admit(write).catch((refusal: unknown) => {
      this.options.metrics.subgraphRefusals.inc({ subgraph: this.options.name });
      throw refusal;
    });
    try {
      const extra: Record<string, string> =
        known !== undefined ? { [KNOWN_VERSIONS_HEADER]: known } : {};
      return await (tracer
        ? this.sendTraced(tracer, body, claims, write, requestId, extra)
        : this.post(body, claims, write, requestId, extra));
    } finally {
      release();
    }
  }

  private async sendTraced(
    tracer: Tracer,
    body: string,
    claims: Claims | null,
    write: boolean,
    requestId: string | undefined,
    extra: Record<string, string>,
  ): Promise<Fetched> {
    const span = tracer.startSpan("subgraph.request", {
      kind: SpanKind.CLIENT,
      attributes: {
        "subgraph.name": this.options.name,
        [ATTR_HTTP_REQUEST_METHOD]: "POST",
        [ATTR_URL_FULL]: this.options.url,
      },
    });
    // traceparent (and tracestate): the subgraph's server span continues this one
    const traceHeaders: Record<string, string> = { ...extra };
    propagation.inject(trace.setSpan(context.active(), span), traceHeaders);
    try {
      const fetched = await this.post(body, claims, write, requestId, traceHeaders);
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, fetched.status);
      if (fetched.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return fetched;
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, error instanceof Error ? error.name : "Error");
      span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
      throw error;
    } finally {
      span.end();
    }
  }

  private async post(
    body: string,
    claims: Claims | null,
    write: boolean,
    requestId?: string,
    extraHeaders?: Record<string, string>,
  ): Promise<Fetched> {
    const { name, url, metrics, writeBudgetMs, secret } = this.options;
    // a graph reader's read waits on its own reads through the graph, each within the timeout
    const timeoutMs =
      this.options.readsGraph && !write ? 2 * this.options.timeoutMs : this.options.timeoutMs;
    const stop = metrics.subgraphDuration.startTimer({ subgraph: name });
    try {
      const response = await request(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(requestId && { "x-request-id": requestId }),
          ...(write && { [WRITE_DEADLINE_HEADER]: String(Date.now() + writeBudgetMs) }),
          ...extraHeaders,
          ...signRequest(secret, claims, body),
        },
        body,
        dispatcher: keepAlive,
        // a hung subgraph answers nothing: fail its fetch, not the whole request (undici's own
        // timers: an AbortSignal.timeout a fetch cost more CPU than the rest of the call)
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) metrics.subgraphErrors.inc({ subgraph: name });
      const contentType = response.headers["content-type"];
      const version = parseVersion(response.headers[DATA_VERSION_HEADER]);
      const steps =
        version === null ? undefined : stepsOf(response.headers[DATA_STEPS_HEADER], version);
      const upTo = parseScope(response.headers[READ_SCOPE_HEADER]);
      return {
        status: response.statusCode,
        contentType: (Array.isArray(contentType) ? contentType[0] : contentType) ?? "",
        text,
        version,
        ...(steps && { steps }),
        ...(upTo !== undefined && !write && { upTo }),
        ...(this.options.readsGraph && {
          reads: parseStamps(response.headers[READ_VERSIONS_HEADER]),
        }),
      };
    } catch (error) {
      metrics.subgraphErrors.inc({ subgraph: name });
      const timedOut =
        error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError;
      // a write sent may have been applied all the same: the caller reads it back before sending again
      const reason = timedOut
        ? `did not answer within ${timeoutMs} ms${write ? "; the write may or may not have been applied: read it back before writing it again" : ""}`
        : "is unreachable";
      throw new GraphQLError(`subgraph ${name} ${reason}`, {
        originalError: error instanceof Error ? error : undefined,
        extensions: {
          code: timedOut ? "SUBGRAPH_TIMEOUT" : "SUBGRAPH_UNAVAILABLE",
          subgraph: name,
        },
      });
    } finally {
      stop();
    }
  }
}
