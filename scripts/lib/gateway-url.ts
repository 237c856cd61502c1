// Where the commands that talk to the gateway (import:report, export:values, report:month, reminders)
// find it: their --url, else GATEWAY_URL, else the local gateway on GATEWAY_PORT (what npm start runs).
// The gateway's address or its /graphql both do.
import { ConfigError, intEnv } from "@p06/subgraph-kit";

/** The /graphql address of a gateway given by its address (`https://ioc.example/`) or its /graphql. */
export function graphqlAddress(url: string, from = "environment variable GATEWAY_URL"): string {
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw new ConfigError(`${from} must be an http(s) URL, got "${url}"`);
  }
  const address = new URL(url);
  const path = address.pathname.replace(/\/+$/, "");
  address.pathname = path.endsWith("/graphql") ? path : `${path}/graphql`;
  return address.toString();
}

/** The gateway's /graphql: `flag` (a command's --url), else GATEWAY_URL, else GATEWAY_PORT's. */
export function gatewayUrl(
  flag?: string,
  env: Record<string, string | undefined> = process.env,
): string {
  if (flag?.trim()) return graphqlAddress(flag.trim(), "--url");
  const url = env.GATEWAY_URL?.trim();
  if (!url) return `http://127.0.0.1:${intEnv("GATEWAY_PORT", 4000, env)}/graphql`;
  return graphqlAddress(url);
}
