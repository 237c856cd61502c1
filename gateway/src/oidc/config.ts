// The embedded OpenID provider's configuration, read once: where it listens and which issuer it is,
// the gateway origins its dashboard client returns to, its accounts, keys and limits. It is for a
// development machine and the tests: with NODE_ENV=production it refuses to start, and the city's
// provider (OIDC_ISSUER) takes its place.
import { boundedIntEnv, ConfigError, intEnv } from "@p06/subgraph-kit";
import { readTokenClaims, type ClaimNames, type TokenAddress } from "../trust/claims.js";
import { devKeysDir } from "../trust/keys.js";
import { defaultAccountsFile } from "./accounts.js";

/** The embedded provider's port on a development machine (`npm start`). */
export const DEFAULT_OIDC_PORT = 4001;

/**
 * The embedded provider's issuer as `npm start` runs it: http://127.0.0.1:OIDC_PORT (4001), so that a
 * developer's commands (`npm run token`, the machines' client credentials) name the issuer the
 * gateway expects without being told.
 */
export function embeddedIssuer(env: Record<string, string | undefined> = process.env): string {
  return `http://127.0.0.1:${intEnv("OIDC_PORT", DEFAULT_OIDC_PORT, env)}`;
}

export interface ProviderConfig {
  host: string;
  port: number;
  /** The provider's own URL, as tokens name it (`iss`) and the gateway is told (OIDC_ISSUER). */
  issuer: string;
  /** The gateway's origins: the dashboard client's redirect URIs are on them (clients.ts). */
  dashboardOrigins: string[];
  accountsFile: string;
  /** Where its signing key (the development key pair), cookie keys and machine secrets live. */
  keysDir: string;
  /** Where the access tokens' claims go and whom they are for (the gateway's JWT_* variables). */
  claimNames: ClaimNames;
  address: TokenAddress;
  /** How long an access token (and an ID token) lasts. */
  accessTokenSeconds: number;
  /** Failed sign-ins allowed per login and address within the window, and per address alone. */
  signInAttempts: number;
  signInAttemptsPerAddress: number;
  signInWindowSeconds: number;
  logLevel: string;
}

const ORIGIN = /^https?:\/\/[^/\s]+$/;

export function readProviderConfig(
  env: Record<string, string | undefined> = process.env,
): ProviderConfig {
  if (env.NODE_ENV === "production") {
    throw new ConfigError(
      "the embedded OpenID provider is for development and tests: in production, set the gateway's OIDC_ISSUER to the city's provider",
    );
  }
  const port = intEnv("OIDC_PORT", intEnv("PORT", DEFAULT_OIDC_PORT, env), env);
  const issuer = env.OIDC_ISSUER?.trim() || `http://127.0.0.1:${port}`;
  if (!/^https?:\/\/[^/\s]+$/.test(issuer)) {
    throw new ConfigError(
      `OIDC_ISSUER must be the provider's origin (http(s)://host:port, no path), got "${issuer}"`,
    );
  }
  const gatewayPort = intEnv("GATEWAY_PORT", 4000, env);
  const origins = (
    env.OIDC_DASHBOARD_ORIGINS?.trim() ||
    `http://127.0.0.1:${gatewayPort},http://localhost:${gatewayPort}`
  )
    .split(",")
    .map((origin) => origin.trim().replace(/\/$/, ""));
  for (const origin of origins) {
    if (!ORIGIN.test(origin)) {
      throw new ConfigError(
        `OIDC_DASHBOARD_ORIGINS must list the gateway's origins (http(s)://host:port), got "${origin}"`,
      );
    }
  }
  const { names, address } = readTokenClaims({ ...env, OIDC_ISSUER: issuer, JWT_ISSUER: issuer });
  return {
    host: env.HOST?.trim() || "127.0.0.1",
    port,
    issuer,
    dashboardOrigins: origins,
    accountsFile: env.OIDC_ACCOUNTS_FILE?.trim() || defaultAccountsFile,
    keysDir: devKeysDir(env),
    claimNames: names,
    address,
    accessTokenSeconds: boundedIntEnv("OIDC_ACCESS_TOKEN_SECONDS", 600, 10, 86_400, env),
    signInAttempts: boundedIntEnv("OIDC_SIGN_IN_ATTEMPTS", 5, 1, 1000, env),
    signInAttemptsPerAddress: boundedIntEnv(
      "OIDC_SIGN_IN_ATTEMPTS_PER_ADDRESS",
      30,
      1,
      10_000,
      env,
    ),
    signInWindowSeconds: boundedIntEnv("OIDC_SIGN_IN_WINDOW_SECONDS", 900, 1, 86_400, env),
    logLevel: env.LOG_LEVEL?.trim() || "info",
  };
}
