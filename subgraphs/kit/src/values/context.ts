// What the kit's resolvers need from a subgraph's request context: the caller and the subgraph's
// figures (in memory, with the collections and change log behind them).
import type { Role } from "../roles.js";
import type { Person } from "../signing.js";
import type { ValuesState } from "./store.js";

export interface KitContext {
  /** The calling agency's code, or null for an anonymous read. */
  caller: string | null;
  /** The person acting for it (null: a service account, or an anonymous read). */
  person?: Person | null;
  /** The roles the caller's token gives (roles.ts; none for an anonymous read). */
  roles?: readonly Role[];
  values: ValuesState;
}
