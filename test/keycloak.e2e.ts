// The real Keycloak proves the realm file in keycloak/: Keycloak (from Maven Central, on Java 21 or
// later) imports it as it is, with the test realm's demo people, and a gateway told only OIDC_ISSUER
// and JWT_ALGORITHM=RS256 takes its tokens. A DOH data officer signs in through Keycloak's own form
// (Authorization Code with PKCE, over plain HTTP), writes a figure and the audit trail names them; in
// Chromium, the same person signs in on the pages through Keycloak's form, lands on DOH's month, enters
// a figure and sees it saved, stored as them, with nothing loaded from another host and no console error;
// each role is held to what it may do; machines get their tokens by client credentials, with the
// secrets Keycloak made: export:values reads the month, an agency's importer writes as its service
// account. Without a Java of 21 or later the first test fails, saying what to install, and the rest
// fail with it.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientCredentialsTokens } from "@p06/subgraph-kit";
import { freePort } from "../scripts/lib/ferretdb.js";
import { launchChromium, WatchedPages } from "./support/browser.js";
import type { Java } from "../scripts/lib/java.js";
import { keycloakJava } from "../scripts/lib/keycloak.js";
import {
  claimsOf,
  gatewayEnvFor,
  realmIssuer,
  startTestKeycloak,
  type TestKeycloak,
} from "./support/keycloak.js";
import { dataValuesOf, exportValuesAs } from "./support/machine-command.js";
import {
  authorizationRequest,
  authorize,
  finishSignIn,
  signIn,
  submitSignIn,
  visit,
} from "./support/sign-in.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const PERIOD = "2026-10";
const submitFigure = (numerator: number) =>
  `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "${PERIOD}", numerator: ${numerator}, denominator: 4 }) { reportedBy person { id name } } }`;

let java: Java | Error;
let started: { kc: TestKeycloak; system: RunningSystem } | Error;

/** Keycloak and the system, or the test fails with why they are not there. */
function running() {
  if (started instanceof Error) throw started;
  return started;
}

beforeAll(async () => {
  java = await keycloakJava().catch((error: Error) => error);
  if (java instanceof Error) {
    started = new Error(`Keycloak was not started: ${java.message}`);
    return;
  }
  const [gatewayPort, keycloakPort] = [await freePort(), await freePort()];
  const gatewayOrigin = `http://127.0.0.1:${gatewayPort}`;
  // side by side: Keycloak's JVM and the services' start-up (the gateway reads the realm's
  // discovery at its first token)
  const [kc, system] = await Promise.allSettled([
    startTestKeycloak({ gatewayOrigin, port: keycloakPort }),
    startSystem("keycloak", gatewayEnvFor(realmIssuer(keycloakPort)), { gatewayPort }),
  ]);
  if (kc.status === "fulfilled" && system.status === "fulfilled") {
    started = { kc: kc.value, system: system.value };
    console.log(
      `[keycloak] Keycloak answered ${(kc.value.keycloak.startedInMs / 1000).toFixed(1)} s after its start (the realm imported)`,
    );
    return;
  }
  await Promise.all([kc, system].map((one) => one.status === "fulfilled" && one.value.stop()));
  throw [kc, system].map((one) => one.status === "rejected" && one.reason).find(Boolean);
}, 300_000);

afterAll(async () => {
  if (started instanceof Error || !started) return;
  await Promise.all([started.system.stop(), started.kc.stop()]);
});

/** POSTs an operation to the gateway with a bearer token. */
async function ask(token: string, query: string) {
  const response = await fetch(running().system.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** A demo person signs in through Keycloak's form: their tokens. */
const signInAs = (login: string) => {
  const { kc } = running();
  return signIn({ ...kc.dashboard, login, password: kc.password });
};

/** What the officer's sign-in gave, for the tests after it. */
const officer = { token: "", id: "", name: "Nguyễn Thị Lan" };

describe("Keycloak with the repository's realm", () => {
  it("runs on a Java of 21 or later (the machine's, found in JAVA_HOME or /usr/lib/jvm)", () => {
    if (java instanceof Error) throw java;
    expect(java.version).toBeGreaterThanOrEqual(21);
  });

  it("serves the realm: its issuer, the code flow with PKCE S256, RS256 keys", async () => {
    const { kc } = running();
    const discovery = (await (
      await fetch(`${kc.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({ issuer: kc.issuer });
    expect(discovery.code_challenge_methods_supported).toContain("S256");
    const { keys } = (await (await fetch(discovery.jwks_uri as string)).json()) as {
      keys: { alg?: string; use?: string }[];
    };
    expect(keys).toContainEqual(expect.objectContaining({ alg: "RS256", use: "sig" }));
  });
});

describe("a person signs in through Keycloak's own form", () => {
  it("is shown Keycloak's sign-in page in Vietnamese", async () => {
    const { kc } = running();
    const authorization = await authorize(kc.dashboard);
    const page = await visit(authorization.jar, authorization.interaction);
    expect(page.body).toMatch(/<html[^>]* lang="vi"/);
    expect(page.body).toContain('id="kc-form-login"');
    expect(authorization.fields).toMatchObject({ login: "username", password: "password" });
  });

  it("a DOH data officer, by the code and PKCE, gets tokens with the claims the gateway reads", async () => {
    const { kc } = running();
    const tokens = await signInAs("doh.canbo");
    const claims = claimsOf(tokens.access_token);
    expect(claims).toMatchObject({
      iss: kc.issuer,
      aud: "p06-gateway",
      azp: "p06-dashboard",
      agency: "DOH",
      role: ["data-officer"],
      name: officer.name,
      preferred_username: "doh.canbo",
    });
    // the pages' header reads the ID token
    expect(claimsOf(tokens.id_token)).toMatchObject({
      sub: claims.sub,
      aud: "p06-dashboard",
      name: officer.name,
      agency: "DOH",
      role: ["data-officer"],
    });
    Object.assign(officer, { token: tokens.access_token, id: claims.sub });
  });

  it("writes a figure through the gateway as themselves, and the audit trail names them", async () => {
    const person = { id: officer.id, name: officer.name };
    expect(await ask(officer.token, submitFigure(3))).toEqual({
      data: { submitHealthValue: { reportedBy: "DOH", person } },
    });
    // the IOC's reviewer reads it
    const reviewer = await signInAs("ioc.duyet");
    expect(claimsOf(reviewer.access_token)).toMatchObject({
      agency: "IOC",
      role: ["ioc-reviewer"],
    });
    const trail = await ask(
      reviewer.access_token,
      `{ healthAuditTrail(person: "${person.id}") { actor action subject person { id name } } }`,
    );
    expect(trail).toEqual({
      data: {
        healthAuditTrail: [
          { actor: "DOH", action: "value.submit", subject: `II.12|10507|${PERIOD}`, person },
        ],
      },
    });
  });

  it("is held to their role: a head may not enter figures, a viewer reads and changes nothing", async () => {
    const head = await signInAs("doh.lanhdao");
    const refused = await ask(head.access_token, submitFigure(2));
    expect(refused.errors?.[0]).toMatchObject({
      message: "entering figures needs the role data-officer; this caller (DOH) holds agency-head",
      extensions: { code: "FORBIDDEN" },
    });
    const viewer = await signInAs("ioc.xem");
    const read = await ask(viewer.access_token, `{ healthAuditTrail(limit: 1) { action } }`);
    expect(read.errors).toBeUndefined();
    const write = await ask(viewer.access_token, submitFigure(2));
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("is refused a wrong password in Vietnamese, and signs in with the right one after", async () => {
    const { kc } = running();
    const authorization = await authorize(kc.dashboard);
    const refused = await submitSignIn(authorization, "ioc.xem", "not the password");
    expect(refused.status).toBe(200);
    expect(refused.location).toBeNull();
    expect(refused.body).toContain("Tên người dùng hoặc mật khẩu không hợp lệ.");
    const signedIn = await submitSignIn(authorization, "ioc.xem", kc.password);
    const tokens = await finishSignIn(kc.dashboard, authorization, signedIn);
    expect(claimsOf(tokens.access_token)).toMatchObject({ agency: "IOC", role: ["ioc-viewer"] });
  });

  it("requires PKCE, the verifier with the code, and the gateway's own redirect URI", async () => {
    const { kc } = running();
    // no code challenge: sent back to the dashboard with the error, before any form
    const withoutPkce = new URL(authorizationRequest(kc.dashboard).url);
    withoutPkce.searchParams.delete("code_challenge");
    withoutPkce.searchParams.delete("code_challenge_method");
    const refused = await fetch(withoutPkce, { redirect: "manual" });
    const back = new URL(refused.headers.get("location")!).searchParams;
    expect(back.get("error")).toBe("invalid_request");
    expect(back.get("error_description")).toMatch(/code_challenge/);
    // a code without its verifier is worth nothing
    const authorization = await authorize(kc.dashboard);
    const signedIn = await submitSignIn(authorization, "doh.canbo", kc.password);
    const code = new URL(signedIn.location!).searchParams.get("code")!;
    const exchanged = await fetch(kc.dashboard.endpoints.token, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "authorization_code",
        client_id: kc.dashboard.clientId,
        code,
        redirect_uri: kc.dashboard.redirectUri,
      }),
    });
    expect(exchanged.status).toBe(400);
    expect(await exchanged.json()).toMatchObject({ error: "invalid_grant" });
    // another origin is not sent a code: Keycloak shows an error instead of redirecting
    const elsewhere = authorizationRequest({
      ...kc.dashboard,
      redirectUri: "http://127.0.0.1:9/dang-nhap",
    });
    const stranger = await fetch(elsewhere.url, { redirect: "manual" });
    expect(stranger.status).toBe(400);
    expect(stranger.headers.get("location")).toBeNull();
  });
});

describe("in Chromium, a person signs in on the pages through Keycloak's own form", () => {
  it(
    "lands on their agency's month, enters a figure and sees it saved, and the audit trail names them",
    { timeout: 90_000 },
    async () => {
      const { kc, system } = running();
      const base = system.gatewayUrl.replace(/\/graphql$/, "");
      const browser = await launchChromium();
      const pages = new WatchedPages(browser);
      const origins = new Set<string>();
      const consoleErrors: string[] = [];
      try {
        const page: Page = await pages.open();
        page.on("request", (request) => origins.add(new URL(request.url()).origin));
        page.on("console", (message) => {
          if (message.type() === "error")
            consoleErrors.push(`${message.location().url}: ${message.text()}`);
        });
        page.on("pageerror", (error) => consoleErrors.push(error.message));
        await page.goto(`${base}/`);
        await page.getByTestId("header-sign-in").click();
        // Keycloak's own form, in Vietnamese
        await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(`${kc.issuer}/`);
        await page.locator("#username").fill("doh.canbo");
        await page.locator("#password").fill(kc.password);
        const sent = performance.now();
        await page.locator("#kc-login").click();
        const state = page.locator('[data-testid="month-state"]');
        await expect
          .poll(() => state.getAttribute("data-state"), { timeout: 15_000, interval: 20 })
          .toBe("DRAFT");
        console.log(
          `[sign-in timing] Keycloak: doh.canbo ${Math.round(performance.now() - sent)} ms from the password to the DOH month page with its data`,
        );
        expect(new URL(page.url()).pathname).toBe("/bao-cao/DOH");
        expect(await page.getByTestId("person-name").innerText()).toBe(officer.name);
        expect(await page.getByTestId("person-agency").innerText()).toBe("Sở Y tế");

        // a figure typed on the month page, saved, shown as saved
        await page.locator('[data-testid="entry-indicator"]').selectOption("II.12");
        const rows = page.locator('[data-testid="entry-rows"]');
        await expect
          .poll(() => rows.getAttribute("data-indicator"), { timeout: 10_000 })
          .toBe("II.12");
        const row = rows.locator('tr[data-key="10525"]');
        await row.locator('[name="10525.numerator"]').fill("41");
        await row.locator('[name="10525.denominator"]').fill("50");
        await page.getByTestId("save-figures").click();
        await expect
          .poll(() => page.getByTestId("entry-message").innerText(), { timeout: 15_000 })
          .toBe("Đã lưu 1 số liệu (1 mới, 0 thay thế).");

        // stored as that person (Keycloak's id for them), and the audit trail names them
        const person = {
          id: claimsOf((await signInAs("doh.canbo")).access_token).sub,
          name: officer.name,
        };
        const reviewer = await signInAs("ioc.duyet");
        const stored = await ask(
          reviewer.access_token,
          `{ indicator(code: "II.12") { ... on HealthIndicator { values(unit: "10525") { numerator person { id } } } } }`,
        );
        expect(stored.data?.indicator).toEqual({
          values: [{ numerator: 41, person: { id: person.id } }],
        });
        const trail = await ask(
          reviewer.access_token,
          `{ healthAuditTrail(person: "${person.id}") { action subject person { id name } } }`,
        );
        // the figure form sends the month's report: one figure in it
        expect(trail.data?.healthAuditTrail).toContainEqual({
          action: "report.submit",
          subject: expect.stringMatching(/^II\.12\|10525\|\d{4}-\d{2}$/),
          person,
        });
        // nothing loaded from another host than the gateway and Keycloak; no console error
        expect([...origins].sort()).toEqual([base, new URL(kc.issuer).origin].sort());
        expect(consoleErrors).toEqual([]);
      } finally {
        await pages.close();
        await browser.close();
      }
    },
  );
});

describe("machines, by client credentials with the secrets Keycloak made", () => {
  it("export:values reads the month as the IOC's report client", async () => {
    const { kc, system } = running();
    const { stdout, stderr } = await exportValuesAs(
      {
        gatewayUrl: system.gatewayUrl,
        issuer: kc.issuer,
        clientId: "p06-reports",
        clientSecret: await kc.machineSecret("p06-reports"),
      },
      PERIOD,
    );
    expect(stderr).toBe("");
    expect(dataValuesOf(stdout)).toContainEqual(
      expect.objectContaining({
        dataElement: "II.12.numerator",
        orgUnit: "10507",
        value: "3",
        storedBy: officer.id,
      }),
    );
  });

  it("an agency's importer writes as its service account: the agency, no person", async () => {
    const { kc } = running();
    const token = await clientCredentialsTokens({
      issuer: kc.issuer,
      clientId: "p06-import-doh",
      clientSecret: await kc.machineSecret("p06-import-doh"),
    })();
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ sub: "DOH", aud: "p06-gateway", role: ["data-officer"] });
    expect(claims).not.toHaveProperty("agency");
    expect(await ask(token, submitFigure(4))).toEqual({
      data: { submitHealthValue: { reportedBy: "DOH", person: null } },
    });
  });
});
