// Where the commands that talk to the gateway (import:report, export:values) find it.
import { ConfigError, intEnv } from "@p06/subgraph-kit";

/** The gateway's /graphql: GATEWAY_URL, else the local gateway on GATEWAY_PORT (what npm start runs). */
export function gatewayUrl(env: Record<string, string | undefined> = process.env): string {
  const url = env.GATEWAY_URL?.trim();
  if (!url) return `http://127.0.0.1:${intEnv("GATEWAY_PORT", 4000, env)}/graphql`;
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`environment variable GATEWAY_URL must be an http(s) URL, got "${url}"`);
  }
  return url;
}
