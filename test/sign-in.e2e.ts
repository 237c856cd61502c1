// People sign in, machines use client credentials, against the real stack as `npm start` runs it: the
// embedded OpenID provider beside the gateway, which verifies its tokens through its discovery. A
// person signed in with the code and PKCE (plain HTTP, as a browser would) writes as themselves and
// the audit trail names them; each role is refused what it may not do, by name; a wrong password is
// refused in Vietnamese; `export:values` gets its token as a machine and reads the month.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataValuesOf, exportValuesAs } from "./support/machine-command.js";
import { authorize, signIn, submitSignIn } from "./support/sign-in.js";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
const PERIOD = "2026-10";

beforeAll(async () => {
  system = await startSystem("sign_in", {}, { oidc: true });
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

/** A signed-in person's access token (the demo password). */
const tokenOf = async (login: string) =>
  (
    await signIn({
      issuer: system.oidc!.issuer,
      clientId: system.oidc!.clientId,
      redirectUri: system.oidc!.redirectUri,
      login,
      password: system.oidc!.password,
    })
  ).access_token;

async function ask(token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(system.gatewayUrl, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

const submitFigure = `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "${PERIOD}", numerator: 3, denominator: 4 }) { reportedBy person { id name } } }`;

describe("a person signed in at the embedded provider", () => {
  it("serves discovery and keys where the gateway is told to look", async () => {
    const discovery = (await (
      await fetch(`${system.oidc!.issuer}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(system.oidc!.issuer);
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
  });

  it("writes as themselves through the gateway, and the audit trail names them", async () => {
    const officer = await tokenOf("doh.canbo");
    expect(await ask(officer, submitFigure)).toEqual({
      data: {
        submitHealthValue: {
          reportedBy: "DOH",
          person: { id: "doh.canbo", name: "Nguyễn Thị Lan" },
        },
      },
    });
    const reviewer = await tokenOf("ioc.duyet");
    const trail = await ask(
      reviewer,
      `{ healthAuditTrail(limit: 5) { actor action person { id name } } }`,
    );
    expect(trail.data?.healthAuditTrail).toContainEqual({
      actor: "DOH",
      action: "value.submit",
      person: { id: "doh.canbo", name: "Nguyễn Thị Lan" },
    });
  });

  it("is refused, by name of the role needed, what their role may not do", async () => {
    const head = await tokenOf("doh.lanhdao");
    const officer = await tokenOf("doh.canbo");
    const viewer = await tokenOf("ioc.xem");
    const refusal = (result: Awaited<ReturnType<typeof ask>>) => ({
      code: result.errors?.[0]?.extensions?.code,
      message: result.errors?.[0]?.message,
    });
    expect(refusal(await ask(head, submitFigure))).toEqual({
      code: "FORBIDDEN",
      message: "entering figures needs the role data-officer; this caller (DOH) holds agency-head",
    });
    expect(
      refusal(await ask(officer, `mutation { submitHealthMonth(period: "${PERIOD}") { state } }`)),
    ).toEqual({
      code: "FORBIDDEN",
      message:
        "submitting the month needs the role agency-head; this caller (DOH) holds data-officer",
    });
    expect(
      refusal(
        await ask(
          viewer,
          `mutation { reviewHealthMonth(input: { agency: "DOH", period: "${PERIOD}", decision: ACCEPT }) { state } }`,
        ),
      ),
    ).toEqual({
      code: "FORBIDDEN",
      message:
        "reviewing a month (accept, return, reopen) needs the role ioc-reviewer; this caller (IOC) holds ioc-viewer",
    });
    // the viewer still reads everything
    expect((await ask(viewer, `{ healthAuditTrail(limit: 1) { action } }`)).errors).toBeUndefined();
  });

  it("is refused a wrong password in Vietnamese", async () => {
    const authorization = await authorize({
      issuer: system.oidc!.issuer,
      clientId: system.oidc!.clientId,
      redirectUri: system.oidc!.redirectUri,
    });
    const refused = await submitSignIn(authorization, "doh.canbo", "wrong password");
    expect(refused.status).toBe(401);
    expect(refused.body).toContain("Tên đăng nhập hoặc mật khẩu không đúng.");
  });
});

describe("a machine with client credentials", () => {
  it("exports the month's figures with export:values, its token from the provider", async () => {
    const { stdout, stderr } = await exportValuesAs(
      {
        gatewayUrl: system.gatewayUrl,
        issuer: system.oidc!.issuer,
        clientId: "p06-reports",
        clientSecret: system.oidc!.machineSecret("p06-reports"),
      },
      PERIOD,
    );
    expect(stderr).toBe("");
    // the figure the signed-in officer entered, stored by them
    expect(dataValuesOf(stdout)).toContainEqual(
      expect.objectContaining({
        dataElement: "II.12.numerator",
        orgUnit: "10507",
        value: "3",
        storedBy: "doh.canbo",
      }),
    );
  });

  it("is refused with a secret that is not its own, saying what the provider answered", async () => {
    const failed = await exportValuesAs(
      {
        gatewayUrl: system.gatewayUrl,
        issuer: system.oidc!.issuer,
        clientId: "p06-reports",
        clientSecret: "not its secret",
      },
      PERIOD,
    ).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(
      /the OpenID provider refused client p06-reports its token \(401, invalid_client/,
    );
  });
});
