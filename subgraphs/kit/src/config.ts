// Configuration is read here, once, and a missing or malformed variable stops start-up by name.
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function requireEnv(name: string, env: Env = process.env): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

/** A whole number from `min` to `max` in the environment, else `fallback`; anything else stops start-up. */
export function boundedIntEnv(
  name: string,
  fallback: number,
  min: number,
  max: number,
  env: Env = process.env,
): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `environment variable ${name} must be a whole number from ${min} to ${max}, got "${raw}"`,
    );
  }
  return value;
}

export function intEnv(name: string, fallback: number, env: Env = process.env): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new ConfigError(`environment variable ${name} must be a port number, got "${raw}"`);
  }
  return value;
}

export interface SubgraphConfig {
  /** MongoDB server, without a database name (`mongodb://host:port/`). */
  mongodbUri: string;
  /** This subgraph's own database: one per subgraph, never shared. */
  database: string;
  host: string;
  port: number;
  logLevel: string;
  /**
   * The secrets a request may be signed with: the one shared with the gateway (SUBGRAPH_SECRET) and,
   * while it is being rotated, the one before it (SUBGRAPH_SECRET_PREVIOUS).
   */
  secrets: string[];
}

/** Reads a subgraph's configuration; `name` gives the default database (`p06_<name>`). */
export function readSubgraphConfig(
  name: string,
  defaultPort: number,
  env: Env = process.env,
): SubgraphConfig {
  return {
    mongodbUri: requireEnv("MONGODB_URI", env),
    database: env.MONGODB_DATABASE?.trim() || `p06_${name.replaceAll("-", "_")}`,
    host: env.HOST?.trim() || "127.0.0.1",
    port: intEnv("PORT", defaultPort, env),
    logLevel: env.LOG_LEVEL?.trim() || "info",
    secrets: [
      requireSecret("SUBGRAPH_SECRET", env),
      ...(env.SUBGRAPH_SECRET_PREVIOUS?.trim()
        ? [requireSecret("SUBGRAPH_SECRET_PREVIOUS", env)]
        : []),
    ],
  };
}

/** A shared secret: present and long enough to resist guessing (32 characters or more). */
export function requireSecret(name: string, env: Env = process.env): string {
  const value = requireEnv(name, env);
  if (value.length < 32)
    throw new ConfigError(`environment variable ${name} must be at least 32 characters`);
  return value;
}
