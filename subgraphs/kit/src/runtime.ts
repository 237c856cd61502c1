// A subgraph opened on its database: what serving it needs.
import type { Steps } from "./changes/steps.js";
import type { RequestIdentity } from "./server.js";

export interface SubgraphRuntime<Context> {
  /** Builds a request's context for the verified caller. */
  context(request: RequestIdentity): Context;
  /** The data version: advanced by every acknowledged write, by this instance or another. */
  version(): number;
  /** Where the changes up to the data version fell, by month (changes/steps.ts). */
  steps?(): Steps;
  /** Applies every change already in the log, whoever wrote it. */
  sync(): Promise<void>;
  /**
   * Finishes the writes the database going away interrupted (committed, not yet applied), once it is
   * back; the rest are finished at the next start.
   */
  recover?(): Promise<void>;
  /** Called once the subgraph serves: work that needs it up (a scheduler that asks the gateway). */
  onServing?(): void;
  /** Stops following the database (the connection is the caller's to close). */
  close(): void | Promise<void>;
}
