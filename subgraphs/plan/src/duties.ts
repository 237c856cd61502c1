// The plan's own duties, beside the kit's (roles.ts): changes only the plan keeps. Checked the way the
// kit's `authorize` checks its duties, with the same refusals.
import { userError, type Caller, type Role } from "@p06/subgraph-kit";

export const PLAN_DUTIES = {
  // The City Police compile the communes' results (section IV), so their IOC reviewer records a
  // commune's plan; the commune's chairman, who issues it, joins once commune roles exist.
  recordCommunePlan: {
    roles: ["ioc-reviewer"],
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
  const { roles, what } = PLAN_DUTIES[duty];
  const held = ctx.roles ?? [];
  if (!roles.some((role) => held.includes(role))) {
    throw userError(
      `${what} needs the role ${roles.join(" or ")}; this caller (${ctx.caller}) holds ${held.length ? held.join(", ") : "none"}`,
      { code: "FORBIDDEN", roles: [...roles] },
    );
  }
  return ctx.caller;
}
