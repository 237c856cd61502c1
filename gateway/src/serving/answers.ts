// The /graphql endpoint in three steps: `identify` (the caller's token verified once, a kept answer
// or an identical query in flight answers at once, else this request takes the lead for its query),
// then the rate limit (so it counts only what goes on to the subgraphs), then `execute` (Apollo
// Server runs the operation; a query's answer goes to those who joined, and is kept while provably
// fresh). The lead is taken before the rate limit so that a burst of identical requests makes one trip
// to it, not one each. In front of all three (and of express), `lane` answers a request seen before
// from its kept answer.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServer, HTTPGraphQLRequest } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import { trace } from "@opentelemetry/api";
import {
  ATTR_REQUEST_ID,
  bodyRefusal,
  formatStamps,
  READ_VERSIONS_HEADER,
  REQUEST_ID,
  WANT_READ_VERSIONS_HEADER,
  type Claims,
  type Logger,
} from "@p06/subgraph-kit";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Kind, parse, type OperationTypeNode } from "graphql";
import { LRUCache } from "lru-cache";
import { etagMatches, etagOf, type AnswerCache, type KeptAnswer } from "./answer-cache.js";
import type { Authenticate } from "../trust/auth.js";
import { visibilityOf } from "../trust/claims.js";
import type { DataVersions, Stamp } from "./data-versions.js";
import { InFlight, type Lead } from "./dedup.js";
import type { Metrics } from "../metrics.js";
import type { ExecutionNotes, GatewayContext } from "../engine/subgraph-source.js";

/** An answer as sent: shared as is with identical requests in flight, and kept when fresh. */
export interface Answer {
  status: number;
  headers: [string, string][];
  /** Encoded once: every request it answers sends these bytes (no copy, nothing for the GC). */
  body: Buffer;
  /** The operation's label in the metrics, and the error codes it answered with. */
  operation: string;
  errorCodes: string[];
  /** Set when the answer may be kept: the version of every subgraph it read from. */
  reads?: ReadonlyMap<string, Stamp>;
  etag?: string;
}

/** What `identify` learned, for the steps after it. */
interface Identified {
  requestId: string;
  started: number;
  claims: Claims | null;
  authError?: unknown;
  /** Set for a query that may be shared and kept: its key (caller's visibility and operation). */
  query?: { key: string; visibility: string };
  /** Set when this request runs a query others may join (null to them: go on alone). */
  lead?: Lead<Answer | null>;
}

export interface AnswerOptions {
  apollo: ApolloServer<GatewayContext>;
  authenticate: Authenticate;
  versions: DataVersions;
  /** Null: no answers kept. */
  cache: AnswerCache | null;
  dedup: boolean;
  /** The token limit of a document (Apollo Server refuses one over it; it is never parsed here). */
  maxTokens: number;
  /** The largest request body accepted (express.json's limit). */
  maxBodyBytes: number;
  /** Answers a refusal and counts it. */
  refuse: (res: ServerResponse, status: number, code: string, message: string) => void;
  metrics: Metrics;
  logger: Logger;
  /** The operation's label in the metrics. */
  operationLabel: (name: string | null | undefined) => string;
  /** Tracing is on: the request's span learns its id, operation and where its answer came from. */
  traced?: boolean;
}

const SIMPLE_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
];

/**
 * Each document's operations by name ("" for the only one), parsed once (none: it does not parse, or
 * has more tokens than the limit). Bounded by the documents' length too: a key is a whole document.
 */
const documents = new LRUCache<string, Map<string, OperationTypeNode>>({
  max: 2000,
  maxSize: 32 * 1024 * 1024,
  sizeCalculation: (_, query) => query.length + 1,
});

function operationType(
  query: string,
  operationName: string | undefined,
  maxTokens: number,
): OperationTypeNode | null {
  let operations = documents.get(query);
  if (operations === undefined) {
    operations = new Map<string, OperationTypeNode>();
    try {
      const definitions = parse(query, { maxTokens }).definitions;
      const ops = definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      for (const op of ops) operations.set(op.name?.value ?? "", op.operation);
      if (ops.length === 1) operations.set("", ops[0]!.operation);
    } catch {
      // Apollo Server answers it with the parse error (400); kept as "no operations"
    }
    documents.set(query, operations);
  }
  return operations.get(operationName ?? "") ?? null;
}

/** The request's operation if it is a query that may be shared: the text that identifies it. */
function queryText(req: Request, maxTokens: number): string | null {
  let query: unknown, operationName: unknown, variables: unknown, extensions: unknown;
  if (req.method === "POST") {
    if (!req.is("application/json") || typeof req.body !== "object" || Array.isArray(req.body))
      return null;
    ({ query, operationName, variables, extensions } = req.body as Record<string, unknown>);
    variables = variables === undefined || variables === null ? "" : JSON.stringify(variables);
  } else if (req.method === "GET") {
    // Apollo's CSRF prevention lets a GET through only with a header a browser cannot send cross-site
    const contentType = req.headers["content-type"]?.split(";")[0]?.trim().toLowerCase();
    const preflighted =
      req.headers["apollo-require-preflight"] !== undefined ||
      req.headers["x-apollo-operation-name"] !== undefined ||
      (contentType !== undefined && !SIMPLE_CONTENT_TYPES.includes(contentType));
    if (!preflighted) return null;
    const search = new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1));
    query = search.get("query");
    operationName = search.get("operationName") ?? undefined;
    variables = search.get("variables") ?? "";
    extensions = search.get("extensions") ?? undefined;
  } else {
    return null;
  }
  if (typeof query !== "string" || extensions !== undefined) return null;
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string")
    return null;
  const name = (operationName as string | null | undefined) ?? undefined;
  if (operationType(query, name, maxTokens) !== "query") return null;
  // the answer's media type follows Accept: part of what makes two requests the same
  return `${req.headers.accept ?? ""}\n${name ?? ""}\n${variables as string}\n${query}`;
}

/** A request as the kept-answer lane read it: its body's exact text, with the token and Accept. */
type LaneRequest = IncomingMessage & { laneKey?: string; body?: unknown };

const JSON_CONTENT = /^application\/json\s*(;|$)/i;

function send(
  req: IncomingMessage,
  res: ServerResponse,
  answer: Answer,
  visibility?: string,
): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  // a subgraph reading the graph (kit read-versions.ts) keeps what it read only with its versions
  if (answer.reads && req.headers[WANT_READ_VERSIONS_HEADER] === "1") {
    res.setHeader(READ_VERSIONS_HEADER, formatStamps(answer.reads));
  }
  if (answer.etag && visibility !== undefined) {
    res.setHeader("etag", answer.etag);
    // the dashboard's polling revalidates every time; nothing shared between callers
    res.setHeader("cache-control", "private, no-cache");
    if (etagMatches(req.headers["if-none-match"], answer.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  res.setHeader("content-length", answer.body.length);
  res.statusCode = answer.status;
  res.end(answer.body);
}

/** A kept answer as sent. */
const keptAnswer = (kept: KeptAnswer): Answer => ({
  status: 200,
  headers: [["content-type", kept.contentType]],
  body: kept.body,
  operation: kept.operation,
  errorCodes: [],
  etag: kept.etag,
  reads: kept.reads,
});

export function answerHandlers(options: AnswerOptions): {
  /** The kept-answer lane in front of `app` (express): see below. */
  lane: (
    app: (req: IncomingMessage, res: ServerResponse) => void,
  ) => (req: IncomingMessage, res: ServerResponse) => void;
  identify: RequestHandler;
  execute: RequestHandler;
  /** For a request refused before `execute` (the rate limit): those who joined it go on alone. */
  release: (res: Response) => void;
} {
  const { apollo, authenticate, versions, cache, metrics, logger } = options;
  const inFlight = new InFlight<Answer | null>();
  /** A request's exact text (token, Accept, body) to the key of its kept answer, learned in identify. */
  const laneKeys = new LRUCache<string, string>({
    max: 10_000,
    maxSize: 64 * 1024 * 1024,
    sizeCalculation: (key, laneKey) => 2 * (laneKey.length + key.length),
  });

  /** A request's id (its own, if well formed) and start; its caller is not known yet. */
  const identityOf = (req: IncomingMessage, started = performance.now()): Identified => {
    const given = req.headers["x-request-id"];
    return {
      requestId: typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID(),
      started,
      claims: null,
    };
  };

  const count = (identified: Identified, answer: Answer, source: string) => {
    const seconds = (performance.now() - identified.started) / 1000;
    metrics.requests.inc({ operation: answer.operation });
    metrics.duration.observe({ operation: answer.operation }, seconds);
    metrics.answers.inc({ operation: answer.operation, source });
    for (const code of answer.errorCodes) metrics.errors.inc({ operation: answer.operation, code });
    if (options.traced) {
      trace.getActiveSpan()?.setAttributes({
        [ATTR_REQUEST_ID]: identified.requestId,
        "graphql.operation.name": answer.operation,
        "p06.answer.source": source,
      });
    }
    logger.info(
      {
        requestId: identified.requestId,
        caller: identified.claims?.sub ?? null,
        person: identified.claims?.person?.id ?? null,
        operation: answer.operation,
        ms: Math.round(seconds * 1000),
        errors: answer.errorCodes.length,
        source,
      },
      "graphql request",
    );
  };

  /**
   * The kept-answer lane: most requests under load are ones seen a moment ago (a wall screen's
   * scorecard), whose answer is kept. A POST /graphql with a JSON body is read here; if its exact text
   * (token, Accept and body) was seen and its answer is still fresh, it is answered at once, without
   * express, its body parser and the router, which were most of such a request's cost. Anything else
   * goes on to `app` with its body parsed, as express.json would leave it (which then skips it).
   */
  const lane =
    (app: (req: IncomingMessage, res: ServerResponse) => void) =>
    (req: LaneRequest, res: ServerResponse) => {
      const length = Number(req.headers["content-length"]);
      if (
        !cache ||
        req.method !== "POST" ||
        req.url !== "/graphql" ||
        !(length > 0 && length <= options.maxBodyBytes) ||
        !JSON_CONTENT.test(req.headers["content-type"] ?? "")
      ) {
        return app(req, res);
      }
      const started = performance.now();
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.once("error", () => res.destroy());
      req.once("end", () => {
        const text = Buffer.concat(chunks).toString();
        const laneKey = `${req.headers.authorization ?? ""}\n${req.headers.accept ?? ""}\n${text}`;
        void answerKept(req, res, laneKey, started).then(
          (answered) => {
            if (answered) return;
            try {
              // as express.json's strict mode: an object or an array, nothing else
              const body: unknown = JSON.parse(text);
              if (typeof body !== "object" || body === null) throw new SyntaxError("not strict");
              req.body = body;
            } catch {
              const [status, code, message] = bodyRefusal({ type: "entity.parse.failed" })!;
              return options.refuse(res, status, code, message);
            }
            req.laneKey = laneKey;
            app(req, res);
          },
          () => res.destroy(),
        );
      });
    };

  /** Answers from the kept answers a request whose exact text was seen; false if it cannot. */
  const answerKept = async (
    req: IncomingMessage,
    res: ServerResponse,
    laneKey: string,
    started: number,
  ): Promise<boolean> => {
    const key = laneKeys.get(laneKey);
    if (key === undefined) return false;
    const request = identityOf(req, started);
    try {
      // the same token as before, but it may have expired since: verified (kept while valid)
      request.claims = await authenticate(req.headers.authorization);
    } catch {
      return false;
    }
    const visibility = visibilityOf(request.claims);
    const kept = key.startsWith(`${visibility}\n`) ? cache?.get(key) : undefined;
    if (!kept) return false;
    res.setHeader("x-request-id", request.requestId);
    const answer = keptAnswer(kept);
    count(request, answer, "kept");
    send(req, res, answer, visibility);
    return true;
  };

  const identify: RequestHandler = async (req, res, next) => {
    const identified = identityOf(req);
    res.locals.identified = identified;
    res.setHeader("x-request-id", identified.requestId);
    try {
      identified.claims = await authenticate(req.headers.authorization);
    } catch (error) {
      // answered by Apollo Server in the execute step, as a 401 GraphQL error
      identified.authError = error;
      return next();
    }
    if (!cache && !options.dedup) return next();
    const text = queryText(req, options.maxTokens);
    if (text === null) return next();
    const visibility = visibilityOf(identified.claims);
    identified.query = { key: `${visibility}\n${text}`, visibility };
    // the lane answers this exact request itself next time, while its answer is kept
    const { laneKey } = req as LaneRequest;
    if (laneKey !== undefined) laneKeys.set(laneKey, identified.query.key);
    const kept = cache?.get(identified.query.key);
    if (kept) {
      const answer = keptAnswer(kept);
      count(identified, answer, "kept");
      return send(req, res, answer, visibility);
    }
    if (!options.dedup) return next();
    const shared = inFlight.join(identified.query.key, versions.generation);
    if (!shared) {
      const lead = inFlight.lead(identified.query.key, versions.generation);
      identified.lead = lead;
      // however this request ends, nobody waits on it for ever
      res.once("close", () => lead.settle(null));
      return next();
    }
    const answer = await shared;
    // the one in the lead was refused (rate limit) or failed: this request goes on alone
    if (!answer) return next();
    count(identified, answer, "shared");
    send(req, res, answer, visibility);
  };

  const run = async (req: Request, identified: Identified): Promise<Answer> => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "",
      body: req.body,
    };
    const notes: ExecutionNotes = { reads: new Map() };
    const context: GatewayContext = {
      requestId: identified.requestId,
      claims: identified.claims,
      notes,
    };
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => {
        if (identified.authError) throw identified.authError;
        return context;
      },
    });
    let text: string;
    if (response.body.kind === "complete") {
      text = response.body.string;
    } else {
      text = "";
      for await (const chunk of response.body.asyncIterator) text += chunk;
    }
    const body = Buffer.from(text);
    const status = response.status ?? 200;
    const answer: Answer = {
      status,
      headers: [...response.headers],
      body,
      operation: notes.operation ?? options.operationLabel(undefined),
      // a refused token never reaches the plugins that note the codes
      errorCodes: notes.errorCodes ?? (identified.authError ? ["UNAUTHENTICATED"] : []),
    };
    const reads = [...notes.reads.entries()];
    if (
      status === 200 &&
      !notes.errorCodes?.length &&
      reads.length > 0 &&
      reads.every(([, read]) => read !== null)
    ) {
      answer.reads = new Map(reads as [string, Stamp][]);
      if (cache && identified.query) {
        answer.etag = etagOf(identified.query.visibility, body);
        cache.set(identified.query.key, {
          body,
          contentType: response.headers.get("content-type") ?? "application/json; charset=utf-8",
          etag: answer.etag,
          reads: answer.reads,
          operation: answer.operation,
        });
      }
    }
    return answer;
  };

  const execute: RequestHandler = async (req: Request, res: Response, next: NextFunction) => {
    const identified = res.locals.identified as Identified;
    try {
      const answer = await run(req, identified);
      identified.lead?.settle(answer);
      count(identified, answer, "executed");
      send(req, res, answer, identified.query?.visibility);
    } catch (error) {
      identified.lead?.settle(null);
      next(error);
    }
  };

  const release = (res: Response) =>
    (res.locals.identified as Identified | undefined)?.lead?.settle(null);

  return { lane, identify, execute, release };
}
