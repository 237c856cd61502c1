// Keycloak in a test: the repository's realm file imported as it is, with the test realm's demo
// people, the dashboard's redirect URIs on the gateway's origin the test gives (the realm's
// P06_GATEWAY_ORIGIN), and what a test needs of it: the dashboard client for signing in (plain HTTP
// with ./sign-in.ts, or a browser), the demo people, the machine clients' secrets as Keycloak made
// them (read through its admin API, as an administrator would), and the gateway's variables.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { clientCredentialsTokens } from "@p06/subgraph-kit";
import { DEMO_PASSWORD } from "../../gateway/src/oidc/accounts.js";
import { DASHBOARD_CLIENT_ID, SIGN_IN_CALLBACK_PATH } from "../../gateway/src/oidc/clients.js";
import { freePort } from "../../scripts/lib/ferretdb.js";
import {
  REALM,
  realmDir,
  realmFiles,
  startKeycloak,
  type RunningKeycloak,
} from "../../scripts/lib/keycloak.js";
import type { Endpoints, SignIn } from "./sign-in.js";

/** The realm's URL, its issuer, for Keycloak on `port` (startTestKeycloak's). */
export const realmIssuer = (port: number) => `http://127.0.0.1:${port}/realms/${REALM}`;

/**
 * What a gateway needs to take the realm's tokens: the realm's mappers put every claim where the
 * gateway reads it by default, so only where the realm is and Keycloak's algorithm.
 */
export const gatewayEnvFor = (issuer: string) => ({ OIDC_ISSUER: issuer, JWT_ALGORITHM: "RS256" });

/** A demo person of the test realm (keycloak/p06-users-0.json), all with the demo password. */
export interface RealmPerson {
  login: string;
  name: string;
  agency: string;
  /** The commune a commune's person acts for (agency COMMUNE). */
  commune?: string;
  roles: string[];
}

export interface TestKeycloak {
  keycloak: RunningKeycloak;
  /** The realm's URL: OIDC_ISSUER, its tokens' `iss`. */
  issuer: string;
  /** What signing in as the dashboard takes, but the login and password. */
  dashboard: Omit<SignIn, "login" | "password"> & { endpoints: Endpoints };
  people: RealmPerson[];
  password: string;
  /** A machine client's secret, as Keycloak generated it at the import (the realm file has none). */
  machineSecret(clientId: string): Promise<string>;
  /** What the gateway needs to take the realm's tokens (docs/running-for-the-city.md). */
  gatewayEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The test realm's demo people, from its users file. */
export function realmPeople(): RealmPerson[] {
  const file = JSON.parse(readFileSync(join(realmDir, `${REALM}-users-0.json`), "utf8")) as {
    users: {
      username: string;
      firstName: string;
      lastName: string;
      attributes: { agency: string[]; commune?: string[] };
      realmRoles: string[];
    }[];
  };
  return file.users.map((user) => ({
    login: user.username,
    name: `${user.firstName} ${user.lastName}`,
    agency: user.attributes.agency[0]!,
    ...(user.attributes.commune && { commune: user.attributes.commune[0]! }),
    roles: user.realmRoles,
  }));
}

/**
 * Starts Keycloak with the repository's realm files, the dashboard sent back to `gatewayOrigin`
 * (`http://127.0.0.1:PORT`, no path), on `port` (default: a free one).
 */
export async function startTestKeycloak(options: {
  gatewayOrigin: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<TestKeycloak> {
  // an administrator of the master realm, the test's own, to read the secrets Keycloak made
  const admin = { clientId: "p06-test-admin", clientSecret: randomBytes(24).toString("base64url") };
  const port = options.port ?? (await freePort());
  const keycloak = await startKeycloak({
    port,
    imports: await realmFiles(),
    env: {
      P06_GATEWAY_ORIGIN: options.gatewayOrigin,
      KC_BOOTSTRAP_ADMIN_CLIENT_ID: admin.clientId,
      KC_BOOTSTRAP_ADMIN_CLIENT_SECRET: admin.clientSecret,
    },
    ...(options.log && { log: options.log }),
  });
  const issuer = realmIssuer(port);
  // as the pages' client finds them: the realm's discovery document
  const discovery = await fetch(`${issuer}/.well-known/openid-configuration`)
    .then((response) => response.json() as Promise<Record<string, string>>)
    .catch(async (error: unknown) => {
      await keycloak.stop();
      throw error;
    });
  const adminToken = clientCredentialsTokens({ issuer: `${keycloak.url}/realms/master`, ...admin });
  const adminApi = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${keycloak.url}/admin/realms/${REALM}${path}`, {
      headers: { authorization: `Bearer ${await adminToken()}` },
    });
    if (!response.ok) throw new Error(`Keycloak's admin API ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  return {
    keycloak,
    issuer,
    dashboard: {
      issuer,
      clientId: DASHBOARD_CLIENT_ID,
      redirectUri: `${options.gatewayOrigin}${SIGN_IN_CALLBACK_PATH}`,
      endpoints: {
        authorization: discovery.authorization_endpoint!,
        token: discovery.token_endpoint!,
      },
    },
    people: realmPeople(),
    password: DEMO_PASSWORD,
    async machineSecret(clientId) {
      const [client] = await adminApi<{ id: string }[]>(
        `/clients?clientId=${encodeURIComponent(clientId)}`,
      );
      if (!client) throw new Error(`the realm has no client ${clientId}`);
      return (await adminApi<{ value: string }>(`/clients/${client.id}/client-secret`)).value;
    },
    gatewayEnv: gatewayEnvFor(issuer),
    stop: () => keycloak.stop(),
  };
}

/** A token's claims, read without verifying it (the gateway verifies). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}
