// Issues tokens for an agency or the IOC (`npm run token`), signed with a PEM private key.
import { readFileSync } from "node:fs";
import { importPKCS8, SignJWT } from "jose";
import type { Role } from "@p06/subgraph-kit";
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from "./keys.js";

export interface TokenRequest {
  privateKeyFile: string;
  /** An agency's code, or IOC. */
  sub: string;
  role: Role;
  /** How long it is valid. */
  days: number;
}

export async function issueToken(request: TokenRequest): Promise<string> {
  const key = await importPKCS8(readFileSync(request.privateKeyFile, "utf8"), JWT_ALGORITHM);
  return new SignJWT({ role: request.role })
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .setSubject(request.sub)
    .setIssuer(JWT_ISSUER)
    .setAudience(JWT_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${request.days}d`)
    .sign(key);
}
