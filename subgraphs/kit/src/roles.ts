// Who may make which change: the plan's people and the roles a token gives them. An agency's data
// officer enters and submits figures; its head confirms warnings and submits the month; the IOC's
// viewer reads; its reviewer (the City Police, the plan's standing agency) accepts, returns and
// reopens months and asks for explanations. A commune's People's Committee (UBND cấp xã) reports its
// own figures: its data officer enters them, its chairman answers for them. Every mutation asks
// `authorize` first, naming its duty; which agency's (or commune's) data it may touch is checked
// after, where the mutation knows.
import { userError } from "./errors.js";

export const AGENCY_ROLES = ["data-officer", "agency-head"] as const;
export const IOC_ROLES = ["ioc-viewer", "ioc-reviewer"] as const;
export const COMMUNE_ROLES = ["commune-officer", "commune-chair"] as const;
export type AgencyRole = (typeof AGENCY_ROLES)[number];
export type IocRole = (typeof IOC_ROLES)[number];
export type CommuneRole = (typeof COMMUNE_ROLES)[number];
export type Role = AgencyRole | IocRole | CommuneRole;
export const ROLES: readonly Role[] = [...AGENCY_ROLES, ...IOC_ROLES, ...COMMUNE_ROLES];

/**
 * The caller code of a person acting for a commune: which commune travels beside it (the claims'
 * `commune`), so that no check comparing a caller with an agency's code can ever match a commune.
 */
export const COMMUNE = "COMMUNE";

/** The roles one may hold acting for `code`: the IOC's for IOC, a commune's for COMMUNE, else an agency's. */
export function rolesFor(code: string): readonly Role[] {
  if (code === "IOC") return IOC_ROLES;
  return code === COMMUNE ? COMMUNE_ROLES : AGENCY_ROLES;
}

/** Every kind of change, the roles that may make it, and how a refusal names it. */
export const DUTIES = {
  enterFigures: { roles: ["data-officer", "commune-officer"], what: "entering figures" },
  confirmFigure: { roles: ["agency-head", "commune-chair"], what: "confirming a figure's warning" },
  submitMonth: { roles: ["agency-head"], what: "submitting the month" },
  reviewMonth: { roles: ["ioc-reviewer"], what: "reviewing a month (accept, return, reopen)" },
  submitCommuneMonth: { roles: ["commune-chair"], what: "submitting a commune's month" },
  reviewCommuneMonth: {
    roles: ["agency-head"],
    what: "reviewing a commune's month (accept, return, mark as not reporting)",
  },
  updateTask: { roles: ["data-officer", "agency-head"], what: "updating a task's status" },
  answerExplanation: { roles: ["agency-head"], what: "answering an explanation request" },
  requestExplanation: { roles: ["ioc-reviewer"], what: "asking for an explanation" },
  assignTarget: { roles: ["ioc-reviewer"], what: "setting a number for a text target" },
  // the commune's chairman issues it (section VII.1); the City Police, compiling the communes'
  // results (section IV), record it for a commune too
  recordCommunePlan: {
    roles: ["ioc-reviewer", "commune-chair"],
    what: "recording a commune's implementation plan",
  },
} as const satisfies Record<string, { roles: readonly Role[]; what: string }>;

export type Duty = keyof typeof DUTIES;

/** What `authorize` reads of a request's context. */
export interface Caller {
  /** The agency's code, IOC or COMMUNE; null for an anonymous request. */
  caller: string | null;
  /** The roles the caller's token gives. */
  roles?: readonly Role[] | null;
}

/**
 * The calling agency (or IOC), once it holds a role that may do `duty`: an anonymous caller is told
 * to sign in (UNAUTHENTICATED), a caller without the role is told which role it needs (FORBIDDEN,
 * with `extensions.roles`), before anything else of the request is looked at.
 */
export function authorize(ctx: Caller, duty: Duty): string {
  if (!ctx.caller) {
    throw userError("this change needs a calling agency or the IOC: sign in", {
      code: "UNAUTHENTICATED",
    });
  }
  const { what } = DUTIES[duty];
  const allowed: readonly Role[] = DUTIES[duty].roles;
  const held = ctx.roles ?? [];
  if (!allowed.some((role) => held.includes(role))) {
    // the roles that could do it acting for this caller (an agency is not told of a commune's role),
    // else every role that may
    const own = allowed.filter((role) => rolesFor(ctx.caller!).includes(role));
    const roles = own.length ? own : [...allowed];
    throw userError(
      `${what} needs the role ${roles.join(" or ")}; this caller (${ctx.caller}) holds ${held.length ? held.join(", ") : "none"}`,
      { code: "FORBIDDEN", roles },
    );
  }
  return ctx.caller;
}
