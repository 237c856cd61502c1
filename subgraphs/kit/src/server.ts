// The HTTP side of every subgraph: GraphQL on /graphql, liveness on /healthz, readiness on /readyz.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import type { Tracer } from "@opentelemetry/api";
import express, { type RequestHandler } from "express";
import type { GraphQLFormattedError, GraphQLSchema } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { answerCachePlugin, stringifyAnswer } from "./answer-cache.js";
import { availabilityPlugin, databaseUnavailable, type DatabaseWatch } from "./availability.js";
import { isDatabaseUnavailable } from "./database.js";
import { writeDeadlinePlugin } from "./write-deadline.js";
import type { Logger } from "./logger.js";
import { jsonBodyErrors, sendRefusal } from "./refusals.js";
import type { Role } from "./roles.js";
import { callerOf, communeOf, personOf, rolesOf, verifyRequest, type Person } from "./signing.js";
import { traceRequests, tracingPlugin } from "./tracing.js";
import {
  DATA_STEPS_HEADER,
  formatStamps,
  KNOWN_VERSIONS_HEADER,
  parseStamps,
  READ_SCOPE_HEADER,
  READ_VERSIONS_HEADER,
  type Stamps,
} from "./read-versions.js";
import { formatSteps, type Steps } from "./changes/steps.js";
import { answerScope, formatScope } from "./read-scope.js";

/** Who is calling, as the gateway's signed claims say (null for an anonymous read). */
export interface RequestIdentity {
  caller: string | null;
  /** The person acting for the caller (null: a service account, or none). */
  person?: Person | null;
  /** The roles the caller's token gives (none for an anonymous read). */
  roles?: Role[];
  /** The commune a commune's person acts for (caller COMMUNE); null for anybody else. */
  commune?: string | null;
  /**
   * The other subgraphs' versions as the gateway knows them (read-versions.ts), for a subgraph whose
   * answers read their data through the graph; null when the gateway sent none.
   */
  knownVersions?: Stamps | null;
  /** The request's id as the gateway sent it (x-request-id), for what this request asks in turn. */
  requestId?: string | null;
}

/** A request id as the gateway takes one from a caller (its own are UUIDs) and passes it on. */
export const REQUEST_ID = /^[\w.-]{1,128}$/;
const requestIdOf = (value: string | string[] | undefined): string | null =>
  typeof value === "string" && REQUEST_ID.test(value) ? value : null;

/**
 * What a request's context may carry back: the other subgraphs' versions its answer read, and what it
 * could not read of them (each an error of the answer, which is then never kept).
 */
export interface ReadsOtherSubgraphs {
  readVersions?: Stamps;
  readErrors?: GraphQLFormattedError[];
}

/** Adds a request's read errors to its answer, before anything keeps the answer. */
const readErrorsPlugin: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const { readErrors } = contextValue as ReadsOtherSubgraphs;
        if (!readErrors?.length || response.body.kind !== "single") return;
        const result = response.body.singleResult;
        result.errors = [...(result.errors ?? []), ...readErrors];
      },
    };
  },
};

export interface ServeOptions<Context extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /** Builds the per-request context (and with it the request's DataLoaders). */
  context: (request: RequestIdentity) => Promise<Context> | Context;
  /** The secrets shared with the gateway: requests signed with none of them are refused. */
  secrets: readonly string[];
  host: string;
  port: number;
  logger: Logger;
  /** Whether the subgraph can serve (its database answers); drives /readyz. */
  isReady: () => Promise<boolean> | boolean;
  /**
   * The database's state: while it is away writes are refused (DATABASE_UNAVAILABLE), answers are
   * marked possibly stale and /readyz says "degraded" (still 200: reads are served from memory).
   */
  database?: DatabaseWatch;
  /** The data version (see SubgraphRuntime): on /version and in every answer's DATA_VERSION_HEADER. */
  version: () => number;
  /** Where the changes up to the data version fell (changes/steps.ts): with it on every answer. */
  steps?: () => Steps;
  /** Set when tracing is on: a span per GraphQL request and per execution. */
  tracer?: Tracer;
}

/**
 * The data version an answer was read at (a query: when it started) or that a write reached (a
 * mutation: after it was applied). The gateway keeps an answer only while its subgraphs' versions hold.
 */
export const DATA_VERSION_HEADER = "x-p06-data-version";

export interface ServingSubgraph {
  url: string;
  close(): Promise<void>;
}

export async function serveSubgraph<Context extends BaseContext>(
  options: ServeOptions<Context>,
): Promise<ServingSubgraph> {
  const { name, logger } = options;
  const app = express();
  const httpServer: Server = createServer(
    options.tracer ? traceRequests(options.tracer, "/graphql", app) : app,
  );
  const apollo = new ApolloServer<Context>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    // a kept answer is sent as serialised once, when it was kept
    stringifyResult: stringifyAnswer,
    // a request the database's going away cut short says so, never an internal error
    formatError: (formatted, error) =>
      isDatabaseUnavailable(unwrapResolverError(error))
        ? databaseUnavailable("the database went away during this request", formatted)
        : formatted,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // the default landing page loads from a CDN; subgraphs are explored through the gateway
      ApolloServerPluginLandingPageDisabled(),
      // traces are for Apollo's hosted service, which the city does not use
      ApolloServerPluginInlineTraceDisabled(),
      // answers are kept by data version, not by cache hints; its per-field hook wraps every resolver
      ApolloServerPluginCacheControlDisabled(),
      ...(options.database ? [availabilityPlugin(options.database)] : []),
      writeDeadlinePlugin(),
      readErrorsPlugin,
      answerCachePlugin({
        version: options.version,
        steps: options.steps,
        // a commune's answers are its own: the commune is part of who asks
        callerOf: (context) => {
          const { caller, commune } = context as {
            caller?: string | null;
            commune?: string | null;
          };
          return commune ? `${caller}:${commune}` : (caller ?? null);
        },
        knownOf: (context) => (context as { knownVersions?: Stamps | null }).knownVersions ?? null,
      }),
      ...(options.tracer ? [tracingPlugin(options.tracer)] : []),
      {
        async requestDidStart({ request }) {
          const started = performance.now();
          const versionAtStart = options.version();
          return {
            async willSendResponse({ errors, operation, response, contextValue }) {
              const version =
                operation?.operation === "mutation" ? options.version() : versionAtStart;
              response.http.headers.set(DATA_VERSION_HEADER, String(version));
              if (options.steps) {
                response.http.headers.set(DATA_STEPS_HEADER, formatSteps(options.steps()));
              }
              const upTo =
                operation?.operation === "query"
                  ? answerScope(contextValue, operation, request.variables)
                  : null;
              if (upTo !== null) response.http.headers.set(READ_SCOPE_HEADER, formatScope(upTo));
              const { readVersions } = contextValue as ReadsOtherSubgraphs;
              if (readVersions) {
                response.http.headers.set(
                  READ_VERSIONS_HEADER,
                  formatStamps(Object.entries(readVersions)),
                );
              }
              logger.info(
                {
                  requestId: request.http?.headers.get("x-request-id") ?? null,
                  operation: request.operationName ?? null,
                  ms: Math.round(performance.now() - started),
                  errors: errors?.length ?? 0,
                },
                "graphql request",
              );
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", subgraph: name });
  });
  // cheap, from memory, and unsigned like /healthz: a number reveals nothing
  app.get("/version", (_req, res) => {
    res.json({
      subgraph: name,
      version: options.version(),
      ...(options.steps && { steps: formatSteps(options.steps()) }),
    });
  });
  app.get("/readyz", async (_req, res) => {
    const awaySince = options.database?.available() === false && options.database.awaySince();
    if (awaySince) {
      res.json({ status: "degraded", subgraph: name, database: "unavailable", since: awaySince });
      return;
    }
    const ready = await Promise.resolve(options.isReady()).catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready", subgraph: name });
  });
  // only the gateway: the signature covers the claims, a timestamp and the exact body
  const onlyTheGateway: RequestHandler = (req, res, next) => {
    const rawBody = (req as IncomingMessage & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const verified = verifyRequest(options.secrets, req.headers, rawBody);
    if (!verified.ok) {
      logger.warn(
        { reason: verified.reason, ip: req.ip },
        "refused a request not from the gateway",
      );
      sendRefusal(res, 401, "UNAUTHENTICATED", verified.reason);
      return;
    }
    res.locals.identity = {
      caller: callerOf(verified.claims),
      person: personOf(verified.claims),
      roles: rolesOf(verified.claims),
      commune: communeOf(verified.claims),
      knownVersions: parseStamps(req.headers[KNOWN_VERSIONS_HEADER]),
      requestId: requestIdOf(req.headers["x-request-id"]),
    } satisfies RequestIdentity;
    next();
  };
  app.use(
    "/graphql",
    // keep the exact bytes for the signature; as large as the gateway lets through (a 10 MB report
    // file travels base64 in a mutation)
    express.json({
      limit: "16mb",
      verify: (req, _res, body) => {
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      },
    }),
    jsonBodyErrors(),
    onlyTheGateway,
    expressMiddleware(apollo, {
      context: async ({ res }) => options.context(res.locals.identity as RequestIdentity),
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port, options.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${name} subgraph listening`);
  return {
    url,
    async close() {
      await apollo.stop();
    },
  };
}
