// The system as processes: the six subgraphs side by side, each with its secret, and (when asked) the
// embedded OpenID provider beside them, then the gateway in front with their URLs, their secrets and
// where to find the keys that verify tokens: the provider's discovery, else a public key file. `npm
// start`, the benchmark and the end-to-end tests all start it here. Supervised (npm start), a process
// that dies is started again.
import { secretVariable, urlVariable } from "@p06/catalogue";
import { freePort } from "./ferretdb.js";
import {
  spawnService,
  supervise,
  type RunningService,
  type SpawnOptions,
  type SuperviseOptions,
  type Supervised,
} from "./processes.js";
import { subgraphs, type SubgraphSpec } from "@p06/catalogue";

/**
 * The gateway's node flags: a young generation of 128 MB semi-spaces, since every request allocates
 * short-lived answers and plans' results, and a computed page's parsed fetches live across its
 * awaits: under the dashboard's mix it gave more reads at a lower p99 than 64 or 32, for about
 * 150 MB more resident (BENCHMARKS.md). Its workers inherit them.
 */
export const GATEWAY_NODE_FLAGS = ["--max-semi-space-size=128"];

export interface SystemOptions {
  mongodbUri: string;
  /** One secret per subgraph, shared with the gateway. */
  secrets: Record<string, string>;
  /** The PEM public key the gateway verifies tokens with (unless the embedded provider runs). */
  publicKeyFile: string;
  /**
   * Run the embedded OpenID provider (gateway/src/oidc) and have the gateway verify its tokens
   * through its discovery document (OIDC_ISSUER): its keys folder (the development key pair it signs
   * with, the machines' secrets), its port (default: a free one), its extra environment.
   */
  oidc?: { keysDir: string; port?: number; env?: Record<string, string> };
  /** A subgraph's port (default: a free one); the gateway's is `gatewayPort`. */
  portOf?: (spec: SubgraphSpec) => number;
  gatewayPort?: number;
  /** Extra environment of one subgraph (its database, demo data, log level...). */
  subgraphEnv?: (spec: SubgraphSpec) => Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Node flags added to every service's, subgraphs and gateway (a benchmark's --cpu-prof, say). */
  nodeFlags?: string[];
  onLine?: (service: string, line: string) => void;
  onReady?: (service: string, ms: number) => void;
  /** Set to restart a process that dies (same port, same database), as `supervise` says. */
  supervise?: SuperviseOptions;
}

export interface RunningSystemProcesses {
  /** The subgraphs by name, in start order, and the gateway under "gateway" (the running ones). */
  services: Record<string, RunningService>;
  gateway: RunningService;
  /** The embedded OpenID provider's issuer (its URL), when it runs. */
  issuer?: string;
  /** Starts a stopped (or killed) subgraph again, on the same port and database (with `env` added). */
  restart(name: string, env?: Record<string, string>): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startSystemProcesses(
  options: SystemOptions,
): Promise<RunningSystemProcesses> {
  const services: Record<string, RunningService> = {};
  const spawnOptions: Record<string, SpawnOptions> = {};
  const supervisors: Record<string, Supervised<RunningService>> = {};
  const started = Date.now();
  let issuer: string | undefined;
  const keepAlive = (name: string) => {
    if (!options.supervise) return;
    supervisors[name] = supervise(name, services[name]!, () => spawnService(spawnOptions[name]!), {
      ...options.supervise,
      onRestart: (service) => {
        services[name] = service as RunningService;
        options.supervise?.onRestart?.(service);
      },
    });
  };
  const spawn = async (name: string, spawnOption: SpawnOptions) => {
    spawnOptions[name] = spawnOption;
    services[name] = await spawnService(spawnOption);
    options.onReady?.(name, Date.now() - started);
    keepAlive(name);
  };
  const stop = async (signal?: NodeJS.Signals) => {
    await Promise.all(
      Object.entries(services).map(([name, service]) =>
        (supervisors[name] ?? service).stop(signal),
      ),
    );
  };
  try {
    const gatewayPort = options.gatewayPort ?? (await freePort());
    // verified through the provider's discovery when it runs, else with the public key file
    let verifyWith: Record<string, string> = { JWT_PUBLIC_KEY_FILE: options.publicKeyFile };
    const oidc = options.oidc;
    let startProvider = async () => {};
    if (oidc) {
      const port = oidc.port ?? (await freePort());
      issuer = `http://127.0.0.1:${port}`;
      verifyWith = { OIDC_ISSUER: issuer };
      startProvider = () =>
        spawn("oidc", {
          name: "oidc",
          entry: "gateway/src/oidc/index.ts",
          port,
          env: {
            OIDC_ISSUER: issuer!,
            P06_KEYS_DIR: oidc.keysDir,
            // the dashboard's sign-in comes back to the gateway, under either name of this machine
            OIDC_DASHBOARD_ORIGINS: `http://127.0.0.1:${gatewayPort},http://localhost:${gatewayPort}`,
            GATEWAY_PORT: String(gatewayPort),
            ...oidc.env,
          },
          onLine: (line) => options.onLine?.("oidc", line),
        });
    }
    // the subgraphs and the provider are independent: they start side by side
    const ready = await Promise.allSettled([
      startProvider(),
      ...subgraphs.map(async (spec) =>
        spawn(spec.name, {
          ...spec,
          ...(options.nodeFlags && { nodeFlags: options.nodeFlags }),
          port: options.portOf?.(spec) ?? (await freePort()),
          env: {
            // only the gateway calls a subgraph; production mode also spares graphql-js its
            // development checks (each failed instanceof looked at twice, for a second copy of it)
            NODE_ENV: "production",
            MONGODB_URI: options.mongodbUri,
            APOLLO_TELEMETRY_DISABLED: "1",
            SUBGRAPH_SECRET: options.secrets[spec.name]!,
            // the plan's review reads the agencies' figures through the gateway
            P06_GRAPH_URL: `http://127.0.0.1:${gatewayPort}/graphql`,
            ...options.subgraphEnv?.(spec),
          },
          onLine: (line) => options.onLine?.(spec.name, line),
          readyTimeoutMs: 180_000,
        }),
      ),
    ]);
    const failed = ready.find((result) => result.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await spawn("gateway", {
      name: "gateway",
      entry: "gateway/src/index.ts",
      nodeFlags: [...GATEWAY_NODE_FLAGS, ...(options.nodeFlags ?? [])],
      port: gatewayPort,
      env: {
        APOLLO_TELEMETRY_DISABLED: "1",
        GATEWAY_PORT: String(gatewayPort),
        ...verifyWith,
        ...options.gatewayEnv,
        ...Object.fromEntries(
          subgraphs.map((spec) => [urlVariable(spec.name), services[spec.name]!.url]),
        ),
        ...Object.fromEntries(
          subgraphs.map((spec) => [secretVariable(spec.name), options.secrets[spec.name]!]),
        ),
      },
      onLine: (line) => options.onLine?.("gateway", line),
    });
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
  return {
    services,
    get gateway() {
      return services.gateway!;
    },
    ...(issuer && { issuer }),
    async restart(name, env) {
      await (supervisors[name] ?? services[name]!).stop("SIGKILL");
      const before = spawnOptions[name]!;
      spawnOptions[name] = env ? { ...before, env: { ...before.env, ...env } } : before;
      services[name] = await spawnService(spawnOptions[name]);
      keepAlive(name);
    },
    stop,
  };
}
