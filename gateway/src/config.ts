// The gateway's configuration, read once; a malformed variable stops start-up by name.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { secretVariable, urlVariable } from "@p06/catalogue";
import { ConfigError, intEnv, requireSecret } from "@p06/subgraph-kit";
import type { AdmissionLimits } from "./engine/admission.js";
import { DASHBOARD_CLIENT_ID } from "./oidc/clients.js";
import { readTokenClaims, type ClaimNames, type TokenAddress } from "./trust/claims.js";
import { devKeysDir } from "./trust/keys.js";

export interface GatewayConfig {
  host: string;
  port: number;
  /** The composed supergraph (production), unless dev composes live from the subgraphs. */
  supergraphSdl: string;
  /** Subgraph name → URL, overriding the URLs recorded in the supergraph. */
  subgraphUrls: Record<string, string>;
  /** Compose live from the running subgraphs and pick up changes without restart. */
  dev: boolean;
  /** How often dev mode re-reads the subgraphs' schemas. */
  pollIntervalMs: number;
  /** Per-subgraph request timeout. */
  subgraphTimeoutMs: number;
  /** How long a write may take before its subgraph refuses it unapplied (its deadline, sent along). */
  writeBudgetMs: number;
  logLevel: string;
  /** Each subgraph's shared secret for signing the requests the gateway forwards. */
  secrets: Record<string, string>;
  /**
   * The subgraphs whose answers read the graph (GRAPH_READERS, default the plan, whose review reads
   * the agencies' figures): each is told the versions the gateway knows, names the versions it read,
   * and may call the gateway as the IOC's viewer with a token signed by its secret.
   */
  graphReaders: string[];
  /**
   * Where tokens are verified: the OpenID provider's keys (OIDC_ISSUER: its discovery document names
   * them), a JWKS URL or a PEM public key file (dev: generated).
   */
  oidcIssuer?: string;
  /** The pages' OpenID Connect client at that provider (OIDC_CLIENT_ID), told to the pages. */
  oidcClientId: string;
  jwksUrl?: string;
  publicKeyFile?: string;
  /** Where development keys are generated when neither is set (not in production). */
  devKeysDir: string | null;
  /** Let callers without a token read. */
  anonymousRead: boolean;
  /**
   * Other web origins whose pages may call the gateway from a browser (CORS): by default the
   * gateway's own, under both names of this machine. The pages it serves itself need none.
   */
  allowedOrigins: string[];
  /** A developer's switch: the pages offer to paste a token (DASHBOARD_TOKEN_PASTE; never in production). */
  tokenPaste: boolean;
  /** The tokens' algorithm (the key file's kind). */
  jwtAlgorithm: "ES256" | "RS256";
  /** Where a token holds the person, the agency they act for and the role (JWT_*_CLAIM). */
  jwtClaims: ClaimNames;
  /** The issuer and audience a token must name (JWT_ISSUER, JWT_AUDIENCE). */
  jwtAddress: TokenAddress;
  /** Serve the schema to introspection and the playground page (off by default in production). */
  introspection: boolean;
  playground: boolean;
  maxDepth: number;
  maxCost: number;
  maxAliases: number;
  maxTokens: number;
  /** Largest request body (a report file travels base64 in a mutation: up to 10 MB of file). */
  maxBodyBytes: number;
  /** Requests a caller (a person, an agency's service account, else an address) may make a minute that reach the subgraphs. */
  rateLimitPerMinute: number;
  /** Worker processes serving requests (node:cluster); 1 serves from this process. */
  workers: number;
  /** Keep answers while every subgraph they read from is at the data version they were read at. */
  answerCache: boolean;
  /** Bound on the kept answers' bytes, per worker. */
  answerCacheMaxBytes: number;
  /** Share one execution among identical queries in flight, and one fetch among identical subgraph fetches. */
  dedup: boolean;
  /** Keep each subgraph fetch while that subgraph is at the data version it was read at. */
  fetchCache: boolean;
  /** Bound on the kept fetches' bytes, per worker. */
  fetchCacheMaxBytes: number;
  /**
   * Admission control per subgraph and worker: reads in flight (SUBGRAPH_CONCURRENCY, the gateway's
   * bound, shared out among its workers), reads waiting, and their wait.
   */
  admission: AdmissionLimits;
  /** How often each subgraph's GET /version is read (another gateway's writes show within this). */
  versionPollMs: number;
  /** Verified tokens kept until they expire (a bounded number). */
  tokenCacheSize: number;
}

export const defaultSupergraphPath = fileURLToPath(
  new URL("../../schema/supergraph.graphql", import.meta.url),
);

/** The subgraph names the supergraph records, with their URLs (join__graph). */
export function supergraphSubgraphs(sdl: string): Record<string, string> {
  const graphs: Record<string, string> = {};
  for (const match of sdl.matchAll(/@join__graph\(name: "([^"]+)", url: "([^"]+)"\)/g)) {
    graphs[match[1]!] = match[2]!;
  }
  return graphs;
}

/** GATEWAY_SUBGRAPHS="name=url,name=url": an explicit list for dev mode (e.g. a subset). */
function explicitSubgraphs(value: string): Record<string, string> {
  return Object.fromEntries(
    value.split(",").map((entry) => {
      const [name, url] = entry.split("=").map((part) => part.trim());
      if (!name || !url || !/^https?:\/\//.test(url)) {
        throw new ConfigError(`GATEWAY_SUBGRAPHS entry "${entry}" is not name=http(s)://url`);
      }
      return [name, url];
    }),
  );
}

/**
 * GRAPH_READERS: subgraph names, comma-separated, each one of the supergraph's; by default the plan
 * (when the supergraph has it).
 */
function graphReaders(value: string | undefined, subgraphs: string[]): string[] {
  if (value === undefined) return subgraphs.filter((name) => name === "plan");
  const names = value
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !subgraphs.includes(name));
  if (unknown.length) {
    throw new ConfigError(
      `GRAPH_READERS names ${unknown.join(", ")}, not among the subgraphs (${subgraphs.join(", ")})`,
    );
  }
  return names;
}

/**
 * The gateway's workers unless GATEWAY_WORKERS says: half the cores, at least one. The gateway
 * shares its machine with the subgraphs and the database as npm start runs them, and each worker
 * keeps its own answers, so each added worker computes every new answer once again (measured on 2
 * cores: one worker serves the real mix faster than two). On a machine of its own: the cores.
 */
export const defaultWorkers = () => Math.max(1, Math.floor(availableParallelism() / 2));

export function readGatewayConfig(
  env: Record<string, string | undefined> = process.env,
): GatewayConfig {
  const supergraphSdl = readFileSync(env.SUPERGRAPH_PATH?.trim() || defaultSupergraphPath, "utf8");
  const subgraphUrls = env.GATEWAY_SUBGRAPHS?.trim()
    ? explicitSubgraphs(env.GATEWAY_SUBGRAPHS)
    : Object.fromEntries(
        Object.entries(supergraphSubgraphs(supergraphSdl)).map(([name, url]) => [
          name,
          env[urlVariable(name)]?.trim() || url,
        ]),
      );
  const port = intEnv("GATEWAY_PORT", intEnv("PORT", 4000, env), env);
  const workers = positive("GATEWAY_WORKERS", defaultWorkers(), env);
  return {
    host: env.HOST?.trim() || "127.0.0.1",
    port,
    supergraphSdl,
    subgraphUrls,
    dev: env.GATEWAY_DEV === "1",
    pollIntervalMs: intEnv("GATEWAY_POLL_MS", 2000, env),
    subgraphTimeoutMs: intEnv("SUBGRAPH_TIMEOUT_MS", 10_000, env),
    writeBudgetMs: positive("WRITE_BUDGET_MS", 2000, env),
    logLevel: env.LOG_LEVEL?.trim() || "info",
    secrets: Object.fromEntries(
      Object.keys(subgraphUrls).map((name) => [name, requireSecret(secretVariable(name), env)]),
    ),
    graphReaders: graphReaders(env.GRAPH_READERS, Object.keys(subgraphUrls)),
    ...(env.OIDC_ISSUER?.trim() && { oidcIssuer: issuerUrl(env.OIDC_ISSUER.trim()) }),
    oidcClientId: env.OIDC_CLIENT_ID?.trim() || DASHBOARD_CLIENT_ID,
    ...(env.JWT_JWKS_URL?.trim() && { jwksUrl: env.JWT_JWKS_URL.trim() }),
    ...(env.JWT_PUBLIC_KEY_FILE?.trim() && { publicKeyFile: env.JWT_PUBLIC_KEY_FILE.trim() }),
    devKeysDir: env.NODE_ENV === "production" ? null : devKeysDir(env),
    anonymousRead: env.ANONYMOUS_READ === "1",
    allowedOrigins: originList(
      env.GATEWAY_ALLOWED_ORIGINS,
      `http://127.0.0.1:${port},http://localhost:${port}`,
    ),
    tokenPaste: tokenPaste(env),
    jwtAlgorithm: jwtAlgorithm(env.JWT_ALGORITHM),
    ...tokenClaims(env),
    introspection: flag(env.INTROSPECTION, env.NODE_ENV !== "production"),
    playground: flag(env.PLAYGROUND, env.NODE_ENV !== "production"),
    maxDepth: positive("MAX_DEPTH", 15, env),
    maxCost: positive("MAX_COST", 100_000, env),
    maxAliases: positive("MAX_ALIASES", 30, env),
    maxTokens: positive("MAX_TOKENS", 10_000, env),
    maxBodyBytes: positive("MAX_BODY_BYTES", 15 * 1024 * 1024, env),
    rateLimitPerMinute: positive("RATE_LIMIT_PER_MINUTE", 600, env),
    workers,
    answerCache: flag(env.ANSWER_CACHE, true),
    answerCacheMaxBytes: positive("ANSWER_CACHE_MAX_BYTES", 64 * 1024 * 1024, env),
    dedup: flag(env.DEDUP, true),
    fetchCache: flag(env.FETCH_CACHE, true),
    fetchCacheMaxBytes: positive("FETCH_CACHE_MAX_BYTES", 64 * 1024 * 1024, env),
    admission: {
      // the gateway's bound, whatever its workers: each holds its share
      concurrency: Math.ceil(positive("SUBGRAPH_CONCURRENCY", 16, env) / workers),
      queueLength: positive("SUBGRAPH_QUEUE", 64, env),
      queueTimeoutMs: positive("SUBGRAPH_QUEUE_MS", 1000, env),
    },
    versionPollMs: positive("GATEWAY_VERSION_POLL_MS", 250, env),
    tokenCacheSize: positive("TOKEN_CACHE_SIZE", 10_000, env),
  };
}

function tokenClaims(env: Record<string, string | undefined>) {
  const { names, address } = readTokenClaims(env);
  return { jwtClaims: names, jwtAddress: address };
}

/** GATEWAY_ALLOWED_ORIGINS: origins (scheme, host, port; no path) separated by commas. */
function originList(value: string | undefined, fallback: string): string[] {
  const origins = (value?.trim() || fallback)
    .split(",")
    .map((origin) => origin.trim().replace(/\/$/, ""))
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `GATEWAY_ALLOWED_ORIGINS must list origins (http(s)://host:port, no path), got "${origin}"`,
      );
    }
  }
  return origins;
}

/** Pasting a token on the pages skips the sign-in people use: a developer's switch, refused in production. */
function tokenPaste(env: Record<string, string | undefined>): boolean {
  const on = flag(env.DASHBOARD_TOKEN_PASTE, false);
  if (on && env.NODE_ENV === "production") {
    throw new ConfigError(
      "DASHBOARD_TOKEN_PASTE is a developer's switch: people sign in through OIDC_ISSUER in production",
    );
  }
  return on;
}

function issuerUrl(value: string): string {
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(value)) {
    throw new ConfigError(`OIDC_ISSUER must be the OpenID provider's http(s) URL, got "${value}"`);
  }
  return value;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === "") return fallback;
  if (value === "1" || value === "0") return value === "1";
  throw new ConfigError(`a switch must be 1 or 0, got "${value}"`);
}

function positive(name: string, fallback: number, env: Record<string, string | undefined>): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError(
      `environment variable ${name} must be a positive whole number, got "${raw}"`,
    );
  }
  return value;
}

function jwtAlgorithm(value: string | undefined): "ES256" | "RS256" {
  const algorithm = value?.trim() || "ES256";
  if (algorithm !== "ES256" && algorithm !== "RS256") {
    throw new ConfigError(`JWT_ALGORITHM must be ES256 or RS256, got "${algorithm}"`);
  }
  return algorithm;
}
