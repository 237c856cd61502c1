// Keycloak in a test: the repository's realm and demo people (keycloak/) imported at start, with
// secrets of the test's own for the machine clients, and OpenID Connect driven over plain HTTP as a
// browser and a machine would: a person's Authorization Code with PKCE through Keycloak's own sign-in
// form, a machine's client credentials.
import { createHash, randomBytes } from "node:crypto";
import {
  gatewayEnvFor,
  REALM,
  realmFiles,
  startKeycloak,
  type RunningKeycloak,
} from "../../scripts/lib/keycloak.js";

/** The dashboard's client and where it is sent back to on the gateway's origin (the pages' sign-in). */
export const DASHBOARD_CLIENT = "p06-dashboard";
export const SIGN_IN_CALLBACK_PATH = "/dang-nhap";
/** The demo people's password (keycloak/p06-users-0.json keeps only its hash). */
export const DEMO_PASSWORD = "HaiPhong@06";

export interface TestKeycloak {
  keycloak: RunningKeycloak;
  /** The realm's URL: its tokens' `iss`. */
  issuer: string;
  /** The gateway's variables for the realm's tokens. */
  gatewayEnv: Record<string, string>;
  /** The dashboard's redirect URI on the gateway's origin. */
  redirectUri: string;
  /** The machine clients' secrets, given to the realm by the test. */
  secrets: Record<string, string>;
  stop(): Promise<void>;
}

interface RealmClient {
  clientId: string;
  serviceAccountsEnabled?: boolean;
  secret?: string;
}

/**
 * Starts Keycloak on `port` with the repository's realm files, the dashboard's redirect URIs on `gatewayOrigin`
 * (the realm's P06_GATEWAY_ORIGIN) and a fresh secret for each machine client (the file has none:
 * Keycloak would make its own).
 */
export async function startTestKeycloak(
  gatewayOrigin: string,
  port: number,
): Promise<TestKeycloak> {
  const files = await realmFiles();
  const realmFile = `${REALM}-realm.json`;
  const realm = JSON.parse(files[realmFile]!) as { clients: RealmClient[] };
  const secrets: Record<string, string> = {};
  for (const client of realm.clients.filter((client) => client.serviceAccountsEnabled)) {
    client.secret = secrets[client.clientId] = randomBytes(24).toString("base64url");
  }
  const keycloak = await startKeycloak({
    port,
    imports: { ...files, [realmFile]: JSON.stringify(realm) },
    env: { P06_GATEWAY_ORIGIN: gatewayOrigin },
  });
  const issuer = `${keycloak.url}/realms/${REALM}`;
  return {
    keycloak,
    issuer,
    gatewayEnv: gatewayEnvFor(issuer),
    redirectUri: `${gatewayOrigin}${SIGN_IN_CALLBACK_PATH}`,
    secrets,
    stop: () => keycloak.stop(),
  };
}

/** A token's claims, read without verifying it (the gateway verifies). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8"));
}

/** The cookies a browser would keep between the sign-in's requests (one site: names are enough). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

const base64url = (bytes: Buffer) => bytes.toString("base64url");
const htmlText = (text: string) =>
  text
    .replace(/&amp;/g, "&")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");

export interface AuthorizationRequest {
  /** The PKCE method sent: S256 (the default), or none (no code_challenge at all). */
  pkce?: "S256" | "none";
}

/** Keycloak's sign-in form, as the authorization request opened it. */
export interface SignInForm {
  status: number;
  html: string;
  /** Where it sent the browser instead of a form (an error goes back to the redirect URI). */
  location: string | null;
  /** Where the form posts (null: no form, an error page instead). */
  action: string | null;
  jar: CookieJar;
  state: string;
  verifier: string;
}

/** GET the authorization endpoint as the dashboard would: Authorization Code, PKCE S256, a state. */
export async function openSignInForm(
  kc: TestKeycloak,
  request: AuthorizationRequest = {},
): Promise<SignInForm> {
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(16));
  const url = new URL(`${kc.issuer}/protocol/openid-connect/auth`);
  url.search = new URLSearchParams({
    client_id: DASHBOARD_CLIENT,
    response_type: "code",
    scope: "openid",
    redirect_uri: kc.redirectUri,
    state,
    nonce: base64url(randomBytes(16)),
    ...((request.pkce ?? "S256") === "S256" && {
      code_challenge: base64url(createHash("sha256").update(verifier).digest()),
      code_challenge_method: "S256",
    }),
  }).toString();
  const jar = new CookieJar();
  const response = await fetch(url, { redirect: "manual" });
  jar.keep(response);
  const html = await response.text();
  const form = /<form[^>]*id="kc-form-login"[^>]*>/.exec(html)?.[0];
  const action = form ? /action="([^"]+)"/.exec(form)?.[1] : undefined;
  return {
    status: response.status,
    html,
    location: response.headers.get("location"),
    action: action ? htmlText(action) : null,
    jar,
    state,
    verifier,
  };
}

/** POSTs a login and password to the form; Keycloak answers with a redirect, or the form again. */
export async function submitSignInForm(form: SignInForm, login: string, password: string) {
  if (!form.action) throw new Error(`no sign-in form (${form.status}): ${form.html.slice(0, 300)}`);
  const response = await fetch(form.action, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: form.jar.header() },
    body: new URLSearchParams({ username: login, password, credentialId: "" }),
  });
  form.jar.keep(response);
  return {
    status: response.status,
    location: response.headers.get("location"),
    html: await response.text(),
  };
}

/** The token endpoint's answer to a code: tokens, or an error. */
export async function exchangeCode(kc: TestKeycloak, code: string, verifier: string | undefined) {
  const response = await fetch(`${kc.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: DASHBOARD_CLIENT,
      code,
      redirect_uri: kc.redirectUri,
      ...(verifier !== undefined && { code_verifier: verifier }),
    }),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      access_token?: string;
      id_token?: string;
      error?: string;
      error_description?: string;
    },
  };
}

/** The code in the redirect back to the dashboard, after its state and issuer are checked. */
export function codeOf(kc: TestKeycloak, form: SignInForm, location: string | null): string {
  if (!location?.startsWith(`${kc.redirectUri}?`)) {
    throw new Error(`the sign-in did not return to ${kc.redirectUri}: ${location}`);
  }
  const back = new URL(location).searchParams;
  if (back.get("state") !== form.state) throw new Error(`the state came back altered: ${location}`);
  if (back.get("iss") !== kc.issuer) throw new Error(`the issuer came back as ${back.get("iss")}`);
  const code = back.get("code");
  if (!code) throw new Error(`no code in the redirect: ${location}`);
  return code;
}

export interface SignedIn {
  accessToken: string;
  idToken: string;
  /** How long it took: from the first request to the tokens in hand, and the password's step alone. */
  ms: number;
  passwordMs: number;
}

/** A person signs in: the form, their login and password, the code exchanged with the verifier. */
export async function signIn(
  kc: TestKeycloak,
  login: string,
  password = DEMO_PASSWORD,
): Promise<SignedIn> {
  const started = performance.now();
  const form = await openSignInForm(kc);
  const posted = performance.now();
  const answer = await submitSignInForm(form, login, password);
  const passwordMs = performance.now() - posted;
  const code = codeOf(kc, form, answer.location);
  const { status, body } = await exchangeCode(kc, code, form.verifier);
  if (status !== 200 || !body.access_token || !body.id_token) {
    throw new Error(`the code was not exchanged (${status}): ${JSON.stringify(body)}`);
  }
  return {
    accessToken: body.access_token,
    idToken: body.id_token,
    ms: performance.now() - started,
    passwordMs,
  };
}

/** A machine's access token, by client credentials with its secret. */
export async function machineToken(kc: TestKeycloak, clientId: string): Promise<string> {
  const response = await fetch(`${kc.issuer}/protocol/openid-connect/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${clientId}:${kc.secrets[clientId]}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "client_credentials" }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) {
    throw new Error(`no token for ${clientId} (${response.status}): ${JSON.stringify(body)}`);
  }
  return body.access_token;
}
