// The /graphql endpoint in three steps: `identify` (the caller's token verified once, a kept answer
// or an identical query in flight answers at once, else this request takes the lead for its query),
// then the rate limit (so it counts only what goes on to the subgraphs), then `execute` (Apollo
// Server runs the operation; a query's answer goes to those who joined, and is kept while provably
// fresh). The lead is taken before the rate limit so that a burst of identical requests makes one trip
// to it, not one each.
import { randomUUID } from "node:crypto";
import type { ApolloServer, HTTPGraphQLRequest } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { Logger } from "@p06/subgraph-kit";
import type { Claims } from "@p06/subgraph-kit";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { Kind, parse, type OperationTypeNode } from "graphql";
import { LRUCache } from "lru-cache";
import { etagMatches, etagOf, type AnswerCache } from "./answer-cache.js";
import type { Authenticate } from "./auth.js";
import type { DataVersions, Stamp } from "./data-versions.js";
import { InFlight, type Lead } from "./dedup.js";
import type { Metrics } from "./metrics.js";
import type { ExecutionNotes, GatewayContext } from "./subgraph-source.js";

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
  reads?: Map<string, Stamp>;
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
  metrics: Metrics;
  logger: Logger;
  /** The operation's label in the metrics. */
  operationLabel: (name: string | null | undefined) => string;
}

const REQUEST_ID = /^[\w.-]{1,128}$/;
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

function send(req: Request, res: Response, answer: Answer, visibility?: string): void {
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  if (answer.etag && visibility !== undefined) {
    res.setHeader("etag", answer.etag);
    // the dashboard's polling revalidates every time; nothing shared between callers
    res.setHeader("cache-control", "private, no-cache");
    if (etagMatches(req.headers["if-none-match"], answer.etag)) {
      res.status(304).end();
      return;
    }
  }
  res.setHeader("content-length", answer.body.length);
  res.status(answer.status).end(answer.body);
}

export function answerHandlers(options: AnswerOptions): {
  identify: RequestHandler;
  execute: RequestHandler;
  /** For a request refused before `execute` (the rate limit): those who joined it go on alone. */
  release: (res: Response) => void;
} {
  const { apollo, authenticate, versions, cache, metrics, logger } = options;
  const inFlight = new InFlight<Answer | null>();

  const count = (identified: Identified, answer: Answer, source: string) => {
    const seconds = (performance.now() - identified.started) / 1000;
    metrics.requests.inc({ operation: answer.operation });
    metrics.duration.observe({ operation: answer.operation }, seconds);
    metrics.answers.inc({ source });
    for (const code of answer.errorCodes) metrics.errors.inc({ operation: answer.operation, code });
    logger.info(
      {
        requestId: identified.requestId,
        caller: identified.claims?.sub ?? null,
        operation: answer.operation,
        ms: Math.round(seconds * 1000),
        errors: answer.errorCodes.length,
        source,
      },
      "graphql request",
    );
  };

  const identify: RequestHandler = async (req, res, next) => {
    const given = req.headers["x-request-id"];
    const identified: Identified = {
      requestId: typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID(),
      started: performance.now(),
      claims: null,
    };
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
    const visibility = identified.claims
      ? `${identified.claims.role}:${identified.claims.sub}`
      : "anonymous";
    identified.query = { key: `${visibility}\n${text}`, visibility };
    const kept = cache?.get(identified.query.key);
    if (kept) {
      const answer: Answer = {
        status: 200,
        headers: [["content-type", kept.contentType]],
        body: kept.body,
        operation: kept.operation,
        errorCodes: [],
        etag: kept.etag,
      };
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
      identified.query &&
      status === 200 &&
      !notes.errorCodes?.length &&
      reads.length > 0 &&
      reads.every(([, read]) => read !== null)
    ) {
      answer.reads = new Map(reads as [string, Stamp][]);
      if (cache) {
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

  return { identify, execute, release };
}
