// Signing in as a person does in a browser, with plain HTTP requests: the authorization request with
// PKCE, the provider's sign-in form filled in and posted, every redirect followed with the provider's
// cookies, and the code exchanged at the token endpoint as the dashboard's public client. Any provider
// with a plain form: the embedded one, Keycloak (its endpoints given). (Machines get theirs with the
// kit's clientCredentialsTokens, as the commands and the scheduler do.)
import { createHash, randomBytes } from "node:crypto";

export interface SignIn {
  issuer: string;
  clientId: string;
  redirectUri: string;
  login: string;
  password: string;
  scope?: string;
  /** Its authorization and token endpoints (discovery names them): the embedded provider's by default. */
  endpoints?: Endpoints;
}

export interface Endpoints {
  authorization: string;
  token: string;
}

/** The endpoints of a request's provider: given, else the embedded provider's under its issuer. */
const endpointsOf = (request: Omit<SignIn, "login" | "password">): Endpoints =>
  request.endpoints ?? {
    authorization: `${request.issuer}/auth`,
    token: `${request.issuer}/token`,
  };

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
  /** The form's action: where the login and password are posted (a page shown again may change it). */
  action: string;
  /** The form's fields: what the login and password are called, and its hidden ones. */
  fields: FormFields;
  verifier: string;
  state: string;
}

export interface FormFields {
  login: string;
  password: string;
  hidden: Record<string, string>;
}

const attribute = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`, "i").exec(tag)?.[1]?.replace(/&amp;/g, "&");

/**
 * A page's sign-in form, as a person sees it: the form posted, its text field for the login, its
 * password field and its hidden fields; null on a page without one.
 */
export function signInForm(html: string, pageUrl: string) {
  for (const [form = "", open = ""] of html.matchAll(/(<form\b[^>]*>)[\s\S]*?<\/form>/gi)) {
    if (attribute(open, "method")?.toLowerCase() !== "post") continue;
    const inputs = [...form.matchAll(/<input\b[^>]*>/gi)].map(([tag]) => ({
      name: attribute(tag, "name"),
      type: attribute(tag, "type")?.toLowerCase() ?? "text",
      value: attribute(tag, "value") ?? "",
    }));
    const login = inputs.find((input) => ["text", "email"].includes(input.type))?.name;
    const password = inputs.find((input) => input.type === "password")?.name;
    if (!login || !password) continue;
    const hidden = inputs.filter((input) => input.type === "hidden" && input.name);
    return {
      action: new URL(attribute(open, "action") ?? "", pageUrl).href,
      fields: {
        login,
        password,
        hidden: Object.fromEntries(hidden.map((input) => [input.name!, input.value])),
      } satisfies FormFields,
    };
  }
  return null;
}

/** An authorization request with PKCE (S256): its URL, and the verifier and state it was made with. */
export function authorizationRequest(request: Omit<SignIn, "login" | "password">) {
  const verifier = randomBytes(32).toString("base64url");
  const state = randomBytes(8).toString("hex");
  const url = new URL(endpointsOf(request).authorization);
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

/**
 * The authorization request, up to the provider's sign-in page, its redirects followed (with a
 * browser's cookies, if given); a redirect back to the client instead is an error that shows it.
 */
export async function authorize(
  request: Omit<SignIn, "login" | "password">,
  jar: CookieJar = new CookieJar(),
) {
  const { url, verifier, state } = authorizationRequest(request);
  let at = url;
  let page = await visit(jar, at);
  for (let hops = 0; page.location && hops < 5; hops += 1) {
    if (page.location.startsWith(request.redirectUri)) {
      throw new Error(`the authorization request was sent back at once: ${page.location}`);
    }
    at = page.location;
    page = await visit(jar, at);
  }
  const form = page.status === 200 ? signInForm(page.body, at) : null;
  if (!form) throw new Error(`no sign-in form at ${at} (${page.status}): ${page.body}`);
  return { jar, interaction: at, ...form, verifier, state } satisfies Authorization;
}

/**
 * Fills in and posts the sign-in form: the provider's answer (a redirect on, or the page again with
 * a refusal, whose form the next try posts).
 */
export async function submitSignIn(authorization: Authorization, login: string, password: string) {
  const { fields } = authorization;
  const answer = await visit(authorization.jar, authorization.action, {
    form: { ...fields.hidden, [fields.login]: login, [fields.password]: password },
  });
  const again = answer.location ? null : signInForm(answer.body, authorization.action);
  if (again) Object.assign(authorization, again);
  return answer;
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
  const response = await fetch(endpointsOf(request).token, {
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
