// Issues tokens (`npm run token`, the tests, `npm start`'s IOC token), signed with a PEM private key:
// a person acting for an agency or the IOC, shaped as the gateway reads them (claims.ts), or an
// agency's service account (its code as the subject, no person) for a machine such as an import.
import { readFileSync } from "node:fs";
import { importPKCS8, SignJWT } from "jose";
import type { Person } from "@p06/subgraph-kit";
import {
  DEFAULT_CLAIM_NAMES,
  DEFAULT_TOKEN_ADDRESS,
  setClaim,
  type ClaimNames,
  type TokenAddress,
} from "./claims.js";
import { JWT_ALGORITHM } from "./keys.js";

export interface TokenRequest {
  privateKeyFile: string;
  /** The agency's code the token acts for, or IOC. */
  agency: string;
  /** Who acts; none for the agency's service account. */
  person?: Person;
  /** How long it is valid. */
  days: number;
  /** Where the claims go (the gateway's JWT_*_CLAIM); the defaults otherwise. */
  claimNames?: ClaimNames;
  address?: TokenAddress;
}

export async function issueToken(request: TokenRequest): Promise<string> {
  const names = request.claimNames ?? DEFAULT_CLAIM_NAMES;
  const address = request.address ?? DEFAULT_TOKEN_ADDRESS;
  const role = request.agency === "IOC" ? names.iocRole : names.agencyRole;
  const claims: Record<string, unknown> = {};
  // a nested role claim is a list, as Keycloak's realm_access.roles
  setClaim(claims, names.role, names.role.includes(".") ? [role] : role);
  let subject = request.agency;
  if (request.person) {
    subject = request.person.id;
    setClaim(claims, names.person, request.person.id);
    setClaim(claims, names.name[0] ?? "name", request.person.name);
    setClaim(claims, names.agency, request.agency);
  }
  const key = await importPKCS8(readFileSync(request.privateKeyFile, "utf8"), JWT_ALGORITHM);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .setSubject(subject)
    .setIssuer(address.issuer)
    .setAudience(address.audience)
    .setIssuedAt()
    .setExpirationTime(`${request.days}d`)
    .sign(key);
}
