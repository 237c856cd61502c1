// The writers: figure submissions at a steady rate as the owning agency, each read back at once
// by the IOC on connections of its own; a read-back that does not show the write is a stale read.
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, request as undiciRequest } from "undici";
import { flagsFor, monthBefore } from "../../../gateway/web/src/agency-subgraph.js";
import { round, type BenchSystem } from "../harness.js";
import type { MixArgs } from "./args.js";
import { bodyOf, type Operation } from "./documents.js";
import { figureInput, notShown, type WrittenFigure } from "./figures.js";
import { pick, prng } from "./random.js";
import type { AgencyInfo, World } from "./world.js";

/** A POST on an agent of its own (writers and checkers keep apart connections), with a timeout. */
async function post(
  url: string,
  agent: Agent,
  token: string,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  try {
    const response = await undiciRequest(url, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${token}`,
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      throw Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: "TIMEOUT" });
    }
    throw error;
  }
}

interface WriteStats {
  attempted: number;
  acknowledged: number;
  failedByCode: Record<string, number>;
  timedOut: number;
  skippedBacklog: number;
  skippedBusyKeys: number;
  latencies: number[];
  /** The same by the subgraph written to (the agency's, the plan's for those it holds). */
  latenciesBySubgraph: Record<string, number[]>;
  figuresWritten: number;
  readBacks: number;
  staleReads: number;
  staleNeverFresh: number;
  readBackErrors: number;
  staleExamples: Record<string, unknown>[];
  firstFailures: string[];
  readBackMs: number[];
}
const newWriteStats = (): WriteStats => ({
  attempted: 0,
  acknowledged: 0,
  failedByCode: {},
  timedOut: 0,
  skippedBacklog: 0,
  skippedBusyKeys: 0,
  latencies: [],
  latenciesBySubgraph: {},
  figuresWritten: 0,
  readBacks: 0,
  staleReads: 0,
  staleNeverFresh: 0,
  readBackErrors: 0,
  staleExamples: [],
  firstFailures: [],
  readBackMs: [],
});

const WRITE_TIMEOUT_MS = 10_000;
const MAX_WRITES_IN_FLIGHT = 32;
/** How long a stale read-back is asked again, to say when the write showed. */
const STALE_RETRY_MS = 5_000;

export class Writer {
  private readonly writerAgent = new Agent({ connections: 16 });
  private readonly checkerAgent = new Agent({ connections: 16 });
  private readonly rng: () => number;
  private readonly busyKeys = new Set<string>();
  private counter = 0;
  /** Names this writer's figures apart from an earlier run's on the same data (same seed, same values). */
  private readonly runTag = Date.now().toString(36);
  readonly stats = newWriteStats();
  private readonly writable: AgencyInfo[];

  constructor(
    private readonly system: BenchSystem,
    private readonly url: string,
    private readonly world: World,
    private readonly documents: Record<Operation, string>,
    private readonly iocToken: string,
    private readonly args: MixArgs,
    seed: number,
  ) {
    this.rng = prng(seed);
    this.writable = world.agencies.filter(
      (a) => a.owed.size > 0 && (a.state === null || !["SUBMITTED", "ACCEPTED"].includes(a.state)),
    );
  }

  get agencies(): string[] {
    return this.writable.map((a) => a.code);
  }

  /** A write's figures: an agency, one of its indicators, 1-3 of the units it owes, free keys. */
  private plan(): { agency: AgencyInfo; figures: WrittenFigure[] } | null {
    if (this.writable.length === 0) return null;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const agency = pick(this.rng, this.writable);
      const indicator = pick(this.rng, [...agency.owed.keys()]);
      const measure = agency.indicators.find((i) => i.code === indicator)?.measure ?? "COUNT";
      const owed = agency.owed.get(indicator)!;
      const count = Math.min(owed.length, this.rng() < 0.7 ? 1 : 1 + Math.floor(this.rng() * 3));
      const units = new Set<string>();
      while (units.size < count) units.add(pick(this.rng, owed));
      const keyOf = (unit: string) => `${agency.key}|${indicator}|${unit}`;
      if ([...units].some((unit) => this.busyKeys.has(keyOf(unit)))) continue;
      for (const unit of units) this.busyKeys.add(keyOf(unit));
      this.counter += 1;
      const comment = `bench:mix ${this.args.seed}.${this.runTag}.${this.counter}`;
      const figures = [...units].map((unit): WrittenFigure => {
        const base = { indicator, unit, period: this.world.entryMonth, measure, comment };
        if (measure === "MILESTONE") return { ...base, met: this.rng() < 0.5 };
        if (measure === "COUNT") return { ...base, value: Math.floor(this.rng() * 5000) };
        if (measure === "RATIO") {
          return { ...base, numerator: Math.round(this.rng() * 10_000) / 100, denominator: 1 };
        }
        const denominator = 200 + Math.floor(this.rng() * 4800);
        return { ...base, numerator: Math.floor(this.rng() * (denominator + 1)), denominator };
      });
      return { agency, figures };
    }
    this.stats.skippedBusyKeys += 1;
    return null;
  }

  private freeKeys(agency: AgencyInfo, figures: WrittenFigure[]): void {
    for (const f of figures) this.busyKeys.delete(`${agency.key}|${f.indicator}|${f.unit}`);
  }

  /** The IOC reads the figures back as the figure form reads them; the rows not showing the write. */
  async readBack(agency: AgencyInfo, figures: WrittenFigure[]) {
    const first = figures[0]!;
    const variables = {
      code: first.indicator,
      from: monthBefore(first.period),
      to: first.period,
      education: agency.key === "education",
    };
    const answer = await post(
      this.url,
      this.checkerAgent,
      this.iocToken,
      bodyOf(this.documents, "WebIndicatorFigures", variables),
      WRITE_TIMEOUT_MS,
    );
    const body = JSON.parse(answer.text) as {
      data?: { indicator?: Record<string, unknown> | null };
      errors?: unknown[];
    };
    if (answer.status !== 200 || body.errors) {
      throw new Error(`read-back answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    return notShown(body.data, figures);
  }

  /** Submits a write as its agency; resolves to the milliseconds until acknowledged, or throws. */
  async submit(agency: AgencyInfo, figures: WrittenFigure[]): Promise<number> {
    // the agency's token is the bench's own work (minted once), not the write's
    const token = await this.system.token(agency.code);
    const started = performance.now();
    const answer = await post(
      this.url,
      this.writerAgent,
      token,
      bodyOf(this.documents, "WebSubmitReport", {
        input: { period: figures[0]!.period, values: figures.map(figureInput) },
        ...flagsFor(agency.key),
      }),
      WRITE_TIMEOUT_MS,
    );
    const ms = performance.now() - started;
    const body = JSON.parse(answer.text) as {
      data?: Record<string, { created: number; replaced: number } | null> | null;
      errors?: { message?: string; extensions?: { code?: string } }[];
    };
    const result = body.data?.[agency.key];
    if (answer.status !== 200 || body.errors || !result) {
      const code = body.errors?.[0]?.extensions?.code ?? `HTTP_${answer.status}`;
      throw Object.assign(new Error(`${code}: ${answer.text.slice(0, 300)}`), { code });
    }
    if (result.created + result.replaced !== figures.length) {
      throw Object.assign(
        new Error(`stored ${result.created + result.replaced} of ${figures.length} figures`),
        { code: "PARTIAL" },
      );
    }
    return ms;
  }

  /**
   * Proves the check can see a stale read before the run relies on it: the figures read just before
   * a write must fail the comparison, those read right after its acknowledgement pass it.
   */
  async prove(
    writes = 2,
  ): Promise<{ writes: number; staleBeforeDetected: number; freshAfter: number }> {
    let staleBeforeDetected = 0;
    let freshAfter = 0;
    for (let i = 0; i < writes; i += 1) {
      const planned = this.plan();
      if (!planned) throw new Error("no agency owes a figure that the benchmark could write");
      try {
        if ((await this.readBack(planned.agency, planned.figures)).length > 0)
          staleBeforeDetected += 1;
        await this.submit(planned.agency, planned.figures);
        if ((await this.readBack(planned.agency, planned.figures)).length === 0) freshAfter += 1;
      } finally {
        this.freeKeys(planned.agency, planned.figures);
      }
    }
    if (staleBeforeDetected !== writes || freshAfter !== writes) {
      throw new Error(
        `the read-back check is not trustworthy: of ${writes} writes, ${staleBeforeDetected} read before were told stale and ${freshAfter} read after were told fresh`,
      );
    }
    return { writes, staleBeforeDetected, freshAfter };
  }

  private async one(): Promise<void> {
    const planned = this.plan();
    if (!planned) return;
    const { agency, figures } = planned;
    const s = this.stats;
    s.attempted += 1;
    try {
      // the deliberate bug: the "read-back" asked before the write was even sent
      const early = this.args.readBeforeWrite ? await this.readBack(agency, figures) : null;
      let ms: number;
      try {
        ms = await this.submit(agency, figures);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/timed out/.test(message)) s.timedOut += 1;
        else {
          const code = (error as { code?: string }).code ?? "ERROR";
          s.failedByCode[code] = (s.failedByCode[code] ?? 0) + 1;
        }
        if (s.firstFailures.length < 10) s.firstFailures.push(message);
        return;
      }
      s.acknowledged += 1;
      s.figuresWritten += figures.length;
      s.latencies.push(ms);
      (s.latenciesBySubgraph[agency.key] ??= []).push(ms);
      const ackedAt = performance.now();
      let missing;
      try {
        missing = early ?? (await this.readBack(agency, figures));
        s.readBacks += 1;
        s.readBackMs.push(performance.now() - ackedAt);
      } catch (error) {
        s.readBackErrors += 1;
        if (s.firstFailures.length < 10) s.firstFailures.push(String(error));
        return;
      }
      if (missing.length === 0) return;
      s.staleReads += 1;
      // ask again until the write shows, to say how long it took
      let freshAfterMs: number | null = null;
      while (performance.now() - ackedAt < STALE_RETRY_MS) {
        await sleep(20);
        const again = await this.readBack(agency, figures).catch(() => null);
        if (again && again.length === 0) {
          freshAfterMs = round(performance.now() - ackedAt);
          break;
        }
      }
      if (freshAfterMs === null) s.staleNeverFresh += 1;
      if (s.staleExamples.length < 10) {
        s.staleExamples.push({ agency: agency.code, ...missing[0], freshAfterMs });
      }
    } finally {
      this.freeKeys(agency, figures);
    }
  }

  /** Writes at a steady rate until `done()`, then waits for the writes in flight (each bounded). */
  async run(done: () => boolean): Promise<void> {
    if (this.args.writesPerSecond <= 0) return;
    const interval = 1000 / this.args.writesPerSecond;
    const inFlight = new Set<Promise<void>>();
    let next = performance.now();
    while (!done()) {
      if (inFlight.size >= MAX_WRITES_IN_FLIGHT) this.stats.skippedBacklog += 1;
      else {
        const write = this.one().catch((error: unknown) => {
          if (this.stats.firstFailures.length < 10) this.stats.firstFailures.push(String(error));
        });
        inFlight.add(write);
        void write.finally(() => inFlight.delete(write));
      }
      next += interval;
      await sleep(Math.max(0, next - performance.now()));
    }
    await Promise.all(inFlight);
  }

  private closed = false;
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.writerAgent.close().catch(() => undefined);
    void this.checkerAgent.close().catch(() => undefined);
  }
}
