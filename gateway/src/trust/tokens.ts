// Issues tokens for developers and the tests (`npm run token`, test/support/system.ts), signed with the
// development key the embedded provider signs with: a person acting for an agency or the IOC with
// their roles, shaped as the gateway reads them (claims.ts), or an agency's service account (its code
// as the subject, no person). People and machines get theirs from the OpenID provider.
import { SignJWT } from "jose";
import { rolesFor, type Person, type Role } from "@p06/subgraph-kit";
import {
  DEFAULT_CLAIM_NAMES,
  DEFAULT_TOKEN_ADDRESS,
  setClaim,
  type ClaimNames,
  type TokenAddress,
} from "./claims.js";
import { JWT_ALGORITHM, readSigningKey } from "./keys.js";

export interface TokenRequest {
  privateKeyFile: string;
  /** The agency's code the token acts for, IOC, or COMMUNE (with `commune`). */
  agency: string;
  /** The commune's code a COMMUNE token's person acts for. */
  commune?: string;
  /** The roles it gives (default: every role acting for the agency, or the IOC, may hold). */
  roles?: readonly Role[];
  /** Who acts; none for the agency's service account. */
  person?: Person;
  /** How long it is valid, in days (fractions too). */
  days: number;
  /** Where the claims go (the gateway's JWT_*_CLAIM); the defaults otherwise. */
  claimNames?: ClaimNames;
  address?: TokenAddress;
}

export async function issueToken(request: TokenRequest): Promise<string> {
  const names = request.claimNames ?? DEFAULT_CLAIM_NAMES;
  const address = request.address ?? DEFAULT_TOKEN_ADDRESS;
  const roles = (request.roles ?? rolesFor(request.agency)).map((role) => names.roles[role]);
  const claims: Record<string, unknown> = {};
  setClaim(claims, names.role, roles);
  let subject = request.agency;
  if (request.person) {
    subject = request.person.id;
    setClaim(claims, names.person, request.person.id);
    setClaim(claims, names.name[0] ?? "name", request.person.name);
    setClaim(claims, names.agency, request.agency);
    if (request.commune) setClaim(claims, names.commune, request.commune);
  }
  const { key, kid } = await readSigningKey(request.privateKeyFile);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: JWT_ALGORITHM, kid })
    .setSubject(subject)
    .setIssuer(address.issuer)
    .setAudience(address.audience)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000 + request.days * 86_400))
    .sign(key);
}
