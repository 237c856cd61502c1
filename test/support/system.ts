// The whole system as real processes for end-to-end tests: the six subgraphs, each on its own fresh
// database of the shared test server, the gateway in front and, when a test asks, the embedded OpenID
// provider beside it. Everything started is stopped.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { connectDatabase, type Person, type Role } from "@p06/subgraph-kit";
import { secretVariable, urlVariable } from "@p06/catalogue";
import { DEMO_PASSWORD, readAccounts, type Account } from "../../gateway/src/oidc/accounts.js";
import {
  DASHBOARD_CLIENT_ID,
  readMachineSecret,
  SIGN_IN_CALLBACK_PATH,
} from "../../gateway/src/oidc/clients.js";
import { ensureDevKeys } from "../../gateway/src/trust/keys.js";
import { issueToken } from "../../gateway/src/trust/tokens.js";
import type { RunningService, SuperviseOptions } from "../../scripts/lib/processes.js";
import { subgraphs as repositorySubgraphs } from "@p06/catalogue";
import { startSystemProcesses as startRepositorySystem } from "../../scripts/lib/system.js";
import "./provided.js";

/**
 * Whom a token is for: an agency's code (or IOC) for its service account, or a person acting for one;
 * with every role acting for it may hold unless `roles` names some.
 */
export type Caller = string | { agency: string; commune?: string; person?: Person; roles?: Role[] };

/** What a browser test or a machine needs of the embedded provider a system runs. */
export interface SystemProvider {
  /** The provider's URL (OIDC_ISSUER): discovery at /.well-known/openid-configuration. */
  issuer: string;
  /** The dashboard's public client, and where it comes back after signing in (the gateway's). */
  clientId: string;
  redirectUri: string;
  /** The demo accounts, all with `password`. */
  accounts: Account[];
  password: string;
  /** A machine client's secret, as the provider generated it (clients.ts names the machines). */
  machineSecret(clientId: string): string;
  /** Its keys folder: a command pointed there (P06_KEYS_DIR) finds the machines' secrets itself. */
  keysDir: string;
}

export interface RunningSystem {
  gatewayUrl: string;
  services: Record<string, RunningService>;
  /** POSTs an operation to the gateway with a token for a caller, the IOC's service account by default. */
  query<Data = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    caller?: Caller,
  ): Promise<{
    data?: Data;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  }>;
  /** A token for a caller: an agency's code or IOC (its service account), or a person acting for one. */
  token(caller: Caller): Promise<string>;
  /** Each subgraph's shared secret with the gateway. */
  secrets: Record<string, string>;
  /** Each subgraph's database on the test server. */
  databases: Record<string, string>;
  /** The environment that points a gateway at this system's subgraphs (for a second instance). */
  gatewayEnv: Record<string, string>;
  /** The embedded OpenID provider, when the system runs one (`oidc: true`). */
  oidc?: SystemProvider;
  /** Starts a stopped (or killed) subgraph again, on the same port and database (with `env` added). */
  restart(name: string, env?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** The list of subgraphs and the process starter of another working copy (a generated subgraph's). */
async function systemAt(root: string) {
  const [catalogue, system] = await Promise.all([
    import(join(root, "subgraphs/catalogue/src/index.ts")) as Promise<
      typeof import("@p06/catalogue")
    >,
    import(join(root, "scripts/lib/system.ts")) as Promise<
      typeof import("../../scripts/lib/system.js")
    >,
  ]);
  return { subgraphs: catalogue.subgraphs, startSystemProcesses: system.startSystemProcesses };
}

export interface SystemOptions {
  /** Another working copy's system (built already). */
  root?: string;
  /** A database server of the test's own (default: the suite's shared one); the test disposes of it. */
  mongodbUri?: string;
  /** Restart a process that dies, as `npm start` does. */
  supervise?: SuperviseOptions;
  /** The gateway's port (default: a free one), for a test that must know its origin beforehand. */
  gatewayPort?: number;
  /**
   * Run the embedded OpenID provider, the gateway verifying through its discovery (as `npm start`);
   * `token(caller)` then signs as that provider does.
   */
  oidc?: boolean;
}

/**
 * Starts the system of this repository, or of another working copy at `root` (built already), each
 * subgraph on its own fresh database.
 */
export async function startSystem(
  label: string,
  env: Record<string, string> = {},
  options: SystemOptions = {},
): Promise<RunningSystem> {
  const { subgraphs, startSystemProcesses } = options.root
    ? await systemAt(options.root)
    : { subgraphs: repositorySubgraphs, startSystemProcesses: startRepositorySystem };
  const uri = options.mongodbUri ?? inject("mongodbUri");
  const prefix = `test_${label}_${randomBytes(3).toString("hex")}`;
  const databases = subgraphs.map((spec) => `${prefix}_${spec.name.replace("-", "_")}`);
  const keysDir = await mkdtemp(join(tmpdir(), "p06-keys-"));
  const keys = await ensureDevKeys(keysDir);
  const secrets = Object.fromEntries(
    subgraphs.map((spec) => [spec.name, randomBytes(32).toString("hex")]),
  );
  const processes = await startSystemProcesses({
    mongodbUri: uri,
    secrets,
    publicKeyFile: keys.publicKeyFile,
    subgraphEnv: (spec) => ({
      MONGODB_DATABASE: databases[subgraphs.indexOf(spec)]!,
      LOG_LEVEL: "warn",
      P06_DEMO_DATA: "0",
      ...env,
    }),
    gatewayEnv: { LOG_LEVEL: "warn", ...env },
    ...(options.supervise && { supervise: options.supervise }),
    ...(options.gatewayPort && { gatewayPort: options.gatewayPort }),
    ...(options.oidc && { oidc: { keysDir, env: { LOG_LEVEL: "warn", ...env } } }),
  }).catch(async (error: unknown) => {
    await rm(keysDir, { recursive: true, force: true });
    throw error;
  });
  const { services } = processes;
  const gatewayUrl = processes.gateway.url;
  // a gateway that dies unasked (not stopped, not restarted) explains the failures with its last words
  let asked = false;
  const watchGateway = () => {
    const gateway = processes.gateway;
    void gateway.exited.then((exit) => {
      if (!asked)
        console.error(
          `the gateway exited unexpectedly (${JSON.stringify(exit)}):\n${gateway.output()}`,
        );
    });
  };
  watchGateway();
  // a server of the test's own goes with its data
  const shared = !options.mongodbUri;
  const tokens = new Map<string, Promise<string>>();
  const { issuer } = processes;
  const token = (caller: Caller) => {
    const key = JSON.stringify(caller);
    if (!tokens.has(key)) {
      const whom = typeof caller === "string" ? { agency: caller } : caller;
      tokens.set(
        key,
        issueToken({
          privateKeyFile: keys.privateKeyFile,
          ...whom,
          days: 1,
          // as the embedded provider issues them, when the gateway expects its tokens
          ...(issuer && { address: { issuer, audience: "p06-gateway" } }),
        }),
      );
    }
    return tokens.get(key)!;
  };
  const oidc: SystemProvider | undefined = issuer
    ? {
        issuer,
        clientId: DASHBOARD_CLIENT_ID,
        redirectUri: `${gatewayUrl.replace(/\/graphql$/, "")}${SIGN_IN_CALLBACK_PATH}`,
        accounts: readAccounts(),
        password: DEMO_PASSWORD,
        machineSecret(clientId) {
          const secret = readMachineSecret(keysDir, clientId);
          if (!secret) throw new Error(`the embedded provider has no machine client ${clientId}`);
          return secret;
        },
        keysDir,
      }
    : undefined;
  return {
    gatewayUrl,
    services,
    secrets,
    databases: Object.fromEntries(subgraphs.map((spec, i) => [spec.name, databases[i]!])),
    gatewayEnv: {
      ...(issuer ? { OIDC_ISSUER: issuer } : { JWT_PUBLIC_KEY_FILE: keys.publicKeyFile }),
      ...Object.fromEntries(
        subgraphs.flatMap((spec) => [
          [urlVariable(spec.name), services[spec.name]!.url],
          [secretVariable(spec.name), secrets[spec.name]!],
        ]),
      ),
    },
    token,
    ...(oidc && { oidc }),
    async restart(name, env) {
      if (name !== "gateway") return processes.restart(name, env);
      asked = true;
      await processes.restart(name, env);
      asked = false;
      watchGateway();
    },
    async query(query, variables = {}, caller = "IOC") {
      const response = await fetch(gatewayUrl, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await token(caller)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      asked = true;
      await processes.stop();
      await rm(keysDir, { recursive: true, force: true });
      if (!shared) return;
      const db = await connectDatabase(uri, databases[0]!);
      for (const name of databases) await db.useDb(name).dropDatabase();
      await db.close();
    },
  };
}
