// What the kit's resolvers need from a subgraph's request context: the caller and the subgraph's
// figures (in memory, with the collections and change log behind them).
import { userError } from "../errors.js";
import type { Role } from "../roles.js";
import type { Person } from "../signing.js";
import type { ValuesState } from "./store.js";

export interface KitContext {
  /** The calling agency's code, IOC or COMMUNE; null for an anonymous read. */
  caller: string | null;
  /** The person acting for it (null: a service account, or an anonymous read). */
  person?: Person | null;
  /** The roles the caller's token gives (roles.ts; none for an anonymous read). */
  roles?: readonly Role[];
  /** The commune a commune's person acts for (caller COMMUNE); null for anybody else. */
  commune?: string | null;
  values: ValuesState;
}

/**
 * The calling agency (or IOC), checked before anything else of the request: an anonymous caller is
 * told it must sign in, and what it tried (a read or a change), whatever else is wrong with it.
 */
export function callerOf(ctx: KitContext, what: "read" | "change"): string {
  if (!ctx.caller) {
    throw userError(`this ${what} needs a calling agency or the IOC: sign in`, {
      code: "UNAUTHENTICATED",
    });
  }
  return ctx.caller;
}
