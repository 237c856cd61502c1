// Identical work in flight at the same moment, done once: the first caller runs it, callers with the
// same key who arrive while it runs share its outcome. A caller joins only work that started in the
// same generation of known data versions, so nobody gets data older than a write they could know of.
export interface Lead<T> {
  outcome: Promise<T>;
  /** Hands the outcome to everyone who joined (the first call counts), and lets the key go. */
  settle(value: T): void;
}

export class InFlight<T> {
  private readonly running = new Map<string, { generation: number; outcome: Promise<T> }>();

  /** The outcome of work already running under `key` in this generation, if any. */
  join(key: string, generation: number): Promise<T> | undefined {
    const entry = this.running.get(key);
    return entry && entry.generation === generation ? entry.outcome : undefined;
  }

  /** Takes the lead on `key`: others join until `settle`. */
  lead(key: string, generation: number): Lead<T> {
    let resolve!: (value: T) => void;
    const outcome = new Promise<T>((r) => (resolve = r));
    const entry = { generation, outcome };
    this.running.set(key, entry);
    let settled = false;
    return {
      outcome,
      settle: (value) => {
        if (settled) return;
        settled = true;
        // a newer generation's lead may have taken the key meanwhile
        if (this.running.get(key) === entry) this.running.delete(key);
        resolve(value);
      },
    };
  }

  /** Joins the running work, or runs `work` and lets others join it until it settles. */
  run(
    key: string,
    generation: number,
    work: () => Promise<T>,
  ): { outcome: Promise<T>; shared: boolean } {
    const joined = this.join(key, generation);
    if (joined) return { outcome: joined, shared: true };
    const outcome = work();
    const entry = { generation, outcome };
    this.running.set(key, entry);
    const forget = () => {
      if (this.running.get(key) === entry) this.running.delete(key);
    };
    outcome.then(forget, forget);
    return { outcome, shared: false };
  }

  get size(): number {
    return this.running.size;
  }
}
