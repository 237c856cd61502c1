// The federated gateway: @apollo/gateway over the checked-in supergraph (or, in dev mode, composed live
// from the running subgraphs), served by @apollo/server with health, readiness, metrics and the
// playground beside /graphql.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloGateway, IntrospectAndCompose } from "@apollo/gateway";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import { catalogue } from "@p06/plan/catalogue";
import { createLogger, jsonBodyErrors, sendRefusal, type Logger } from "@p06/subgraph-kit";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import express from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { createAuthenticator } from "./auth.js";
import type { GatewayConfig } from "./config.js";
import { ensureDevKeys } from "./keys.js";
import { costLimitPlugin } from "./limits.js";
import { createMetrics } from "./metrics.js";
import { exampleTabs, playgroundRouter } from "./playground.js";
import { SubgraphSource, type GatewayContext } from "./subgraph-source.js";

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

const REQUEST_ID = /^[\w.-]{1,128}$/;
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

export async function startGateway(
  config: GatewayConfig,
  logger: Logger = createLogger("gateway", config.logLevel),
): Promise<RunningGateway> {
  const metrics = createMetrics();
  let publicKeyFile = config.publicKeyFile;
  if (!config.jwksUrl && !publicKeyFile && config.devKeysDir) {
    publicKeyFile = (await ensureDevKeys(config.devKeysDir)).publicKeyFile;
    logger.warn(
      { publicKeyFile },
      "verifying tokens with a development key (set JWT_JWKS_URL or JWT_PUBLIC_KEY_FILE in production)",
    );
  }
  const authenticate = await createAuthenticator({
    ...(config.jwksUrl && { jwksUrl: config.jwksUrl }),
    ...(publicKeyFile && { publicKeyFile }),
    agencies: new Set(catalogue.agencies.map((a) => a.code)),
    anonymousRead: config.anonymousRead,
    algorithm: config.jwtAlgorithm,
  });
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
      return new SubgraphSource(
        name,
        config.subgraphUrls[name] ?? url!,
        metrics,
        config.subgraphTimeoutMs,
        secret,
      );
    },
    logger: {
      debug: (message) => logger.debug(String(message)),
      info: (message) => logger.info(String(message)),
      warn: (message) => logger.warn(String(message)),
      error: (message) => logger.error(String(message)),
    },
  });

  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth },
    maxAliases: { n: config.maxAliases },
    maxDirectives: { n: 50 },
    maxTokens: { n: config.maxTokens },
    // costed by costLimitPlugin, which counts list sizes
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !config.introspection },
  });
  const protection = armor.protect();

  const app = express();
  app.disable("x-powered-by");
  const httpServer = createServer(app);
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
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      costLimitPlugin(config.maxCost),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Apollo's default landing page loads from a CDN; the playground is served from /playground
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart({ contextValue }) {
          const started = performance.now();
          return {
            async willSendResponse({ operationName, errors, response }) {
              // the name the operation resolved to, even when the client sent none
              const operation =
                operationName && knownOperations.has(operationName) ? operationName : "other";
              const seconds = (performance.now() - started) / 1000;
              metrics.requests.inc({ operation });
              metrics.duration.observe({ operation }, seconds);
              // subgraphs' errors are in the body; the gateway's own in errors
              const reported =
                (response.body.kind === "single" ? response.body.singleResult.errors : undefined) ??
                errors;
              for (const error of reported ?? []) {
                metrics.errors.inc({
                  operation,
                  code: String(error.extensions?.code ?? "UNKNOWN"),
                });
              }
              logger.info(
                {
                  requestId: contextValue.requestId,
                  caller: contextValue.claims?.sub ?? null,
                  operation: operationName ?? null,
                  ms: Math.round(seconds * 1000),
                  errors: reported?.length ?? 0,
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
    res.json({ status: "ok", service: "gateway" });
  });
  app.get("/readyz", async (_req, res) => {
    const subgraphs = await subgraphReadiness(config.subgraphUrls);
    const down = Object.keys(subgraphs).filter((name) => subgraphs[name] === "down");
    // the gateway serves what is up: a down agency costs only its own fields, so stay in rotation
    res.json({ status: down.length ? "degraded" : "ready", down, subgraphs });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  if (config.playground) {
    app.get("/playground", (req, res, next) => {
      // relative asset links need the trailing slash
      if (req.originalUrl === "/playground") res.redirect(301, "/playground/");
      else next();
    });
    app.use("/playground/", playgroundRouter("/graphql"));
  }
  const refuse = (res: express.Response, status: number, code: string, message: string) => {
    metrics.refusals.inc({ reason: code });
    sendRefusal(res, status, code, message);
  };
  app.use(
    "/graphql",
    rateLimit({
      windowMs: 60_000,
      limit: config.rateLimitPerMinute,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      // per caller: the token's subject when there is one (verified later), else the address
      // per verified caller; anything else (no token, a bad one) by address, so a made-up subject
      // can neither dodge the limit nor use up an agency's
      keyGenerator: async (req) => {
        const claims = await authenticate(req.headers.authorization).catch(() => null);
        return claims ? `sub:${claims.sub}` : `ip:${ipKeyGenerator(req.ip ?? "unknown")}`;
      },
      handler: (_req, res) =>
        refuse(
          res,
          429,
          "RATE_LIMITED",
          `more than ${config.rateLimitPerMinute} requests a minute: slow down`,
        ),
    }),
    express.json({ limit: config.maxBodyBytes }),
    jsonBodyErrors((code) => metrics.refusals.inc({ reason: code })),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const given = req.headers["x-request-id"];
        const requestId =
          typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader("x-request-id", requestId);
        return { requestId, claims: await authenticate(req.headers.authorization) };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, dev: config.dev }, "gateway listening");
  return {
    url,
    async close() {
      await apollo.stop();
    },
  };
}
