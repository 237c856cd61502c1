// Admission control for one subgraph: a bound on the requests this gateway has in flight to it, a
// short queue behind the bound, and writes first. A subgraph's event loop serves requests in the
// order they arrive, so whatever is sent beyond what it can serve waits there, where nothing can
// overtake it: a write behind fifty reads until the gateway's timeout. Held here instead, a write
// never waits (it is sent at once, whatever is in flight), and a read that cannot be sent within its
// queue time is refused at once with SUBGRAPH_BUSY and a retry hint, not left to time out. (Apollo
// Router's traffic shaping bounds a subgraph's concurrency the same way.)
import { GraphQLError } from "graphql";

export interface AdmissionLimits {
  /** Reads in flight to the subgraph at most (per gateway worker); writes are never held. */
  concurrency: number;
  /** Reads waiting for a slot at most; one more is refused at once. */
  queueLength: number;
  /** How long a read may wait for a slot before it is refused. */
  queueTimeoutMs: number;
}

/** What a caller is told to wait before asking again. */
export const RETRY_AFTER_SECONDS = 1;

/** The refusal of a read the subgraph has no room for now. */
export function subgraphBusy(subgraph: string, why: string): GraphQLError {
  return new GraphQLError(
    `subgraph ${subgraph} is busy (${why}): retry in ${RETRY_AFTER_SECONDS} s`,
    { extensions: { code: "SUBGRAPH_BUSY", subgraph, retryAfterSeconds: RETRY_AFTER_SECONDS } },
  );
}

interface Waiting {
  admit(): void;
  timer: NodeJS.Timeout;
}

/** Gives back the slot a request held (once; calling again does nothing). */
export type Release = () => void;

export class Admission {
  private inFlight = 0;
  private readonly waiting: Waiting[] = [];

  /** `observe`: told the requests in flight and waiting at each change (the metrics' gauges). */
  constructor(
    private readonly subgraph: string,
    private readonly limits: AdmissionLimits,
    private readonly observe: (active: number, queued: number) => void = () => {},
  ) {}

  /** Requests in flight now (writes included). */
  get active(): number {
    return this.inFlight;
  }

  /** Reads waiting for a slot now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A slot for one request: at once for a write and for a read while there is room, after a wait in
   * line for a read otherwise. Rejects with SUBGRAPH_BUSY when the line is full or the wait too long.
   */
  admit(write: boolean): Promise<Release> {
    if (write || (this.inFlight < this.limits.concurrency && this.waiting.length === 0)) {
      return Promise.resolve(this.take());
    }
    if (this.waiting.length >= this.limits.queueLength) {
      return Promise.reject(
        subgraphBusy(this.subgraph, `${this.waiting.length} requests already waiting`),
      );
    }
    return new Promise<Release>((resolve, reject) => {
      const entry: Waiting = {
        admit: () => {
          clearTimeout(entry.timer);
          resolve(this.take());
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(entry), 1);
          this.observe(this.inFlight, this.waiting.length);
          reject(subgraphBusy(this.subgraph, `no slot within ${this.limits.queueTimeoutMs} ms`));
        }, this.limits.queueTimeoutMs),
      };
      this.waiting.push(entry);
      this.observe(this.inFlight, this.waiting.length);
    });
  }

  private take(): Release {
    this.inFlight += 1;
    this.observe(this.inFlight, this.waiting.length);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
      const next = this.inFlight < this.limits.concurrency ? this.waiting.shift() : undefined;
      if (next) next.admit();
      else this.observe(this.inFlight, this.waiting.length);
    };
  }
}
