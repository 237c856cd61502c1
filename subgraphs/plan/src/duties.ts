// The plan's own duties, beside the kit's (roles.ts): changes only the plan keeps. Checked the way the
// kit's `authorize` checks its duties, with the same refusals.
import { rolesFor, userError, type Caller, type Role } from "@p06/subgraph-kit";

export const PLAN_DUTIES = {
  // the commune's chairman issues it (section VII.1); the City Police, compiling the communes'
  // results (section IV), record it for a commune too
  recordCommunePlan: {
    roles: ["ioc-reviewer", "commune-chair"],
    what: "recording a commune's implementation plan",
  },
} as const satisfies Record<string, { roles: readonly Role[]; what: string }>;

export type PlanDuty = keyof typeof PLAN_DUTIES;

/** The caller, once it holds a role that may do `duty`: UNAUTHENTICATED or FORBIDDEN otherwise. */
export function authorizePlanDuty(ctx: Caller, duty: PlanDuty): string {
  if (!ctx.caller) {
    throw userError("this change needs a calling agency or the IOC: sign in", {
      code: "UNAUTHENTICATED",
    });
  }
  const { what } = PLAN_DUTIES[duty];
  const allowed: readonly Role[] = PLAN_DUTIES[duty].roles;
  const held = ctx.roles ?? [];
  if (!allowed.some((role) => held.includes(role))) {
    // as the kit's refusals: the roles that could do it acting for this caller, else every one
    const own = allowed.filter((role) => rolesFor(ctx.caller!).includes(role));
    const roles = own.length ? own : [...allowed];
    throw userError(
      `${what} needs the role ${roles.join(" or ")}; this caller (${ctx.caller}) holds ${held.length ? held.join(", ") : "none"}`,
      { code: "FORBIDDEN", roles: [...roles] },
    );
  }
  return ctx.caller;
}
