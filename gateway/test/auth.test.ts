// A token is verified once and kept until it expires: the signature check is the costly part of
// authenticating, and each request used to pay it twice. A refused token is told what is wrong.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as jose from "jose";
import type { GraphQLError } from "graphql";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createAuthenticator } from "../src/auth.js";
import { ensureDevKeys, JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from "../src/keys.js";

const verifications = vi.hoisted(() => ({ count: 0 }));
vi.mock("jose", async (original) => {
  const actual = await original<typeof import("jose")>();
  return {
    ...actual,
    jwtVerify: (...args: Parameters<typeof actual.jwtVerify>) => {
      verifications.count += 1;
      return actual.jwtVerify(...args);
    },
  };
});

let dir: string;
let keys: { privateKeyFile: string; publicKeyFile: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "p06-auth-test-"));
  keys = await ensureDevKeys(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function token(sub: string, expiresInSeconds: number) {
  const key = await jose.importPKCS8(await readFile(keys.privateKeyFile, "utf8"), JWT_ALGORITHM);
  return new jose.SignJWT({ role: sub === "IOC" ? "ioc" : "agency" })
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .setSubject(sub)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(key);
}

it("verifies a token once, keeps it until it expires, then refuses it", async () => {
  const authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
  });
  const shortLived = await token("DOH", 2);
  const before = verifications.count;
  for (let i = 0; i < 5; i += 1)
    expect(await authenticate(`Bearer ${shortLived}`)).toEqual({ sub: "DOH", role: "agency" });
  expect(verifications.count).toBe(before + 1);
  // jose and the cache both go by the token's exp (whole seconds)
  await new Promise((resolve) => setTimeout(resolve, 2100));
  await expect(authenticate(`Bearer ${shortLived}`)).rejects.toThrow(/^the token expired at /);
});

it("keeps a bounded number of tokens, and never a refused one", async () => {
  const authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
    cacheSize: 2,
  });
  const [a, b, c] = await Promise.all([token("DOH", 60), token("IOC", 61), token("DOH", 62)]);
  for (const t of [a, b, c]) await authenticate(`Bearer ${t}`);
  const before = verifications.count;
  // a was pushed out by c; b and c are kept
  await authenticate(`Bearer ${c}`);
  await authenticate(`Bearer ${b}`);
  expect(verifications.count).toBe(before);
  await authenticate(`Bearer ${a}`);
  expect(verifications.count).toBe(before + 1);
  const unknownAgency = await token("NOBODY", 60);
  await expect(authenticate(`Bearer ${unknownAgency}`)).rejects.toThrow(/no known agency/);
  await expect(authenticate(`Bearer ${unknownAgency}`)).rejects.toThrow(/no known agency/);
  expect(verifications.count).toBe(before + 3);
});

it("tells a refused token what is wrong with it: each a 401 UNAUTHENTICATED with its reason", async () => {
  const authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
  });
  const own = await jose.importPKCS8(await readFile(keys.privateKeyFile, "utf8"), JWT_ALGORITHM);
  const other = (await jose.generateKeyPair(JWT_ALGORITHM)).privateKey;
  const now = Math.floor(Date.now() / 1000);
  const sign = (
    claims: jose.JWTPayload,
    key: jose.CryptoKey | Uint8Array = own,
    alg: string = JWT_ALGORITHM,
  ) => new jose.SignJWT({ role: "agency", ...claims }).setProtectedHeader({ alg }).sign(key);
  const good = { sub: "DOH", iss: JWT_ISSUER, aud: JWT_AUDIENCE, exp: now + 60 };
  const cases: [string, string, RegExp][] = [
    [
      await sign({ ...good, exp: now - 120 }),
      "TOKEN_EXPIRED",
      new RegExp(`^the token expired at ${new Date((now - 120) * 1000).toISOString()}`),
    ],
    [await sign({ ...good, nbf: now + 3600 }), "TOKEN_NOT_YET_VALID", /not valid yet/],
    [await sign(good, other), "TOKEN_SIGNATURE_INVALID", /signed with another key, or altered/],
    [
      await sign(good, new TextEncoder().encode("a shared secret of thirty-two bytes!"), "HS256"),
      "TOKEN_SIGNATURE_INVALID",
      /not signed with the algorithm this gateway accepts/,
    ],
    [await sign({ ...good, aud: "elsewhere" }), "TOKEN_CLAIMS_INVALID", /"aud" claim/],
    [await sign({ ...good, exp: undefined }), "TOKEN_CLAIMS_INVALID", /"exp" claim/],
    [await sign({ ...good, sub: "NOBODY" }), "UNKNOWN_SUBJECT", /sub "NOBODY", role "agency"/],
  ];
  for (const [token, reason, message] of cases) {
    const refused = await authenticate(`Bearer ${token}`).then(
      () => null,
      (error: GraphQLError) => error,
    );
    expect(refused?.message, reason).toMatch(message);
    expect(refused?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason,
      http: { status: 401 },
    });
  }
});
