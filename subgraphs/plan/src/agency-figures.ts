// The agencies' figures the plan reads, held as a read model: each agency's figures of a review
// month, and each agency's city series, are read through the graph once per data version of that
// agency and kept. Every page of a month (the scorecard, an agency, a commune, the league table, late
// reporting, tasks) combines small results already here, and so do the indicators' series and
// progress; a write to health brings only health's figures again.
//
// Fresh by construction: the gateway sends the versions it knows with every request (read-versions.ts
// in the kit), which are at least those of every write it has acknowledged, and where those writes
// fell by month; figures a later write could have changed are read again before the answer (a write
// to November leaves October's held), and the answer names the versions it read, so that the gateway
// keeps it only while they hold. Without the gateway's versions (another gateway in front), the
// figures are read again for every request.
import { agencySubgraphs, type SubgraphSpec } from "@p06/catalogue";
import {
  bothReads,
  readAsOf,
  readGraph,
  stillHolds,
  type CityMonth,
  type GraphReader,
  type Logger,
  type Measure,
  type ReadsOtherSubgraphs,
  type Stamp,
  type Stamps,
  type TimeAggregation,
} from "@p06/subgraph-kit";
import type { GraphQLFormattedError } from "graphql";
import { LRUCache } from "lru-cache";
import { INDICATOR_SERIES, REVIEW_FIGURES } from "./agency-schema.js";
import type { ReviewFigures } from "./review.js";

/** How long one read through the graph may take (the gateway bounds each of its fetches itself). */
const READ_TIMEOUT_MS = 30_000;
/** Things held at once: review months (each a few hundred kilobytes for the six agencies), series. */
const HELD = 48;

/** One indicator's city series as an agency gives it (its IndicatorSeries). */
export interface IndicatorSeries {
  code: string;
  measure: Measure;
  timeAggregation: TimeAggregation;
  citySeries: CityMonth[];
}

/** What is read of one agency, and the version it was read at. */
interface Held<T> {
  value: T;
  stamp: Stamp;
}

/** What a read of several agencies gives: each one's (null: not to be had now). */
export interface AgenciesRead<T> {
  values: Map<string, T | null>;
  /** The version each agency was read at; an agency that failed is not in it. */
  reads: Stamps;
  /** Why an agency's is missing, as the gateway said it. */
  errors: GraphQLFormattedError[];
}

/** What the review reads of the agencies for a month. */
export type MonthFigures = AgenciesRead<ReviewFigures>;

interface Pulled<T> {
  value: T | null;
  stamp: Stamp | null;
  errors: GraphQLFormattedError[];
}

/** One thing read of every agency: its name among what is held, its query to each, what is held of the answer. */
interface Reading<T> {
  key: string;
  query: (spec: SubgraphSpec) => {
    query: string;
    variables: Record<string, unknown>;
    operationName: string;
  };
  /** What is held of an agency's answer (null: it gave none). */
  value: (data: Record<string, unknown>, spec: SubgraphSpec) => T | null;
}

export class AgencyFigures {
  private readonly held = new LRUCache<string, Map<string, Held<unknown>>>({ max: HELD });
  /** Reads under way, by what, agency and the version they must reach: asked once. */
  private readonly pulling = new Map<string, Promise<Pulled<unknown>>>();

  constructor(
    private readonly reader: GraphReader | null,
    private readonly logger: Logger,
    private readonly specs: readonly SubgraphSpec[] = agencySubgraphs,
  ) {}

  /**
   * Every agency's figures for a review month, none older than `known` (the gateway's versions; null:
   * none given, so each is read again).
   */
  monthFigures(
    year: number,
    period: string,
    known: Stamps | null,
    requestId: string | null = null,
  ): Promise<MonthFigures> {
    return this.read<ReviewFigures>(
      {
        key: `${year}|${period}`,
        // asked of the agency's subgraph alone (its root field): nothing of it waits on the plan
        query: (spec) => ({
          query: `query PlanReviewFigures($year: Int!, $period: String!) { ${spec.reviewField}(year: $year, period: $period) { ${REVIEW_FIGURES} } }`,
          variables: { year, period },
          operationName: "PlanReviewFigures",
        }),
        value: (data, spec) => (data[spec.reviewField] as ReviewFigures | null) ?? null,
      },
      this.specs,
      known,
      requestId,
    );
  }

  /**
   * The city series of every indicator these agencies hold, by code, as `monthFigures` reads its
   * figures. `upTo`: only its months and those before it are used (a review's), so series held from
   * before a write to a later month still serve, and are noted as read up to it.
   */
  series(
    specs: readonly SubgraphSpec[],
    known: Stamps | null,
    requestId: string | null = null,
    upTo?: string,
  ): Promise<AgenciesRead<Map<string, IndicatorSeries>>> {
    return this.read(
      {
        key: "series",
        query: (spec) => ({
          query: `query PlanIndicatorSeries { ${spec.reviewField}Series { ${INDICATOR_SERIES} } }`,
          variables: {},
          operationName: "PlanIndicatorSeries",
        }),
        value: (data, spec) => {
          const list = data[`${spec.reviewField}Series`] as IndicatorSeries[] | null | undefined;
          return list ? new Map(list.map((series) => [series.code, series])) : null;
        },
      },
      specs,
      known,
      requestId,
      upTo,
    );
  }

  private async read<T>(
    reading: Reading<T>,
    specs: readonly SubgraphSpec[],
    known: Stamps | null,
    requestId: string | null,
    upTo?: string,
  ): Promise<AgenciesRead<T>> {
    const held = this.held.get(reading.key) ?? new Map<string, Held<unknown>>();
    this.held.set(reading.key, held);
    const result: AgenciesRead<T> = { values: new Map(), reads: {}, errors: [] };
    /** What is used of a read: its months up to `upTo`. */
    const used = (stamp: Stamp): Stamp =>
      upTo === undefined || (stamp.upTo !== undefined && stamp.upTo <= upTo)
        ? stamp
        : { ...stamp, upTo };
    await Promise.all(
      specs.map(async (spec) => {
        const floor = known?.[spec.name];
        let kept = held.get(spec.name) as Held<T> | undefined;
        if (!kept || known === null || (floor && !stillHolds(used(kept.stamp), floor))) {
          const pulled = await this.pull<T>(reading, spec, floor, requestId);
          result.errors.push(...pulled.errors);
          // held only if provably as new as asked (a gateway instance that had not yet heard of a
          // write another acknowledged may answer older): such figures serve this answer alone
          kept =
            pulled.value !== null &&
            pulled.stamp &&
            known !== null &&
            (!floor || stillHolds(pulled.stamp, floor))
              ? { value: pulled.value, stamp: pulled.stamp }
              : undefined;
          if (kept) held.set(spec.name, kept);
          else held.delete(spec.name);
          result.values.set(spec.name, pulled.value);
          if (pulled.value !== null && pulled.stamp) result.reads[spec.name] = used(pulled.stamp);
          return;
        }
        result.values.set(spec.name, kept.value);
        result.reads[spec.name] = used(kept.stamp);
      }),
    );
    return result;
  }

  /** One agency's, read through the graph (shared by those asking alike). */
  private pull<T>(
    reading: Reading<T>,
    spec: SubgraphSpec,
    floor: Stamp | undefined,
    requestId: string | null,
  ): Promise<Pulled<T>> {
    const key = `${reading.key}|${spec.name}|${floor ? `${floor.version}.${floor.epoch}` : ""}`;
    const running = this.pulling.get(key) as Promise<Pulled<T>> | undefined;
    if (running) return running;
    const pulled = this.ask<T>(reading, spec, requestId).finally(() => this.pulling.delete(key));
    this.pulling.set(key, pulled);
    return pulled;
  }

  private async ask<T>(
    reading: Reading<T>,
    spec: SubgraphSpec,
    requestId: string | null,
  ): Promise<Pulled<T>> {
    const failed = (message: string, code = "SUBGRAPH_UNAVAILABLE"): Pulled<T> => ({
      value: null,
      stamp: null,
      errors: [{ message, extensions: { code, subgraph: spec.name } }],
    });
    if (!this.reader) {
      return failed(
        `the plan reads the ${spec.name} subgraph's figures through the gateway, and P06_GRAPH_URL is not set`,
      );
    }
    try {
      const answer = await readGraph<Record<string, unknown>>(this.reader, reading.query(spec), {
        requestId,
        timeoutMs: READ_TIMEOUT_MS,
      });
      const value = answer.data ? reading.value(answer.data, spec) : null;
      if (answer.errors.length) {
        // the agency's own failure, as the gateway said it (its message and code)
        return {
          value: null,
          stamp: null,
          errors: answer.errors.map((error) => ({
            message: error.message,
            extensions: {
              code: error.extensions?.code ?? "SUBGRAPH_UNAVAILABLE",
              subgraph: spec.name,
            },
          })),
        };
      }
      if (value === null) {
        return failed(
          `the gateway gave no figures of the ${spec.name} subgraph (${answer.status})`,
        );
      }
      return { value, stamp: answer.reads?.[spec.name] ?? null, errors: [] };
    } catch (error) {
      // said in the answer's errors; the gateway's own warm-up, before it listens, meets this too
      this.logger.debug(
        { subgraph: spec.name, read: reading.key, err: String(error) },
        "could not read an agency's figures through the gateway",
      );
      return failed(`the ${spec.name} subgraph's figures could not be read: ${String(error)}`);
    }
  }
}

/**
 * Counts what was read of the agencies as the answer's own reads (an answer holds only while every
 * read does) and their failures as its errors.
 */
export function noteAgencyReads(
  ctx: ReadsOtherSubgraphs & { knownVersions?: Stamps | null },
  read: { reads: Stamps; errors: GraphQLFormattedError[] },
): void {
  const reads: Stamps = { ...ctx.readVersions };
  for (const [subgraph, stamp] of Object.entries(read.reads)) {
    const before = reads[subgraph];
    // two readings at two versions hold together at the one the gateway knows, where both still do
    const known = ctx.knownVersions?.[subgraph];
    reads[subgraph] = before ? bothReads(readAsOf(before, known), readAsOf(stamp, known)) : stamp;
  }
  ctx.readVersions = reads;
  if (read.errors.length) ctx.readErrors = [...(ctx.readErrors ?? []), ...read.errors];
}
