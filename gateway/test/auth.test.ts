// A token is verified once and kept until it expires: the signature check is the costly part of
// authenticating, and each request used to pay it twice. A refused token is told what is wrong. A token
// names a person, the agency they act for and their roles, where the identity provider puts them
// (Keycloak's shape); the provider's keys are found through its discovery document.
import { createServer } from "node:http";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as jose from "jose";
import type { GraphQLError } from "graphql";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createAuthenticator, discoveredKeys } from "../src/trust/auth.js";
import { DEFAULT_TOKEN_ADDRESS, readTokenClaims } from "../src/trust/claims.js";
import { ensureDevKeys, JWT_ALGORITHM } from "../src/trust/keys.js";
import { issueToken } from "../src/trust/tokens.js";

const { issuer: JWT_ISSUER, audience: JWT_AUDIENCE } = DEFAULT_TOKEN_ADDRESS;

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
  return new jose.SignJWT({ role: sub === "IOC" ? ["ioc-viewer"] : ["data-officer"] })
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
    expect(await authenticate(`Bearer ${shortLived}`)).toEqual({
      sub: "DOH",
      roles: ["data-officer"],
    });
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
  await expect(authenticate(`Bearer ${unknownAgency}`)).rejects.toThrow(/names no agency/);
  await expect(authenticate(`Bearer ${unknownAgency}`)).rejects.toThrow(/names no agency/);
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
  ) => new jose.SignJWT({ role: "data-officer", ...claims }).setProtectedHeader({ alg }).sign(key);
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
    [
      await sign({ ...good, sub: "NOBODY" }),
      "AGENCY_MISSING",
      /no "agency" claim .* its subject "NOBODY" is no agency's code/,
    ],
    [
      await sign({ ...good, sub: "nguyen.van.a", agency: "NOBODY" }),
      "UNKNOWN_AGENCY",
      /the token's "agency" claim names no known agency: "NOBODY"/,
    ],
    [
      await sign({ ...good, sub: "nguyen.van.a", agency: ["DOH", "POLICE"] }),
      "UNKNOWN_AGENCY",
      /names no known agency: "DOH,POLICE"/,
    ],
    [
      await sign({ ...good, sub: "nguyen.van.a", agency: "IOC" }),
      "ROLE_MISSING",
      /gives none of the roles acting for IOC needs: "ioc-viewer" or "ioc-reviewer"/,
    ],
    [
      await sign({ ...good, role: ["ioc-reviewer"] }),
      "ROLE_MISSING",
      /none of the roles acting for DOH needs: "data-officer" or "agency-head"/,
    ],
    // the roles before the plan's people had theirs
    [await sign({ ...good, role: "agency" }), "ROLE_MISSING", /"role" claim: "\\"agency\\""/],
    [
      await sign({ ...good, sub: "x".repeat(300), agency: "DOH" }),
      "PERSON_MISSING",
      /names no person/,
    ],
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

it("reads a person acting for an agency, and takes a token without one as the agency's service account", async () => {
  const authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
  });
  const person = { id: "nguyen.van.a", name: "Nguyễn Văn A" };
  const issued = (agency: string, who?: typeof person) =>
    issueToken({
      privateKeyFile: keys.privateKeyFile,
      agency,
      days: 1,
      ...(who && { person: who }),
    });
  expect(await authenticate(`Bearer ${await issued("DOH", person)}`)).toEqual({
    sub: "DOH",
    roles: ["data-officer", "agency-head"],
    person,
  });
  expect(await authenticate(`Bearer ${await issued("IOC", person)}`)).toEqual({
    sub: "IOC",
    roles: ["ioc-viewer", "ioc-reviewer"],
    person,
  });
  // a machine's token, as every token was before they named people
  expect(await authenticate(`Bearer ${await issued("DOH")}`)).toEqual({
    sub: "DOH",
    roles: ["data-officer", "agency-head"],
  });
  // only the roles it names, and only those acting for its agency
  const head = await issueToken({
    privateKeyFile: keys.privateKeyFile,
    agency: "DOH",
    roles: ["agency-head"],
    person,
    days: 1,
  });
  expect(await authenticate(`Bearer ${head}`)).toMatchObject({ roles: ["agency-head"] });
  // no name: the id is shown
  const nameless = await issued("DOH", { id: "u-42", name: "" });
  expect(await authenticate(`Bearer ${nameless}`)).toMatchObject({
    person: { id: "u-42", name: "u-42" },
  });
});

it("reads a person acting for a commune, with the commune's code; never a commune's machine", async () => {
  const authenticate = await createAuthenticator({
    publicKeyFile: keys.publicKeyFile,
    agencies: new Set(["DOH"]),
    anonymousRead: false,
  });
  const person = { id: "hd.canbo", name: "Nguyễn Thị Thu" };
  const token = (request: { agency: string; commune?: string; person?: typeof person }) =>
    issueToken({ privateKeyFile: keys.privateKeyFile, days: 1, ...request });
  expect(
    await authenticate(`Bearer ${await token({ agency: "COMMUNE", commune: "10525", person })}`),
  ).toEqual({
    sub: "COMMUNE",
    commune: "10525",
    roles: ["commune-officer", "commune-chair"],
    person,
  });
  // a commune claim beside an agency is not the agency's business: the person acts for the agency
  expect(
    await authenticate(`Bearer ${await token({ agency: "DOH", commune: "10525", person })}`),
  ).toEqual({ sub: "DOH", roles: ["data-officer", "agency-head"], person });
  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: GraphQLError) => error.extensions,
    );
  for (const commune of [undefined, "105", "abcde"]) {
    expect(
      await refusal(
        authenticate(
          `Bearer ${await token({ agency: "COMMUNE", ...(commune && { commune }), person })}`,
        ),
      ),
    ).toMatchObject({ code: "UNAUTHENTICATED", reason: "COMMUNE_MISSING" });
  }
  // COMMUNE as a token's subject is no service account
  expect(await refusal(authenticate(`Bearer ${await token({ agency: "COMMUNE" })}`))).toMatchObject(
    {
      code: "UNAUTHENTICATED",
      reason: "AGENCY_MISSING",
    },
  );
});

it("accepts a Keycloak token, verified through its JWKS, with the claim names configured", async () => {
  const { privateKey, publicKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = {
    ...(await jose.exportJWK(publicKey)),
    kid: "realm-key-1",
    alg: "RS256",
    use: "sig",
  };
  const jwks = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = jwks.address() as AddressInfo;
    const realm = `http://127.0.0.1:${port}/realms/haiphong`;
    const { names, address } = readTokenClaims({
      JWT_ISSUER: realm,
      JWT_AUDIENCE: "p06-gateway",
      JWT_ROLE_CLAIM: "realm_access.roles",
      JWT_DATA_OFFICER_ROLE: "p06-data-officer",
      JWT_AGENCY_HEAD_ROLE: "p06-agency-head",
      JWT_IOC_VIEWER_ROLE: "p06-ioc-viewer",
      JWT_IOC_REVIEWER_ROLE: "p06-ioc-reviewer",
      JWT_NAME_CLAIM: "name,preferred_username",
    });
    // a claim name that cannot be one stops start-up, naming the variable
    expect(() => readTokenClaims({ JWT_AGENCY_CLAIM: "agency code" })).toThrow(
      /JWT_AGENCY_CLAIM must be a claim's name or a dotted path/,
    );
    const authenticate = await createAuthenticator({
      jwksUrl: `${realm}/protocol/openid-connect/certs`,
      algorithm: "RS256",
      agencies: new Set(["DOH"]),
      anonymousRead: false,
      claimNames: names,
      address,
    });
    // an access token as Keycloak issues it, with an agency attribute mapped to the "agency" claim
    const keycloak = (claims: jose.JWTPayload) =>
      new jose.SignJWT({
        typ: "Bearer",
        azp: "p06-web",
        sid: "6c0f0c6e",
        scope: "openid profile email",
        preferred_username: "nguyen.van.a",
        email: "nguyen.van.a@soyte.haiphong.gov.vn",
        ...claims,
      })
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "realm-key-1" })
        .setSubject("3f6d7c1e-9a2b-4c5d-8e7f-0a1b2c3d4e5f")
        .setIssuer(realm)
        .setAudience(["p06-gateway", "account"])
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(privateKey);
    const officer = await keycloak({
      name: "Nguyễn Văn A",
      agency: "DOH",
      realm_access: { roles: ["default-roles-haiphong", "offline_access", "p06-data-officer"] },
    });
    expect(await authenticate(`Bearer ${officer}`)).toEqual({
      sub: "DOH",
      roles: ["data-officer"],
      person: { id: "3f6d7c1e-9a2b-4c5d-8e7f-0a1b2c3d4e5f", name: "Nguyễn Văn A" },
    });
    // no full name in the profile: the login name is shown
    const loginOnly = await keycloak({
      agency: ["DOH"],
      realm_access: { roles: ["p06-agency-head"] },
    });
    expect(await authenticate(`Bearer ${loginOnly}`)).toMatchObject({
      person: { name: "nguyen.van.a" },
    });
    const refusals: [string, string][] = [
      [
        await keycloak({ agency: "NOBODY", realm_access: { roles: ["p06-data-officer"] } }),
        "UNKNOWN_AGENCY",
      ],
      [await keycloak({ realm_access: { roles: ["p06-data-officer"] } }), "AGENCY_MISSING"],
      [
        await keycloak({ agency: "IOC", realm_access: { roles: ["p06-data-officer"] } }),
        "ROLE_MISSING",
      ],
      [
        await keycloak({ agency: "DOH", realm_access: { roles: ["offline_access"] } }),
        "ROLE_MISSING",
      ],
    ];
    for (const [token, reason] of refusals) {
      await expect(authenticate(`Bearer ${token}`)).rejects.toMatchObject({
        extensions: { code: "UNAUTHENTICATED", reason },
      });
    }
  } finally {
    jwks.closeAllConnections();
    await new Promise((resolve) => jwks.close(resolve));
  }
});

it("finds an OpenID provider's keys through its discovery document, once it answers", async () => {
  const { privateKey, publicKey } = await jose.generateKeyPair("ES256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: "op-key-1", alg: "ES256", use: "sig" };
  let up = false;
  let discoveries = 0;
  let issuer = "";
  let named = "";
  const provider = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (!up) {
      res.statusCode = 503;
      res.end("{}");
    } else if (req.url === "/.well-known/openid-configuration") {
      discoveries += 1;
      res.end(JSON.stringify({ issuer: named, jwks_uri: `${issuer}/jwks` }));
    } else if (req.url === "/jwks") {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end("{}");
    }
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  try {
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    named = issuer;
    const authenticate = await createAuthenticator({
      oidcIssuer: issuer,
      agencies: new Set(["DOH"]),
      anonymousRead: false,
      address: { issuer, audience: JWT_AUDIENCE },
    });
    const signed = await new jose.SignJWT({ agency: "DOH", role: ["data-officer"], name: "Lan" })
      .setProtectedHeader({ alg: "ES256", kid: "op-key-1", typ: "at+jwt" })
      .setSubject("doh.canbo")
      .setIssuer(issuer)
      .setAudience(JWT_AUDIENCE)
      .setExpirationTime("5m")
      .sign(privateKey);
    // the provider not up yet: refused, and asked again with the next token
    await expect(authenticate(`Bearer ${signed}`)).rejects.toMatchObject({
      message: expect.stringMatching(/discovery document .* answered 503/),
      extensions: { code: "UNAUTHENTICATED", reason: "TOKEN_UNVERIFIABLE" },
    });
    up = true;
    expect(await authenticate(`Bearer ${signed}`)).toEqual({
      sub: "DOH",
      roles: ["data-officer"],
      person: { id: "doh.canbo", name: "Lan" },
    });
    expect(discoveries).toBe(1);
    // a discovery document that names another issuer is not this provider's
    named = "https://elsewhere.example";
    const keys = discoveredKeys(issuer);
    await expect(jose.jwtVerify(signed, keys, { issuer, audience: JWT_AUDIENCE })).rejects.toThrow(
      /names the issuer "https:\/\/elsewhere.example", not/,
    );
  } finally {
    provider.closeAllConnections();
    await new Promise((resolve) => provider.close(resolve));
  }
});
