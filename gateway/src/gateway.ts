// The federated gateway: @apollo/gateway over the checked-in supergraph (or, in dev mode, composed live
// from the running subgraphs), served by @apollo/server with health, readiness, metrics and the
// playground beside /graphql; answers kept while provably fresh and identical work done once.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { Tracer } from "@opentelemetry/api";
import { catalogue } from "@p06/catalogue";
import {
  createLogger,
  jsonBodyErrors,
  sendRefusal,
  traceRequests,
  type Logger,
} from "@p06/subgraph-kit";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { AnswerCache } from "./serving/answer-cache.js";
import { answerHandlers } from "./serving/answers.js";
import { createAuthenticator, isGraphReader } from "./trust/auth.js";
import type { GatewayConfig } from "./config.js";
import { DataVersions, pollVersions } from "./serving/data-versions.js";
import { ensureDevKeys } from "./trust/keys.js";
import { costLimitPlugin, rateLimitKey } from "./trust/limits.js";
import { createMetrics } from "./metrics.js";
import { exampleTabs, playgroundRouter } from "./playground/playground.js";
import { QueryPlans } from "./engine/query-plan.js";
import { originCheck } from "./trust/origins.js";
import { operationResolutionPlugin, requireJsonBody } from "./trust/request-checks.js";
import { warmUp } from "./engine/warm-up.js";
import { webRouter } from "./web-app/serve.js";
import { SubgraphSource, type Fetched, type GatewayContext } from "./engine/subgraph-source.js";
import { FetchCache } from "./serving/fetch-cache.js";
import { RETRY_AFTER_SECONDS } from "./engine/admission.js";
import type { WorkerLink } from "./serving/workers.js";

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

/** Operation names counted by name in the metrics; any other counts as "other" (bounded labels). */
const knownOperations = new Set(
  exampleTabs().flatMap((tab) =>
    [...tab.query.matchAll(/^(?:query|mutation)\s+(\w+)/gm)].map((m) => m[1]!),
  ),
);

async function subgraphReadiness(urls: Record<string, string>) {
  const entries = await Promise.all(
    Object.entries(urls).map(async ([name, url]) => {
      const ready = await fetch(url.replace(/\/graphql$/, "/readyz"), {
        signal: AbortSignal.timeout(2000),
      }).then(
        (response) => response.ok,
        () => false,
      );
      return [name, ready ? "ready" : "down"] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const operationLabel = (name: string | null | undefined) =>
  name && knownOperations.has(name) ? name : "other";

export interface GatewayOptions {
  /** Set in a worker of several: the link to the primary. */
  worker?: WorkerLink;
  /**
   * Set when tracing is on: a span per request (kept answers included) and per subgraph request,
   * around @apollo/gateway's own spans (plan, execute, one per fetch).
   */
  tracer?: Tracer;
}

export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger("gateway", config.logLevel),
  { worker, tracer }: GatewayOptions = {},
): Promise<RunningGateway> {
  const metrics = createMetrics();
  // in a worker, the primary polls the versions and tells every worker; alone, this process polls
  const versions = new DataVersions(worker?.publish);
  let stopPolling = () => {};
  if (worker) {
    worker.onStamps((stamps) => versions.merge(stamps));
    worker.shareMetrics(metrics.registry);
  } else {
    stopPolling = pollVersions(config.subgraphUrls, config.versionPollMs, (seen, lost) => {
      for (const [subgraph, given] of Object.entries(seen)) versions.observe(subgraph, given);
      for (const subgraph of lost) versions.lost(subgraph);
    });
  }
  let publicKeyFile = config.publicKeyFile;
  if (!config.oidcIssuer && !config.jwksUrl && !publicKeyFile && config.devKeysDir) {
    publicKeyFile = (await ensureDevKeys(config.devKeysDir)).publicKeyFile;
    logger.warn(
      { publicKeyFile },
      "verifying tokens with a development key (set OIDC_ISSUER in production)",
    );
  }
  const authenticate = await createAuthenticator({
    ...(config.oidcIssuer && { oidcIssuer: config.oidcIssuer }),
    ...(config.jwksUrl && { jwksUrl: config.jwksUrl }),
    ...(publicKeyFile && { publicKeyFile }),
    agencies: new Set(catalogue.agencies.map((a) => a.code)),
    anonymousRead: config.anonymousRead,
    algorithm: config.jwtAlgorithm,
    cacheSize: config.tokenCacheSize,
    claimNames: config.jwtClaims,
    address: config.jwtAddress,
    graphReaders: Object.fromEntries(
      config.graphReaders.map((name) => [name, config.secrets[name]!]),
    ),
  });
  const fetchCache = config.fetchCache
    ? new FetchCache<Fetched>(versions, config.fetchCacheMaxBytes)
    : null;
  const gateway = new ApolloGateway({
    supergraphSdl: config.dev
      ? new IntrospectAndCompose({
          subgraphs: Object.entries(config.subgraphUrls).map(([name, url]) => ({ name, url })),
          pollIntervalInMs: config.pollIntervalMs,
        })
      : config.supergraphSdl,
    buildService: ({ name, url }) => {
      const secret = config.secrets[name];
      if (!secret) throw new Error(`no secret for subgraph ${name}`);
      return new SubgraphSource({
        name,
        url: config.subgraphUrls[name] ?? url!,
        metrics,
        timeoutMs: config.subgraphTimeoutMs,
        writeBudgetMs: config.writeBudgetMs,
        secret,
        versions,
        dedup: config.dedup,
        fetchCache,
        admission: config.admission,
        readsGraph: config.graphReaders.includes(name),
        ...(tracer && { tracer }),
      });
    },
    logger: {
      debug: (message) => logger.debug(String(message)),
      info: (message) => logger.info(String(message)),
      warn: (message) => logger.warn(String(message)),
      error: (message) => logger.error(String(message)),
    },
  });

  // the playground's query plans, planned as the gateway plans (without running anything)
  const plans = config.playground ? new QueryPlans(gateway) : null;

  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth },
    maxAliases: { n: config.maxAliases },
    maxDirectives: { n: 50 },
    // the token limit is graphql's own parser option (below): armor's parses every document again
    // and answers any syntax error with a 500
    maxTokens: { enabled: false },
    // costed by costLimitPlugin, which counts list sizes
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const protection = armor.protect();

  const app = express();
  app.disable("x-powered-by");
  // answers carry their own ETag (per caller, only when provably fresh): none from express
  app.set("etag", false);
  // express, behind the kept-answer lane once the answer handlers exist (below)
  let handle: (req: IncomingMessage, res: ServerResponse) => void = app;
  const refuse = (res: ServerResponse, status: number, code: string, message: string) => {
    metrics.refusals.inc({ reason: code });
    sendRefusal(res, status, code, message);
  };
  // a page of another origin is refused (or answered, if allowed) before anything else
  const checkOrigin = originCheck(config.allowedOrigins, refuse);
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    if (!checkOrigin(req, res)) handle(req, res);
  };
  const httpServer = createServer(tracer ? traceRequests(tracer, "/graphql", serve) : serve);
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // never hand a caller a stack trace, a subgraph's address or the body it answered with
    includeStacktraceInErrorResponses: false,
    formatError: (formatted) => {
      const {
        response: _,
        stacktrace: __,
        exception: ___,
        ...extensions
      } = formatted.extensions ?? {};
      const internal = extensions.code === "INTERNAL_SERVER_ERROR";
      return {
        ...formatted,
        message: internal
          ? "an internal error occurred; the request id in the logs has the details"
          : formatted.message,
        extensions,
      };
    },
    introspection: config.introspection,
    // refuses requests a browser could send cross-site without a preflight (the default, kept explicit)
    csrfPrevention: true,
    // a syntax error, or a document over the token limit, is 400 GRAPHQL_PARSE_FAILED
    parseOptions: { maxTokens: config.maxTokens },
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      operationResolutionPlugin,
      costLimitPlugin(config.maxCost),
      // after every check of the request: a plan request is answered where execution would start
      ...(plans ? [plans.plugin] : []),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page loads from a CDN; the playground is served from /playground
      ApolloServerPluginLandingPageDisabled(),
      {
        // the answer's label and error codes, for the metrics and the log line answers.ts writes
        async requestDidStart() {
          return {
            // the details an internal error's message promises are in the logs
            async didEncounterErrors({ errors, contextValue }) {
              for (const error of errors) {
                const code = error.extensions?.code;
                if (code === undefined || code === "INTERNAL_SERVER_ERROR") {
                  logger.error(
                    { requestId: contextValue.requestId, err: error.originalError ?? error },
                    "internal error",
                  );
                }
              }
            },
            async willSendResponse({ operationName, errors, response, contextValue }) {
              // subgraphs' errors are in the body; the gateway's own in errors
              const reported =
                (response.body.kind === "single" ? response.body.singleResult.errors : undefined) ??
                errors;
              // the name the operation resolved to, even when the client sent none
              const notes = contextValue.notes;
              if (!notes) return;
              notes.operation = operationLabel(operationName);
              notes.errorCodes = (reported ?? []).map((error) =>
                String(error.extensions?.code ?? "UNKNOWN"),
              );
              // a subgraph with no room for a read: the client is told when to ask again, and an
              // answer with no data at all is a 503 (a partial one stays 200, its data usable)
              if (notes.errorCodes.includes("SUBGRAPH_BUSY")) {
                response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
                const single = response.body.kind === "single" ? response.body.singleResult : null;
                if (single && (single.data === null || single.data === undefined)) {
                  response.http.status = 503;
                }
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  await warmUp(apollo, logger, config.subgraphUrls);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/readyz", async (_req, res) => {
    const subgraphs = await subgraphReadiness(config.subgraphUrls);
    const down = Object.keys(subgraphs).filter((name) => subgraphs[name] === "down");
    // the gateway serves what is up: a down agency costs only its own fields, so stay in rotation
    res.json({ status: down.length ? "degraded" : "ready", down, subgraphs });
  });
  app.get("/metrics", async (_req, res, next) => {
    try {
      // with several workers, every worker's counts added up
      const text = worker ? await worker.clusterMetrics() : await metrics.registry.metrics();
      res.type(metrics.registry.contentType).send(text);
    } catch (error) {
      next(error);
    }
  });
  if (plans) {
    app.get("/playground", (req, res, next) => {
      // relative asset links need the trailing slash
      if (req.originalUrl === "/playground") res.redirect(301, "/playground/");
      else next();
    });
    app.use(
      "/playground/",
      playgroundRouter("/graphql", undefined, [
        // the body checks of /graphql, then its token and operation checks (query-plan.ts)
        requireJsonBody(refuse),
        express.json({ limit: config.maxBodyBytes }),
        jsonBodyErrors((code) => metrics.refusals.inc({ reason: code })),
        plans.handler(apollo, authenticate),
      ]),
    );
  }
  const { lane, identify, execute, release } = answerHandlers({
    apollo,
    authenticate,
    versions,
    cache: config.answerCache ? new AnswerCache(versions, config.answerCacheMaxBytes) : null,
    dedup: config.dedup,
    maxTokens: config.maxTokens,
    maxBodyBytes: config.maxBodyBytes,
    refuse,
    metrics,
    logger,
    operationLabel,
    traced: !!tracer,
  });
  handle = lane(app);
  app.use(
    "/graphql",
    requireJsonBody(refuse),
    express.json({ limit: config.maxBodyBytes }),
    jsonBodyErrors((code) => metrics.refusals.inc({ reason: code })),
    // verifies the token once; a kept or shared answer goes out here, never counted by the limit
    identify,
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      // with several workers, the primary keeps the counts
      ...(worker && { store: worker.rateLimitStore() }),
      keyGenerator: (req, res) =>
        rateLimitKey(res.locals.identified, ipKeyGenerator(req.ip ?? "unknown")),
      skip: (_req, res) => isGraphReader(res.locals.identified?.claims),
      handler: (_req, res) => {
        release(res);
        refuse(
          res,
          429,
          "RATE_LIMITED",
          `more than ${config.rateLimitPerMinute} requests a minute: slow down`,
        );
      },
    }),
    execute,
  );

  // the IOC's dashboard at / (after every route of the gateway's own)
  app.use(
    webRouter({
      anonymousRead: config.anonymousRead,
      tokenPaste: config.tokenPaste,
      ...(config.oidcIssuer && {
        signIn: { issuer: config.oidcIssuer, clientId: config.oidcClientId },
      }),
    }),
  );

  // a worker that started while writes landed serves nothing older than the others do
  await worker?.caughtUp();
  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, dev: config.dev }, "gateway listening");
  metrics.workersServing.set(1);
  return {
    url,
    async close() {
      stopPolling();
      await apollo.stop();
    },
  };
}
