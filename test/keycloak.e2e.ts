// The real Keycloak proves the realm file in keycloak/: Keycloak (from Maven Central, on Java 21 or
// later) imports it with the demo people, a DOH data officer signs in through Keycloak's own form
// (Authorization Code with PKCE, driven over plain HTTP), the gateway takes the token and the figure
// they write and the audit trail name them, and a machine reads the month's report by client
// credentials. Without a Java of 21 or later the test fails and says what to install.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebMonthReportQuery } from "../gateway/web/src/graphql/generated/graphql.js";
import { loadMonthReport } from "../gateway/web/src/report/month-report.js";
import { freePort } from "../scripts/lib/ferretdb.js";
import { askGateway } from "../scripts/lib/gateway-request.js";
import { findJava, GATEWAY_AUDIENCE, gatewayEnvFor, REALM } from "../scripts/lib/keycloak.js";
import {
  claimsOf,
  codeOf,
  DASHBOARD_CLIENT,
  DEMO_PASSWORD,
  exchangeCode,
  machineToken,
  openSignInForm,
  signIn,
  startTestKeycloak,
  submitSignInForm,
  type SignedIn,
  type TestKeycloak,
} from "./support/keycloak.js";
import { startSystem, type RunningSystem } from "./support/system.js";

const PERIOD = "2026-10";
const submitII12 = `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "${PERIOD}", numerator: 3, denominator: 4 }) { reportedBy person { id name } } }`;
const operation = (name: string) =>
  readFileSync(new URL(`../gateway/operations/${name}.graphql`, import.meta.url), "utf8");

let kc: TestKeycloak | undefined;
let system: RunningSystem | undefined;

/** POSTs an operation to the gateway with a bearer token. */
async function ask<Data = Record<string, unknown>>(token: string, query: string) {
  const response = await fetch(system!.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as {
    data?: Data;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

beforeAll(async () => {
  // a machine without Java 21 fails here, with what to install
  await findJava();
  const gatewayPort = await freePort();
  const keycloakPort = await freePort();
  const issuer = `http://127.0.0.1:${keycloakPort}/realms/${REALM}`;
  // side by side: Keycloak's JVM and the services' start-up
  const [keycloak, stack] = await Promise.allSettled([
    startTestKeycloak(`http://127.0.0.1:${gatewayPort}`, keycloakPort),
    startSystem("keycloak", gatewayEnvFor(issuer), { gatewayPort }),
  ]);
  if (keycloak.status === "fulfilled") kc = keycloak.value;
  if (stack.status === "fulfilled") system = stack.value;
  for (const started of [keycloak, stack]) {
    if (started.status === "rejected") throw started.reason;
  }
  console.log(
    `[keycloak] Keycloak answered ${(kc!.keycloak.startedInMs / 1000).toFixed(1)} s after its start (the realm imported)`,
  );
}, 300_000);

afterAll(async () => {
  await Promise.all([system?.stop(), kc?.stop()]);
});

describe("Keycloak with the repository's realm", () => {
  it("serves the realm p06: its issuer, PKCE S256, and RS256 keys", async () => {
    const discovery = (await (
      await fetch(`${kc!.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(kc!.issuer);
    expect(discovery.code_challenge_methods_supported).toContain("S256");
    const { keys } = (await (await fetch(kc!.gatewayEnv.JWT_JWKS_URL!)).json()) as {
      keys: { alg?: string; use?: string }[];
    };
    expect(keys).toContainEqual(expect.objectContaining({ alg: "RS256", use: "sig" }));
  });
});

describe("a person signs in through Keycloak's form", () => {
  let officer: SignedIn;

  it("a DOH data officer gets, by Authorization Code and PKCE, a token with what the gateway reads", async () => {
    officer = await signIn(kc!, "doh.canbo");
    console.log(
      `[keycloak] sign-in: ${Math.round(officer.ms)} ms from the authorization request to the tokens (the password's step ${Math.round(officer.passwordMs)} ms)`,
    );
    const claims = claimsOf(officer.accessToken);
    expect(claims).toMatchObject({
      iss: kc!.issuer,
      azp: DASHBOARD_CLIENT,
      agency: "DOH",
      name: "Nguyễn Thị Lan",
      preferred_username: "doh.canbo",
    });
    expect([claims.aud].flat()).toContain(GATEWAY_AUDIENCE);
    expect((claims.realm_access as { roles: string[] }).roles).toEqual(
      expect.arrayContaining(["data-officer", "agency"]),
    );
    expect(claimsOf(officer.idToken)).toMatchObject({ sub: claims.sub, name: "Nguyễn Thị Lan" });
  });

  it("the gateway takes the token: the figure written and the audit trail name that person", async () => {
    const person = { id: claimsOf(officer.accessToken).sub, name: "Nguyễn Thị Lan" };
    expect(await ask(officer.accessToken, submitII12)).toEqual({
      data: { submitHealthValue: { reportedBy: "DOH", person } },
    });
    const machine = await machineToken(kc!, "p06-reports");
    const trail = await ask<{
      healthAuditTrail: { actor: string; action: string; subject: string; person: unknown }[];
    }>(
      machine,
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

  it("a wrong password is refused on the form, in Vietnamese", async () => {
    const form = await openSignInForm(kc!);
    const answer = await submitSignInForm(form, "ioc.duyet", "not-the-password");
    expect(answer.status).toBe(200);
    expect(answer.location).toBeNull();
    expect(answer.html).toContain("Tên người dùng hoặc mật khẩu không hợp lệ.");
  });

  it("the dashboard client requires PKCE: a request without it is refused, and a code without its verifier", async () => {
    // refused before any form: Keycloak sends the browser back to the dashboard with the error
    const without = await openSignInForm(kc!, { pkce: "none" });
    expect(without.action).toBeNull();
    expect(without.status).toBe(302);
    const back = new URL(without.location!).searchParams;
    expect(back.get("error")).toBe("invalid_request");
    expect(back.get("error_description")).toMatch(/code_challenge/);
    const form = await openSignInForm(kc!);
    const answer = await submitSignInForm(form, "ioc.xem", DEMO_PASSWORD);
    const exchanged = await exchangeCode(kc!, codeOf(kc!, form, answer.location), undefined);
    expect(exchanged.status).toBe(400);
    expect(exchanged.body.error).toBe("invalid_grant");
  });

  it("an IOC viewer reads as the IOC, and may not write an agency's figure", async () => {
    const viewer = await signIn(kc!, "ioc.xem");
    expect(claimsOf(viewer.accessToken)).toMatchObject({ agency: "IOC" });
    const read = await ask<{ healthAuditTrail: unknown[] }>(
      viewer.accessToken,
      `{ healthAuditTrail(limit: 1) { actor } }`,
    );
    expect(read.errors).toBeUndefined();
    const write = await ask(viewer.accessToken, submitII12);
    expect(write.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("a machine, by client credentials", () => {
  it("reads the month's report data as the IOC", async () => {
    const token = await machineToken(kc!, "p06-reports");
    expect(claimsOf(token)).toMatchObject({ agency: "IOC", azp: "p06-reports" });
    const report = await loadMonthReport(
      {
        month: (variables) =>
          askGateway<WebMonthReportQuery>(
            system!.gatewayUrl,
            token,
            operation("web-month-report"),
            variables,
          ),
      },
      { period: PERIOD, asOf: "2026-11-11" },
    );
    expect(report.period).toBe(PERIOD);
    const indicators = report.tables.find((table) => table.rows.some((row) => row[0] === "II.12"));
    expect(indicators).toBeDefined();
  });
});
