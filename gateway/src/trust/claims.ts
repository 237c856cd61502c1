// What a verified token says: the person, the agency (or the IOC, or a commune) they act for, and
// their roles. Where each one is in the token, and what each role is called there, is configurable,
// since the city's OpenID Connect provider (Keycloak, ...) names its own: JWT_PERSON_CLAIM,
// JWT_NAME_CLAIM, JWT_AGENCY_CLAIM, JWT_COMMUNE_CLAIM, JWT_ROLE_CLAIM and JWT_*_ROLE
// (docs/running-for-the-city.md).
import {
  COMMUNE,
  COMMUNE_CODE,
  ConfigError,
  isPersonField,
  ROLES,
  rolesFor,
  type Claims,
  type Person,
  type Role,
} from "@p06/subgraph-kit";

/** Where a token holds each claim: a claim's name, or a dotted path into nested claims. */
export interface ClaimNames {
  /** The person's stable id. */
  person: string;
  /** The person's name as shown: the first of these the token holds (else their id). */
  name: readonly string[];
  /** The code of the agency they act for, IOC, or COMMUNE for a commune's person. */
  agency: string;
  /** The code of the commune a commune's person acts for (its reporting unit's, 5 digits). */
  commune: string;
  /** Their roles: one text, or a list of them (Keycloak's realm_access.roles). */
  role: string;
  /** What each of the plan's roles (kit's roles.ts) is called in that claim. */
  roles: Record<Role, string>;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = {
  person: "sub",
  name: ["name", "preferred_username"],
  agency: "agency",
  commune: "commune",
  role: "role",
  roles: {
    "data-officer": "data-officer",
    "agency-head": "agency-head",
    "ioc-viewer": "ioc-viewer",
    "ioc-reviewer": "ioc-reviewer",
    "commune-officer": "commune-officer",
    "commune-chair": "commune-chair",
  },
};

/** The variable that names a role in tokens: JWT_DATA_OFFICER_ROLE for data-officer, ... */
export const roleVariable = (role: Role) => `JWT_${role.toUpperCase().replace(/-/g, "_")}_ROLE`;

/** Whom a token must come from and be meant for. */
export interface TokenAddress {
  /** The `iss` claim: Keycloak's is its realm's URL. */
  issuer: string;
  /** The `aud` claim (Keycloak: the client's id, given by an audience mapper). */
  audience: string;
}

export const DEFAULT_TOKEN_ADDRESS: TokenAddress = { issuer: "p06", audience: "p06-gateway" };

const CLAIM_PATH = /^[\w:/.-]{1,200}$/;

/**
 * The claim names and the issuer and audience from the environment; a malformed one stops start-up.
 * The issuer is JWT_ISSUER, else the OpenID provider's (OIDC_ISSUER), else `p06`.
 */
export function readTokenClaims(env: Record<string, string | undefined> = process.env): {
  names: ClaimNames;
  address: TokenAddress;
} {
  const checked = (variable: string, value: string) => {
    if (!CLAIM_PATH.test(value)) {
      throw new ConfigError(
        `environment variable ${variable} must be a claim's name or a dotted path (letters, digits, _ - : / .), got "${value}"`,
      );
    }
    return value;
  };
  const text = (variable: string, fallback: string) =>
    checked(variable, env[variable]?.trim() || fallback);
  // a list: the first of them a token holds
  const names = (env.JWT_NAME_CLAIM?.trim() || DEFAULT_CLAIM_NAMES.name.join(","))
    .split(",")
    .map((name) => checked("JWT_NAME_CLAIM", name.trim()));
  return {
    names: {
      person: text("JWT_PERSON_CLAIM", DEFAULT_CLAIM_NAMES.person),
      name: names,
      agency: text("JWT_AGENCY_CLAIM", DEFAULT_CLAIM_NAMES.agency),
      commune: text("JWT_COMMUNE_CLAIM", DEFAULT_CLAIM_NAMES.commune),
      role: text("JWT_ROLE_CLAIM", DEFAULT_CLAIM_NAMES.role),
      roles: Object.fromEntries(
        ROLES.map((role) => [role, text(roleVariable(role), DEFAULT_CLAIM_NAMES.roles[role])]),
      ) as Record<Role, string>,
    },
    address: {
      issuer: env.JWT_ISSUER?.trim() || env.OIDC_ISSUER?.trim() || DEFAULT_TOKEN_ADDRESS.issuer,
      audience: env.JWT_AUDIENCE?.trim() || DEFAULT_TOKEN_ADDRESS.audience,
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A claim by its name, else by its dotted path into nested claims (`realm_access.roles`). The name
 * comes first: a namespaced claim such as `https://p06.example/agency` holds dots of its own.
 */
export function claimAt(payload: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(payload, path)) return payload[path];
  let value: unknown = payload;
  for (const part of path.split(".")) {
    if (!isRecord(value) || !Object.hasOwn(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** Sets a claim by its name or dotted path (for issuing tokens shaped as configured). */
export function setClaim(payload: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let at = payload;
  for (const part of parts.slice(0, -1)) {
    if (!isRecord(at[part])) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1)!] = value;
}

/** Why a verified token's claims are refused, in `extensions.reason` (docs/trust.md). */
export type ClaimsReason =
  "AGENCY_MISSING" | "UNKNOWN_AGENCY" | "COMMUNE_MISSING" | "ROLE_MISSING" | "PERSON_MISSING";

export interface ClaimsRefusal {
  reason: ClaimsReason;
  message: string;
}

const quoted = (value: unknown, length = 40) => JSON.stringify(String(value).slice(0, length));

/**
 * The caller a verified token names: the agency (or IOC) it acts for, the roles it holds for it, and
 * the person. A token without an agency claim whose subject is itself an agency's code (or IOC) is that
 * agency's service account, with no person: what tokens were before they named people, and what a
 * machine (an import command) uses.
 */
export function claimsOf(
  payload: Record<string, unknown>,
  names: ClaimNames,
  agencies: ReadonlySet<string>,
): Claims | ClaimsRefusal {
  const known = (code: unknown): code is string =>
    typeof code === "string" && (code === "IOC" || code === COMMUNE || agencies.has(code));
  const given = claimAt(payload, names.agency);
  // a multi-valued user attribute comes as a list: one agency is fine, several are not
  const agency = Array.isArray(given) && given.length === 1 ? given[0] : given;
  // a machine acts for an agency or the IOC, never for a commune
  const serviceAccount = given === undefined && known(payload.sub) && payload.sub !== COMMUNE;
  if (given === undefined && !serviceAccount) {
    return {
      reason: "AGENCY_MISSING",
      message: `the token names no agency: it has no "${names.agency}" claim (the agency's code the person acts for, or IOC), and its subject ${quoted(payload.sub)} is no agency's code`,
    };
  }
  const code = serviceAccount ? (payload.sub as string) : agency;
  if (!known(code)) {
    return {
      reason: "UNKNOWN_AGENCY",
      message: `the token's "${names.agency}" claim names no known agency: ${quoted(Array.isArray(agency) ? agency.join(",") : agency)} (an agency's code, such as DOH, IOC, or ${COMMUNE} for a commune's person)`,
    };
  }
  const commune = code === COMMUNE ? claimAt(payload, names.commune) : undefined;
  if (code === COMMUNE && (typeof commune !== "string" || !COMMUNE_CODE.test(commune))) {
    return {
      reason: "COMMUNE_MISSING",
      message: `the token acts for a commune but its "${names.commune}" claim is no commune's code: ${quoted(JSON.stringify(commune ?? null))} (5 digits, such as 10525)`,
    };
  }
  const givenRoles = claimAt(payload, names.role);
  const held: unknown[] =
    typeof givenRoles === "string" ? [givenRoles] : Array.isArray(givenRoles) ? givenRoles : [];
  // the roles acting for this agency (or the IOC) may hold; any other the token gives is ignored
  const allowed = rolesFor(code);
  const roles = allowed.filter((role) => held.includes(names.roles[role]));
  if (roles.length === 0) {
    return {
      reason: "ROLE_MISSING",
      message: `the token gives none of the roles acting for ${code} needs: ${allowed.map((role) => `"${names.roles[role]}"`).join(" or ")} (its "${names.role}" claim: ${quoted(JSON.stringify(givenRoles ?? null), 80)})`,
    };
  }
  if (serviceAccount) return { sub: code, roles };
  const acting = typeof commune === "string" ? { sub: code, roles, commune } : { sub: code, roles };
  const person = personOf(payload, names);
  if (!person) {
    return {
      reason: "PERSON_MISSING",
      message: `the token names no person: its "${names.person}" claim must be text of 1 to 256 characters (the person's stable id)`,
    };
  }
  return { ...acting, person };
}

/** The person a token names: their id, and the first name claim that is good text (else the id). */
function personOf(payload: Record<string, unknown>, names: ClaimNames): Person | null {
  const id = claimAt(payload, names.person);
  if (!isPersonField(id)) return null;
  const name = names.name.map((claim) => claimAt(payload, claim)).find(isPersonField);
  return { id, name: name ?? id };
}

/**
 * The key of one caller's visibility: the agency (or IOC) they act for, or the commune, or anonymous.
 * Not the person nor the roles: a read's answer depends on the agency (or commune) alone (the person
 * only signs writes, which are never kept, and roles say who may change what), so every officer of an
 * agency shares its kept answers, and no commune ever gets another's.
 */
export const visibilityOf = (claims: Claims | null) =>
  claims ? `caller:${claims.sub}${claims.commune ? `:${claims.commune}` : ""}` : "anonymous";
