// A subgraph's shared secret can be rotated without refusing the gateway: while SUBGRAPH_SECRET_PREVIOUS
// is set, requests signed with either secret are accepted; once it is removed, only the new one is.
import { expect, it } from "vitest";
import { readSubgraphConfig } from "../src/config.js";
import { signRequest, verifyRequest } from "../src/signing.js";

const OLD = "o".repeat(32);
const NEW = "n".repeat(32);
const body = JSON.stringify({ query: "{ __typename }" });
const caller = { sub: "DOH", role: "agency" } as const;

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
