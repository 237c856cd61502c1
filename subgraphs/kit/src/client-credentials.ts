// A machine's tokens for the gateway (the reminders scheduler, the commands): OAuth 2.0 client
// credentials at the OpenID provider's token endpoint, found through its discovery document. A token
// is kept in memory until shortly before it expires and never written anywhere.

export interface ClientCredentials {
  /** The OpenID provider (OIDC_ISSUER): its discovery document names the token endpoint. */
  issuer: string;
  clientId: string;
  clientSecret: string;
}

/** How long before its expiry a kept token is replaced. */
const RENEW_BEFORE_MS = 60_000;

/** The provider's token endpoint, from its discovery document. */
async function tokenEndpoint(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) {
    throw new Error(`the OpenID provider's discovery document ${url} answered ${response.status}`);
  }
  const { token_endpoint: endpoint } = (await response.json()) as { token_endpoint?: unknown };
  if (typeof endpoint !== "string") {
    throw new Error(`the OpenID provider's discovery document ${url} names no token_endpoint`);
  }
  return endpoint;
}

/**
 * A source of bearer tokens for one machine client: each call answers the kept token, or asks the
 * provider for a new one when there is none or it is about to expire (concurrent calls share one
 * request). A refusal says what the provider answered.
 */
export function clientCredentialsTokens(credentials: ClientCredentials): () => Promise<string> {
  let endpoint: Promise<string> | null = null;
  let kept: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;
  const request = async () => {
    endpoint ??= tokenEndpoint(credentials.issuer).catch((error: unknown) => {
      endpoint = null;
      throw error;
    });
    // RFC 6749 2.3.1: the id and secret form-encoded, then joined for HTTP Basic
    const basic = Buffer.from(
      `${encodeURIComponent(credentials.clientId)}:${encodeURIComponent(credentials.clientSecret)}`,
    ).toString("base64");
    const started = Date.now();
    const response = await fetch(await endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${basic}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => ({}))) as {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
      error_description?: unknown;
    };
    if (!response.ok || typeof body.access_token !== "string") {
      const said = [body.error, body.error_description].filter(Boolean).join(": ");
      throw new Error(
        `the OpenID provider refused client ${credentials.clientId} its token (${response.status}${said ? `, ${said}` : ""})`,
      );
    }
    const lifetimeMs = typeof body.expires_in === "number" ? body.expires_in * 1000 : 60_000;
    kept = {
      token: body.access_token,
      renewAt: started + Math.max(lifetimeMs / 2, lifetimeMs - RENEW_BEFORE_MS),
    };
    return body.access_token;
  };
  return async () => {
    if (kept && Date.now() < kept.renewAt) return kept.token;
    pending ??= request().finally(() => {
      pending = null;
    });
    return pending;
  };
}
