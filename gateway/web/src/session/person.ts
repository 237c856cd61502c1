// Who is signed in, as the pages show them and choose what to offer: their name, the agency they act
// for (or the IOC) and their roles, read from the ID token (or a pasted token). The gateway decides
// what they may do; this only decides what the page shows.
import agencies from "@p06/catalogue/agencies.json";
import type { MessageKey } from "../messages.js";

/** What of the page's language these need (i18n.tsx gives it). */
interface Words {
  t(key: MessageKey): string;
  pick(vietnamese: string, english: string): string;
}

export const ROLES = ["data-officer", "agency-head", "ioc-viewer", "ioc-reviewer"] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  /** Their stable id (the token's subject). */
  id: string;
  name: string;
  /** The agency's code they act for, IOC, or null when the token names none. */
  agency: string | null;
  roles: Role[];
}

const CODE = /^[A-Z][A-Z0-9_]*$/;

/**
 * The person a token's claims name: the agency from its agency claim, else its subject when that is
 * an agency's code (a service account's token, pasted by a developer).
 */
export function personOf(claims: Record<string, unknown>): Person | null {
  const id = typeof claims.sub === "string" ? claims.sub : null;
  if (!id) return null;
  const agency = typeof claims.agency === "string" ? claims.agency : id;
  const role = claims.role;
  const roles = (Array.isArray(role) ? role : [role]).filter((r): r is Role =>
    (ROLES as readonly unknown[]).includes(r),
  );
  const name = [claims.name, claims.preferred_username].find((n) => typeof n === "string");
  return {
    id,
    name: (name as string | undefined) ?? id,
    agency: CODE.test(agency) ? agency : null,
    roles,
  };
}

/** The agency they act for, by name in the page's language (IOC as the IOC). */
export function agencyName(i18n: Words, code: string): string {
  if (code === "IOC") return i18n.t("iocName");
  const agency = agencies.find((a) => a.code === code);
  return agency ? i18n.pick(agency.nameVi, agency.name) : code;
}

const ROLE_LABELS: Record<Role, MessageKey> = {
  "data-officer": "roleDataOfficer",
  "agency-head": "roleAgencyHead",
  "ioc-viewer": "roleIocViewer",
  "ioc-reviewer": "roleIocReviewer",
};

export const roleLabel = (i18n: Words, role: Role) => i18n.t(ROLE_LABELS[role]);

/**
 * Where a person lands after signing in: back where they started, except from the start page, where
 * an agency's person lands on their agency's month and the IOC on the overview.
 */
export function landingPath(person: Person | null, returnTo = "/"): string {
  const [path, search = ""] = returnTo.split("?");
  const query = search ? `?${search}` : "";
  if (path !== "/" || !person?.agency || person.agency === "IOC") return returnTo;
  return `/bao-cao/${person.agency}${query}`;
}
