// The embedded OpenID provider, in process, driven with plain HTTP as a browser and a machine would:
// it serves discovery and its keys; a person signs in with the authorization code and PKCE on its
// Vietnamese page and gets a JWT the gateway accepts, naming them, their agency and their roles; a
// wrong password is refused in Vietnamese, and failed sign-ins are rate limited; a machine gets its
// agency's service-account token with client credentials. Production has no embedded provider.
import { createServer, type Server } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { catalogue } from "@p06/catalogue";
import { clientCredentialsTokens } from "@p06/subgraph-kit";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authorizationRequest,
  authorize,
  finishSignIn,
  signIn,
  submitSignIn,
  visit,
} from "../../test/support/sign-in.js";
import { DEMO_PASSWORD, readAccounts } from "../src/oidc/accounts.js";
import { createProviderApp } from "../src/oidc/app.js";
import {
  DASHBOARD_CLIENT_ID,
  providerSecretsFile,
  importerClientId,
  REPORTS_CLIENT_ID,
  SIGN_IN_CALLBACK_PATH,
} from "../src/oidc/clients.js";
import { readProviderConfig } from "../src/oidc/config.js";
import { createAuthenticator, type Authenticate } from "../src/trust/auth.js";
import { ensureDevKeys, readSigningKey } from "../src/trust/keys.js";
import { createLogger } from "@p06/subgraph-kit";

const GATEWAY = "http://127.0.0.1:4999";
const redirectUri = `${GATEWAY}${SIGN_IN_CALLBACK_PATH}`;
let dir: string;
let server: Server;
let issuer: string;
let privateKeyFile: string;
let authenticate: Authenticate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-oidc-"));
  ({ privateKeyFile } = await ensureDevKeys(dir));
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const config = readProviderConfig({
    PORT: String(port),
    P06_KEYS_DIR: dir,
    OIDC_DASHBOARD_ORIGINS: GATEWAY,
  });
  issuer = config.issuer;
  const { app } = await createProviderApp(config, createLogger("oidc", "silent"), privateKeyFile);
  server.on("request", app);
  // the gateway as `npm start` configures it: the provider named by OIDC_ISSUER
  authenticate = await createAuthenticator({
    oidcIssuer: issuer,
    agencies: new Set(catalogue.agencies.map((agency) => agency.code)),
    anonymousRead: false,
    address: { issuer, audience: "p06-gateway" },
  });
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const request = () => ({ issuer, clientId: DASHBOARD_CLIENT_ID, redirectUri });

describe("the embedded provider", () => {
  it("serves its discovery document and its keys: the development key's public half", async () => {
    const discovery = (await (
      await fetch(`${issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/auth`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      end_session_endpoint: `${issuer}/session/end`,
      code_challenge_methods_supported: ["S256"],
      response_types_supported: ["code"],
    });
    expect(discovery.grant_types_supported).toEqual(
      expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]),
    );
    const { keys } = (await (await fetch(`${issuer}/jwks`)).json()) as {
      keys: Record<string, unknown>[];
    };
    const { kid } = await readSigningKey(privateKeyFile);
    expect(keys).toEqual([
      {
        kty: "EC",
        crv: "P-256",
        x: expect.any(String),
        y: expect.any(String),
        kid,
        alg: "ES256",
        use: "sig",
      },
    ]);
  });

  it("signs a person in with the code and PKCE: a JWT for the gateway naming them, their agency and roles", async () => {
    const tokens = await signIn({ ...request(), login: "doh.canbo", password: DEMO_PASSWORD });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({
      alg: "ES256",
      typ: "at+jwt",
    });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: issuer,
      aud: "p06-gateway",
      sub: "doh.canbo",
      name: "Nguyễn Thị Lan",
      agency: "DOH",
      role: ["data-officer"],
      client_id: DASHBOARD_CLIENT_ID,
    });
    expect(await authenticate(`Bearer ${tokens.access_token}`)).toEqual({
      sub: "DOH",
      roles: ["data-officer"],
      person: { id: "doh.canbo", name: "Nguyễn Thị Lan" },
    });
    // the ID token tells the pages who signed in and for whom they act; a refresh token renews
    expect(decodeJwt(tokens.id_token)).toMatchObject({
      sub: "doh.canbo",
      name: "Nguyễn Thị Lan",
      agency: "DOH",
      role: ["data-officer"],
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const reviewer = await signIn({ ...request(), login: "ioc.duyet", password: DEMO_PASSWORD });
    expect(await authenticate(`Bearer ${reviewer.access_token}`)).toEqual({
      sub: "IOC",
      roles: ["ioc-reviewer"],
      person: { id: "ioc.duyet", name: "Nguyễn Đức Thắng" },
    });
  });

  it("signs in every demo account with the demo password", async () => {
    for (const account of readAccounts()) {
      const tokens = await signIn({ ...request(), login: account.login, password: DEMO_PASSWORD });
      expect(await authenticate(`Bearer ${tokens.access_token}`)).toEqual({
        sub: account.agency,
        roles: account.roles,
        // a commune's person carries the commune's code
        ...(account.commune && { commune: account.commune }),
        person: { id: account.login, name: account.name },
      });
    }
  });

  it("serves its own sign-in page in Vietnamese: a form, one stylesheet of its own, no script", async () => {
    const authorization = await authorize(request());
    const page = await fetch(authorization.interaction, {
      headers: { cookie: authorization.jar.header() },
    });
    const html = await page.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain("<h1>Đăng nhập</h1>");
    expect(html).toContain('<label for="login">Tên đăng nhập</label>');
    expect(html).toContain('<label for="password">Mật khẩu</label>');
    expect(html).not.toMatch(/<script|https?:\/\//);
    expect(page.headers.get("content-security-policy")).toBe(
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${GATEWAY}; frame-ancestors ${GATEWAY}; base-uri 'none'`,
    );
    const css = await fetch(`${issuer}/static/sign-in.css`);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("refuses a wrong password in Vietnamese, keeping the login, and signs in after", async () => {
    const authorization = await authorize(request());
    const refused = await submitSignIn(authorization, "doh.lanhdao", "not the password");
    expect(refused.status).toBe(401);
    expect(refused.body).toContain(
      '<p class="error" role="alert">Tên đăng nhập hoặc mật khẩu không đúng.</p>',
    );
    expect(refused.body).toContain('value="doh.lanhdao"');
    // an unknown login is refused with the very same words
    const unknown = await submitSignIn(authorization, "nobody", DEMO_PASSWORD);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    const signedIn = await submitSignIn(authorization, "doh.lanhdao", DEMO_PASSWORD);
    const tokens = await finishSignIn(request(), authorization, signedIn);
    expect(await authenticate(`Bearer ${tokens.access_token}`)).toMatchObject({
      sub: "DOH",
      roles: ["agency-head"],
    });
  });

  it("rate limits failed sign-ins: after 5 for a login, even the right password waits", async () => {
    const authorization = await authorize(request());
    for (let i = 0; i < 5; i += 1) {
      expect((await submitSignIn(authorization, "pasc.canbo", `guess ${i}`)).status).toBe(401);
    }
    const limited = await submitSignIn(authorization, "pasc.canbo", DEMO_PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatch(/Đăng nhập sai quá nhiều lần\. Vui lòng thử lại sau 1[45] phút\./);
    // another person at the same address is not held back by it
    const other = await signIn({ ...request(), login: "pasc.lanhdao", password: DEMO_PASSWORD });
    expect(other.access_token).toEqual(expect.any(String));
  });

  it("requires PKCE and one of the dashboard's own redirect URIs", async () => {
    const url = new URL(`${issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: DASHBOARD_CLIENT_ID,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid",
    }).toString();
    const withoutPkce = await fetch(url, { redirect: "manual" });
    const back = new URL(withoutPkce.headers.get("location")!);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("error_description")).toMatch(/PKCE/);
    url.searchParams.set("redirect_uri", "https://elsewhere.example/dang-nhap");
    const elsewhere = await fetch(url, { redirect: "manual" });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.text()).toContain("<h1>Không thể đăng nhập</h1>");
  });

  it("gives a machine its agency's service-account token with client credentials", async () => {
    const { clients } = JSON.parse(await readFile(providerSecretsFile(dir), "utf8")) as {
      clients: Record<string, string>;
    };
    const reports = clientCredentialsTokens({
      issuer,
      clientId: REPORTS_CLIENT_ID,
      clientSecret: clients[REPORTS_CLIENT_ID]!,
    });
    const token = await reports();
    expect(await reports()).toBe(token);
    expect(decodeJwt(token)).toMatchObject({ iss: issuer, aud: "p06-gateway", sub: "IOC" });
    expect(await authenticate(`Bearer ${token}`)).toEqual({ sub: "IOC", roles: ["ioc-viewer"] });
    const importer = importerClientId("DOH");
    const imports = clientCredentialsTokens({
      issuer,
      clientId: importer,
      clientSecret: clients[importer]!,
    });
    expect(await authenticate(`Bearer ${await imports()}`)).toEqual({
      sub: "DOH",
      roles: ["data-officer"],
    });
    const wrong = clientCredentialsTokens({
      issuer,
      clientId: REPORTS_CLIENT_ID,
      clientSecret: "not the secret",
    });
    await expect(wrong()).rejects.toThrow(
      /refused client p06-reports its token \(401, invalid_client/,
    );
  });

  it("signs out at the provider: the end of the session asks, in Vietnamese", async () => {
    const authorization = await authorize(request());
    const signedIn = await submitSignIn(authorization, "doet.canbo", DEMO_PASSWORD);
    const tokens = await finishSignIn(request(), authorization, signedIn);
    // signed in, an authorization goes straight back with a code
    const signedInStill = await visit(authorization.jar, authorizationRequest(request()).url);
    expect(signedInStill.location).toMatch(new RegExp(`^${redirectUri}\\?code=`));
    const end = new URL(`${issuer}/session/end`);
    end.search = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: `${GATEWAY}/`,
    }).toString();
    const ask = await visit(authorization.jar, end.href);
    expect(ask.status).toBe(200);
    expect(ask.body).toContain("<h1>Đăng xuất?</h1>");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(ask.body)?.[1];
    const confirmed = await visit(authorization.jar, `${issuer}/session/end/confirm`, {
      form: { xsrf: xsrf!, logout: "yes" },
    });
    expect(confirmed.location).toBe(`${GATEWAY}/`);
    // signed out, it asks for the password again
    const again = await visit(authorization.jar, authorizationRequest(request()).url);
    expect(again.location).toMatch(new RegExp(`^${issuer}/interaction/`));
  });
});

describe("its configuration", () => {
  it("is not there in production: the city's provider is named by OIDC_ISSUER", () => {
    expect(() => readProviderConfig({ NODE_ENV: "production" })).toThrow(
      /embedded OpenID provider is for development and tests: in production, set the gateway's OIDC_ISSUER/,
    );
  });

  it("refuses a malformed origin or issuer, naming the variable", () => {
    expect(() => readProviderConfig({ OIDC_DASHBOARD_ORIGINS: "localhost:4000" })).toThrow(
      /OIDC_DASHBOARD_ORIGINS must list the gateway's origins/,
    );
    expect(() => readProviderConfig({ OIDC_ISSUER: "http://127.0.0.1:4001/oidc" })).toThrow(
      /OIDC_ISSUER must be the provider's origin/,
    );
  });
});
