// A subgraph's shared secret can be rotated without refusing the gateway: while SUBGRAPH_SECRET_PREVIOUS
// is set, requests signed with either secret are accepted; once it is removed, only the new one is.
// The signed claims name the agency, the roles and the person acting for it, in a shape checked
// strictly.
import { expect, it } from "vitest";
import { readSubgraphConfig } from "../src/config.js";
import { personOf, signRequest, verifyRequest, type Claims } from "../src/signing.js";

const OLD = "o".repeat(32);
const NEW = "n".repeat(32);
const body = JSON.stringify({ query: "{ __typename }" });
const caller: Claims = { sub: "DOH", roles: ["data-officer"] };

it("accepts the current and the previous secret during a rotation, and only the current after", () => {
  const during = readSubgraphConfig("health", 4104, {
    MONGODB_URI: "mongodb://127.0.0.1:1/",
    SUBGRAPH_SECRET: NEW,
    SUBGRAPH_SECRET_PREVIOUS: OLD,
  }).secrets;
  const after = readSubgraphConfig("health", 4104, {
    MONGODB_URI: "mongodb://127.0.0.1:1/",
    SUBGRAPH_SECRET: NEW,
  }).secrets;
  for (const secret of [OLD, NEW]) {
    const headers = signRequest(secret, caller, body);
    expect(verifyRequest(during, headers, Buffer.from(body))).toEqual({ ok: true, claims: caller });
  }
  expect(verifyRequest(after, signRequest(NEW, caller, body), Buffer.from(body)).ok).toBe(true);
  expect(verifyRequest(after, signRequest(OLD, caller, body), Buffer.from(body))).toEqual({
    ok: false,
    reason: "the request's signature does not match",
  });
});

it("refuses a previous secret too short to resist guessing", () => {
  expect(() =>
    readSubgraphConfig("health", 4104, {
      MONGODB_URI: "mongodb://127.0.0.1:1/",
      SUBGRAPH_SECRET: NEW,
      SUBGRAPH_SECRET_PREVIOUS: "short",
    }),
  ).toThrow(/SUBGRAPH_SECRET_PREVIOUS must be at least 32 characters/);
});

it("carries the person who acts for the agency, and refuses claims of any other shape", () => {
  const person = { id: "f3b1c2d4-0000-4000-8000-000000000001", name: "Nguyễn Văn A" };
  const signed = (claims: unknown) => {
    const headers = signRequest(NEW, claims as Claims, body);
    return verifyRequest(NEW, headers, Buffer.from(body));
  };
  for (const claims of [
    { sub: "DOH", roles: ["data-officer"], person },
    { sub: "DOH", roles: ["data-officer", "agency-head"], person },
    { sub: "IOC", roles: ["ioc-viewer"], person },
    { sub: "IOC", roles: ["ioc-reviewer", "ioc-viewer"], person },
    // a service account: the agency's machine, no person
    { sub: "DOH", roles: ["data-officer"] },
  ]) {
    expect(signed(claims)).toEqual({ ok: true, claims });
  }
  const malformed = [
    { sub: "DOH", roles: ["data-officer"], person: null },
    { sub: "DOH", roles: ["data-officer"], person: { id: "a" } },
    { sub: "DOH", roles: ["data-officer"], person: { id: "", name: "A" } },
    { sub: "DOH", roles: ["data-officer"], person: { id: 7, name: "A" } },
    { sub: "DOH", roles: ["data-officer"], person: { id: "a", name: "x".repeat(257) } },
    { sub: "DOH", roles: ["data-officer"], person: { id: "a", name: "A\nforged line" } },
    { sub: "DOH", roles: ["data-officer"], person: { ...person, admin: true } },
    { sub: "DOH", roles: ["data-officer"], person: [person] },
    { sub: "DOH", roles: ["data-officer"], extra: 1 },
    // an agency with the IOC's roles, the IOC with an agency's, none, twice, unknown, not a list
    { sub: "DOH", roles: ["ioc-reviewer"] },
    { sub: "IOC", roles: ["agency-head"] },
    { sub: "DOH", roles: [] },
    { sub: "DOH", roles: ["data-officer", "data-officer"] },
    { sub: "DOH", roles: ["admin"] },
    { sub: "DOH", roles: "data-officer" },
    // the shape before roles
    { sub: "DOH", role: "agency" },
    { sub: "doh", roles: ["data-officer"] },
    { roles: ["data-officer"], person },
    [],
    "DOH",
  ];
  for (const claims of malformed) {
    expect(signed(claims), JSON.stringify(claims)).toEqual({
      ok: false,
      reason: "the request's claims are malformed",
    });
  }
  expect(signed(null)).toEqual({ ok: true, claims: null });
  expect(personOf({ sub: "DOH", roles: ["data-officer"], person })).toEqual(person);
  expect(personOf({ sub: "DOH", roles: ["data-officer"] })).toBeNull();
});
