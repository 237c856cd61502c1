// Keys of the trust chain. Tokens: verified through the city's OpenID provider (its discovery and JWKS),
// a JWKS URL or a public key file in production; on a development machine an ES256 key pair is
// generated on first start, which the embedded provider signs with (its JWKS serves the public half)
// and `npm run token` too. Subgraph secrets: one per subgraph, shared with the gateway; generated for
// development by `npm start`.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from "jose";

export const JWT_ALGORITHM = "ES256";

/**
 * Where the development key pair and subgraph secrets live: P06_KEYS_DIR, else `keys/` in the data
 * folder (P06_DATA_DIR, else the repository's data/). `npm start`, `npm run token` and the gateway all
 * ask here, so that a token is signed with the key the gateway verifies with.
 */
export function devKeysDir(env: Record<string, string | undefined> = process.env): string {
  const dataDir =
    env.P06_DATA_DIR?.trim() || fileURLToPath(new URL("../../../data", import.meta.url));
  return env.P06_KEYS_DIR?.trim() || join(dataDir, "keys");
}

export interface DevKeyFiles {
  privateKeyFile: string;
  publicKeyFile: string;
}

/** The development key pair in `dir`, generated once (private key readable by its owner only). */
export async function ensureDevKeys(dir: string): Promise<DevKeyFiles> {
  const files = {
    privateKeyFile: join(dir, "jwt-dev-private.pem"),
    publicKeyFile: join(dir, "jwt-dev-public.pem"),
  };
  if (existsSync(files.privateKeyFile) && existsSync(files.publicKeyFile)) return files;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(JWT_ALGORITHM, { extractable: true });
  writeFileSync(files.privateKeyFile, await exportPKCS8(privateKey), { mode: 0o600 });
  writeFileSync(files.publicKeyFile, await exportSPKI(publicKey));
  return files;
}

export interface SigningKey {
  key: CryptoKey;
  /** The key's id: its JWK thumbprint (RFC 7638), as the embedded provider's JWKS names it. */
  kid: string;
  /** The private key as a JWK with its id and use (the embedded provider's keystore). */
  privateJwk: JWK;
}

/** The development private key, ready to sign with, named by its thumbprint. */
export async function readSigningKey(privateKeyFile: string): Promise<SigningKey> {
  const key = await importPKCS8(readFileSync(privateKeyFile, "utf8"), JWT_ALGORITHM, {
    extractable: true,
  });
  const jwk = await exportJWK(key);
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y });
  return { key, kid, privateJwk: { ...jwk, kid, alg: JWT_ALGORITHM, use: "sig" } };
}

/** Development secrets for the given subgraphs, generated once into `dir`. */
export function ensureDevSecrets(dir: string, names: string[]): Record<string, string> {
  const file = join(dir, "subgraph-secrets.json");
  const known: Record<string, string> = existsSync(file)
    ? JSON.parse(readFileSync(file, "utf8"))
    : {};
  let changed = false;
  for (const name of names) {
    if (!known[name]) {
      known[name] = randomBytes(32).toString("hex");
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(known, null, 2), { mode: 0o600 });
  }
  return known;
}
