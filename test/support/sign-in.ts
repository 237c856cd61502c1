// Signing in as a person does in a browser, with plain HTTP requests: the authorization request with
// PKCE, the provider's sign-in form posted, every redirect followed with the provider's cookies, and
// the code exchanged at the token endpoint as the dashboard's public client. (Machines get theirs with
// the kit's clientCredentialsTokens, as the commands and the scheduler do.)
import { createHash, randomBytes } from "node:crypto";

export interface SignIn {
  issuer: string;
  clientId: string;
  redirectUri: string;
  login: string;
  password: string;
  scope?: string;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}

/** What a step of the sign-in answered: its status, where it redirects, and its page. */
export interface Step {
  status: number;
  location: string | null;
  body: string;
}

/** A browser's memory of one provider: its cookies (by name; their paths all lie under the issuer). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

/** A browser's request to the provider: its cookies sent and kept, no redirect followed. */
export async function visit(
  jar: CookieJar,
  url: string,
  init: { method?: string; form?: Record<string, string> } = {},
): Promise<Step> {
  const response = await fetch(url, {
    method: init.method ?? (init.form ? "POST" : "GET"),
    redirect: "manual",
    headers: {
      cookie: jar.header(),
      accept: "text/html",
      ...(init.form && { "content-type": "application/x-www-form-urlencoded" }),
    },
    ...(init.form && { body: new URLSearchParams(init.form).toString() }),
  });
  jar.keep(response);
  const location = response.headers.get("location");
  return {
    status: response.status,
    location: location ? new URL(location, url).href : null,
    body: await response.text(),
  };
}

export interface Authorization {
  jar: CookieJar;
  /** The sign-in page's URL (the interaction), where the form is. */
  interaction: string;
  /** The form's action: where the login and password are posted. */
  action: string;
  verifier: string;
  state: string;
}

/** An authorization request with PKCE (S256): its URL, and the verifier and state it was made with. */
export function authorizationRequest(request: Omit<SignIn, "login" | "password">) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const url = new URL(`${request.issuer}/auth`);
  url.search = new URLSearchParams({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    response_type: "code",
    scope: request.scope ?? "openid profile",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"),
    code_challenge_method: "S256",
    state,
  }).toString();
  return { url: url.href, verifier, state };
}

/** The authorization request, up to the provider's sign-in page (with a browser's cookies, if given). */
export async function authorize(
  request: Omit<SignIn, "login" | "password">,
  jar: CookieJar = new CookieJar(),
) {
  const { url, verifier, state } = authorizationRequest(request);
  const start = await visit(jar, url);
  if (!start.location) {
    throw new Error(
      `the authorization request was not sent to sign in (${start.status}): ${start.body}`,
    );
  }
  const page = await visit(jar, start.location);
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1];
  if (page.status !== 200 || !action) {
    throw new Error(`no sign-in form at ${start.location} (${page.status}): ${page.body}`);
  }
  return {
    jar,
    interaction: start.location,
    action: new URL(action.replace(/&amp;/g, "&"), start.location).href,
    verifier,
    state,
  } satisfies Authorization;
}

/** Posts the sign-in form: the provider's answer (a redirect on, or the page again with a refusal). */
export function submitSignIn(authorization: Authorization, login: string, password: string) {
  return visit(authorization.jar, authorization.action, { form: { login, password } });
}

/** Follows the redirects after a good sign-in to the redirect URI; exchanges its code for tokens. */
export async function finishSignIn(
  request: Omit<SignIn, "login" | "password">,
  authorization: Authorization,
  signedIn: Step,
): Promise<Tokens> {
  let step = signedIn;
  let hops = 0;
  while (step.location && !step.location.startsWith(request.redirectUri)) {
    if ((hops += 1) > 5) throw new Error("too many redirects after signing in");
    step = await visit(authorization.jar, step.location);
  }
  if (!step.location) {
    throw new Error(`signing in ended without a redirect (${step.status}): ${step.body}`);
  }
  const back = new URL(step.location);
  if (back.searchParams.get("state") !== authorization.state) {
    throw new Error(`the redirect back carries another state: ${back.href}`);
  }
  const code = back.searchParams.get("code");
  if (!code) throw new Error(`the redirect back carries no code: ${back.href}`);
  const response = await fetch(`${request.issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      code,
      redirect_uri: request.redirectUri,
      client_id: request.clientId,
      code_verifier: authorization.verifier,
    }).toString(),
  });
  const body = (await response.json()) as Tokens & { error?: string };
  if (!response.ok)
    throw new Error(`the code exchange failed (${response.status}): ${JSON.stringify(body)}`);
  return body;
}

/** The whole sign-in: authorize, post the form, follow the redirects, exchange the code. */
export async function signIn(request: SignIn): Promise<Tokens> {
  const authorization = await authorize(request);
  const signedIn = await submitSignIn(authorization, request.login, request.password);
  if (signedIn.status !== 303 && signedIn.status !== 302) {
    throw new Error(`signing in as ${request.login} was refused (${signedIn.status})`);
  }
  return finishSignIn(request, authorization, signedIn);
}
