// Who may do what: tokens at the gateway, signed claims at the subgraphs, each role allowed and refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair, SignJWT } from "jose";
import { CLAIMS_HEADER, signRequest } from "@p06/subgraph-kit";
import { startSystem, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
const base = () => system.gatewayUrl.replace(/\/graphql$/, "");

beforeAll(async () => {
  system = await startSystem("trust");
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

async function raw(url: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    },
  };
}

const submitII12 = `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "2026-10", numerator: 1, denominator: 2 }) { reportedBy } }`;
const code = (result: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe("at the gateway", () => {
  const query = JSON.stringify({ query: "{ agencies { code } }" });

  it("refuses a caller without a token, but serves the playground page", async () => {
    const refused = await raw(system.gatewayUrl, query);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await fetch(`${base()}/playground/`)).status).toBe(200);
  });

  it("refuses a malformed, forged or expired token", async () => {
    const other = await generateKeyPair("ES256", { extractable: true });
    const forged = await new SignJWT({ role: ["ioc-viewer"] })
      .setProtectedHeader({ alg: "ES256" })
      .setSubject("IOC")
      .setIssuer("p06")
      .setAudience("p06-gateway")
      .setExpirationTime("1h")
      .sign(other.privateKey);
    const good = await system.token("IOC");
    const [header, payload] = good.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: "POLICE", role: ["data-officer"] })).toString("base64url")}.${good.split(".")[2]}`;
    for (const token of ["not-a-token", forged, tampered]) {
      const result = await raw(system.gatewayUrl, query, { authorization: `Bearer ${token}` });
      expect(result.status).toBe(401);
    }
  });

  it("lets every role read", async () => {
    for (const caller of ["IOC", "DOH", "POLICE"]) {
      const { data, errors } = await system.query<{ agencies: unknown[] }>(
        "{ agencies { code } }",
        {},
        caller,
      );
      expect(errors).toBeUndefined();
      expect(data?.agencies.length).toBeGreaterThan(10);
    }
  });

  it("lets an agency write its own figures and tasks, and no one else's", async () => {
    expect((await system.query(submitII12, {}, "DOH")).data).toEqual({
      submitHealthValue: { reportedBy: "DOH" },
    });
    expect(code(await system.query(submitII12, {}, "POLICE"))).toBe("FORBIDDEN");
    expect(code(await system.query(submitII12, {}, "IOC"))).toBe("FORBIDDEN");
    const task = (agency: string) =>
      system.query(
        `mutation { updateTaskStatus(input: { code: "VIII.1", status: IN_PROGRESS }) { status } }`,
        {},
        agency,
      );
    expect((await task("POLICE")).data).toEqual({ updateTaskStatus: { status: "IN_PROGRESS" } });
    expect(code(await task("DOH"))).toBe("FORBIDDEN");
  });

  it("lets only the IOC set an assigned target", async () => {
    const assign = (caller: string) =>
      system.query(
        `mutation { setAssignedTarget(input: { indicator: "III.4", year: 2030, value: 2000 }) { code } }`,
        {},
        caller,
      );
    expect(code(await assign("POLICE"))).toBe("FORBIDDEN");
    expect((await assign("IOC")).data).toEqual({ setAssignedTarget: { code: "III.4" } });
  });
});

describe("at a subgraph", () => {
  const health = () => system.services.health!.url;
  const body = JSON.stringify({ query: submitII12 });

  it("refuses a request the gateway did not sign", async () => {
    const result = await raw(health(), body, { "x-p06-agency": "DOH" });
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]).toEqual({
      message: "the request is not signed by the gateway",
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it("refuses forged claims, a wrong secret, an altered body and a stale signature", async () => {
    const secret = system.secrets.health!;
    const signed = signRequest(secret, { sub: "POLICE", roles: ["data-officer"] }, body);
    const forgedClaims = {
      ...signed,
      [CLAIMS_HEADER]: Buffer.from(
        JSON.stringify({ sub: "DOH", roles: ["data-officer"] }),
      ).toString("base64url"),
    };
    const cases: [Record<string, string>, string, string][] = [
      [forgedClaims, body, "the request's signature does not match"],
      [
        signRequest("x".repeat(64), { sub: "DOH", roles: ["data-officer"] }, body),
        body,
        "the request's signature does not match",
      ],
      [
        signRequest(secret, { sub: "DOH", roles: ["data-officer"] }, body),
        body.replace("II.12", "II.5"),
        "the request's signature does not match",
      ],
      [
        signRequest(
          secret,
          { sub: "DOH", roles: ["data-officer"] },
          body,
          Date.now() - 10 * 60_000,
        ),
        body,
        "the request's signature has expired",
      ],
    ];
    for (const [headers, sent, message] of cases) {
      const result = await raw(health(), sent, headers);
      expect(result.status).toBe(401);
      expect(result.body.errors?.[0]?.message).toBe(message);
    }
  });

  it("takes a correctly signed request as the agency its claims name", async () => {
    const headers = signRequest(
      system.secrets.health!,
      { sub: "DOH", roles: ["data-officer"] },
      body,
    );
    expect((await raw(health(), body, headers)).body).toEqual({
      data: { submitHealthValue: { reportedBy: "DOH" } },
    });
  });
});

describe("the audit trail", () => {
  it("records every accepted write with who, when, before and after; the IOC reads it, no one else", async () => {
    // a third version of DOH's figure (two were written above, through the gateway and signed directly)
    const replaced = await system.query(
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "2026-10", numerator: 2, denominator: 2 }) { version } }`,
      {},
      "DOH",
    );
    expect(replaced.data).toEqual({ submitHealthValue: { version: 3 } });
    const trail = await system.query<{
      healthAuditTrail: {
        actor: string;
        action: string;
        subject: string;
        at: string;
        before: string | null;
        after: string;
      }[];
      planAuditTrail: { actor: string; action: string; subject: string }[];
    }>(`{
      healthAuditTrail(limit: 10) { actor action subject at before after }
      planAuditTrail(limit: 10) { actor action subject }
    }`);
    expect(trail.errors).toBeUndefined();
    const health = trail.data!.healthAuditTrail;
    expect(health.map((e) => [e.actor, e.action, e.subject])).toEqual(
      Array(3).fill(["DOH", "value.submit", "II.12|10507|2026-10"]),
    );
    expect(JSON.parse(health[0]!.before!)).toMatchObject({
      numerator: 1,
      denominator: 2,
      version: 2,
    });
    expect(JSON.parse(health[0]!.after)).toMatchObject({
      numerator: 2,
      version: 3,
      reportedBy: "DOH",
    });
    expect(health[2]!.before).toBeNull();
    expect(Date.parse(health[0]!.at)).toBeGreaterThanOrEqual(Date.parse(health[2]!.at));
    expect(trail.data!.planAuditTrail.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ["IOC", "target.assign", "target III.4 2030"],
      ["POLICE", "task.update", "task VIII.1"],
    ]);
    const refused = await system.query(`{ healthAuditTrail { actor } }`, {}, "DOH");
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("people", () => {
  const officer = { agency: "DOH", person: { id: "nguyen.van.a", name: "Nguyễn Văn A" } };
  const colleague = { agency: "DOH", person: { id: "tran.thi.b", name: "Trần Thị B" } };

  it("records the person who stored a figure, beside their agency, and shows them through the gateway", async () => {
    const submit = (numerator: number) =>
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "10507", period: "2026-08", numerator: ${numerator}, denominator: 4 }) { reportedBy person { id name } version } }`;
    expect((await system.query(submit(1), {}, officer)).data).toEqual({
      submitHealthValue: { reportedBy: "DOH", person: officer.person, version: 1 },
    });
    // the agency's service account (a machine: an import) is no person
    expect((await system.query(submit(2), {}, "DOH")).data).toEqual({
      submitHealthValue: { reportedBy: "DOH", person: null, version: 2 },
    });
    expect((await system.query(submit(3), {}, colleague)).data).toEqual({
      submitHealthValue: { reportedBy: "DOH", person: colleague.person, version: 3 },
    });
    const trail = await system.query<{
      all: { actor: string; person: { id: string; name: string } | null; after: string }[];
      hers: { person: { id: string } }[];
    }>(`{
      all: healthAuditTrail(limit: 3) { actor person { id name } after }
      hers: healthAuditTrail(person: "tran.thi.b") { person { id } }
    }`);
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.all.map((e) => [e.actor, e.person])).toEqual([
      ["DOH", colleague.person],
      ["DOH", null],
      ["DOH", officer.person],
    ]);
    expect(JSON.parse(trail.data!.all[0]!.after)).toMatchObject({ person: colleague.person });
    expect(trail.data!.hers).toEqual([{ person: { id: "tran.thi.b" } }]);
    // the figure's history names each version's reporter
    const history = await system.query<{
      healthIndicators: { history: { version: number; person: { id: string } | null }[] }[];
    }>(
      `{ healthIndicators { history(unit: "10507", period: "2026-08") { version person { id } } } }`,
    );
    expect(history.errors).toBeUndefined();
    const versions = history.data!.healthIndicators.flatMap((i) => i.history);
    expect(versions.map((v) => [v.version, v.person?.id ?? null])).toEqual(
      expect.arrayContaining([
        [1, "nguyen.van.a"],
        [2, null],
        [3, "tran.thi.b"],
      ]),
    );
  });

  it("names the person on a task update and an assigned target, and in the plan's audit trail", async () => {
    const police = { agency: "POLICE", person: { id: "le.van.c", name: "Lê Văn C" } };
    const ioc = { agency: "IOC", person: { id: "pham.thi.d", name: "Phạm Thị D" } };
    const updated = await system.query(
      `mutation { updateTaskStatus(input: { code: "VIII.1", status: DONE }) { updates { updatedBy person { id name } } } }`,
      {},
      police,
    );
    expect(updated.errors).toBeUndefined();
    expect(
      (updated.data as { updateTaskStatus: { updates: unknown[] } }).updateTaskStatus.updates.at(
        -1,
      ),
    ).toEqual({ updatedBy: "POLICE", person: police.person });
    const assigned = await system.query(
      `mutation { setAssignedTarget(input: { indicator: "III.4", year: 2030, value: 2500 }) { targets { assigned { setBy person { name } } } } }`,
      {},
      ioc,
    );
    expect(assigned.errors).toBeUndefined();
    expect(JSON.stringify(assigned.data)).toContain(
      `{"setBy":"IOC","person":{"name":"Phạm Thị D"}}`,
    );
    const trail = await system.query<{
      planAuditTrail: { actor: string; action: string; person: { id: string } | null }[];
    }>(`{ planAuditTrail(limit: 2) { actor action person { id } } }`);
    expect(trail.data!.planAuditTrail).toEqual([
      { actor: "IOC", action: "target.assign", person: { id: "pham.thi.d" } },
      { actor: "POLICE", action: "task.update", person: { id: "le.van.c" } },
    ]);
  });

  it("still lets a person act only for their own agency's indicators", async () => {
    const police = { agency: "POLICE", person: { id: "le.van.c", name: "Lê Văn C" } };
    expect(code(await system.query(submitII12, {}, police))).toBe("FORBIDDEN");
  });

  it("refuses a token whose agency claim names an unknown agency, saying so", async () => {
    const result = await raw(
      system.gatewayUrl,
      JSON.stringify({ query: "{ agencies { code } }" }),
      {
        authorization: `Bearer ${await system.token({ agency: "NOBODY", person: officer.person })}`,
      },
    );
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/"agency" claim names no known agency: "NOBODY"/),
      extensions: { code: "UNAUTHENTICATED", reason: "UNKNOWN_AGENCY" },
    });
  });
});
