// The plan reads the agencies' figures through the graph as the IOC's viewer, with a token it signs
// itself with the secret it shares with the gateway: the gateway takes such a token from a subgraph
// it names as a graph reader, and from nobody else, and only as short-lived as a reader's.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT } from "jose";
import type { GraphQLError } from "graphql";
import {
  GRAPH_READER_AUDIENCE,
  graphReaderIssuer,
  graphReaderTokens,
  type Claims,
} from "@p06/subgraph-kit";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAuthenticator, isGraphReader } from "../src/trust/auth.js";
import { ensureDevKeys } from "../src/trust/keys.js";
import { issueToken } from "../src/trust/tokens.js";

const PLAN_SECRET = "p".repeat(40);
const HEALTH_SECRET = "h".repeat(40);

let dir: string;
let keys: { privateKeyFile: string; publicKeyFile: string };
let authenticate: (authorization: string | undefined) => Promise<Claims | null>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-graph-reader-test-"));
  keys = await ensureDevKeys(dir);
  authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
    graphReaders: { plan: PLAN_SECRET },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: GraphQLError) => [error.extensions.reason, error.message] as const,
  );

/** A token as a subgraph would sign one, with its lifetime in seconds. */
async function readerToken(subgraph: string, secret: string, seconds = 60) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(graphReaderIssuer(subgraph))
    .setSubject(`subgraph:${subgraph}`)
    .setAudience(GRAPH_READER_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + seconds)
    .sign(new TextEncoder().encode(secret));
}

it("reads as the IOC's viewer with the plan's own token, and is known as a graph reader", async () => {
  const token = await graphReaderTokens("plan", PLAN_SECRET)();
  const claims = await authenticate(`Bearer ${token}`);
  expect(claims).toEqual({ sub: "IOC", roles: ["ioc-viewer"] });
  expect(isGraphReader(claims)).toBe(true);
  // the same token again: kept until it expires
  expect(await authenticate(`Bearer ${token}`)).toBe(claims);
});

it("keeps its token until shortly before it expires", async () => {
  const tokens = graphReaderTokens("plan", PLAN_SECRET);
  expect(await tokens()).toBe(await tokens());
});

it("refuses a reader's token signed with another secret, from a subgraph that is not a reader, or lasting too long", async () => {
  expect(await refusal(authenticate(`Bearer ${await readerToken("plan", HEALTH_SECRET)}`))).toEqual(
    [
      "TOKEN_SIGNATURE_INVALID",
      "the token's signature does not verify: it was signed with another key, or altered",
    ],
  );
  expect(
    await refusal(authenticate(`Bearer ${await readerToken("health", HEALTH_SECRET)}`)),
  ).toEqual([
    "TOKEN_SIGNATURE_INVALID",
    'the token names subgraph "health", which does not read the graph',
  ]);
  const long = await refusal(
    authenticate(`Bearer ${await readerToken("plan", PLAN_SECRET, 3600)}`),
  );
  expect(long?.[1]).toMatch(/120 s at most/);
});

it("never takes a person's token as a graph reader's", async () => {
  const token = await issueToken({
    privateKeyFile: keys.privateKeyFile,
    agency: "IOC",
    roles: ["ioc-viewer"],
    days: 1,
  });
  const claims = await authenticate(`Bearer ${token}`);
  expect(claims).toMatchObject({ sub: "IOC" });
  expect(isGraphReader(claims)).toBe(false);
});
