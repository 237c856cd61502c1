// Who is signed in, as the pages show them and choose what to offer: their name, the agency they act
// for (or the IOC, or a commune), and their roles, read from the ID token (or a pasted token). The
// gateway decides what they may do; this only decides what the page shows.
import agencies from "@p06/catalogue/agencies.json";
import type { MessageKey } from "../messages.js";

/** What of the page's language these need (i18n.tsx gives it). */
interface Words {
  t(key: MessageKey): string;
  pick(vietnamese: string, english: string): string;
}

export const ROLES = [
  "data-officer",
  "agency-head",
  "ioc-viewer",
  "ioc-reviewer",
  "commune-officer",
  "commune-chair",
] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  /** Their stable id (the token's subject). */
  id: string;
  name: string;
  /** The agency's code they act for, IOC, COMMUNE, or null when the token names none. */
  agency: string | null;
  /** The commune's code (its reporting unit's) a commune's person acts for; null for anybody else. */
  commune: string | null;
  roles: Role[];
}

/** What the gateway calls a person acting for a commune (the commune's code travels beside it). */
export const COMMUNE = "COMMUNE";

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
  const commune = typeof claims.commune === "string" ? claims.commune : null;
  return {
    id,
    name: (name as string | undefined) ?? id,
    agency: CODE.test(agency) ? agency : null,
    commune: agency === COMMUNE ? commune : null,
    roles,
  };
}

/** The agency they act for, by name in the page's language (IOC as the IOC, a commune by its code). */
export function agencyName(i18n: Words, code: string, commune: string | null = null): string {
  if (code === "IOC") return i18n.t("iocName");
  if (code === COMMUNE) return `${i18n.t("communeCommittee")} ${commune ?? ""}`.trim();
  const agency = agencies.find((a) => a.code === code);
  return agency ? i18n.pick(agency.nameVi, agency.name) : code;
}

const ROLE_LABELS: Record<Role, MessageKey> = {
  "data-officer": "roleDataOfficer",
  "agency-head": "roleAgencyHead",
  "ioc-viewer": "roleIocViewer",
  "ioc-reviewer": "roleIocReviewer",
  "commune-officer": "roleCommuneOfficer",
  "commune-chair": "roleCommuneChair",
};

export const roleLabel = (i18n: Words, role: Role) => i18n.t(ROLE_LABELS[role]);

/** The address of a commune's month (Tháng của xã). */
export const communeMonthPath = (commune: string) => `/bao-cao-xa/${commune}`;

/**
 * Where a person lands after signing in: back where they started, except from the start page, where
 * an agency's person lands on their agency's month, a commune's on their commune's month and the IOC
 * on the overview.
 */
export function landingPath(person: Person | null, returnTo = "/"): string {
  const [path, search = ""] = returnTo.split("?");
  const query = search ? `?${search}` : "";
  if (path !== "/" || !person?.agency || person.agency === "IOC") return returnTo;
  if (person.agency === COMMUNE) {
    return person.commune ? `${communeMonthPath(person.commune)}${query}` : returnTo;
  }
  return `/bao-cao/${person.agency}${query}`;
}
