// The agencies' figures the plan's review reads, held as a read model: each agency's figures of a
// review month are read through the graph once per data version of that agency and kept, so every
// page of the month (the scorecard, an agency, a commune, the league table, late reporting, tasks)
// combines small results already here, and a write to health brings only health's figures again.
//
// Fresh by construction: the gateway sends the versions it knows with every request (read-versions.ts
// in the kit), which are at least those of every write it has acknowledged, and where those writes
// fell by month; figures a later write could have changed are read again before the answer (a write
// to November leaves October's held), and the answer names the versions it read, so that the gateway
// keeps it only while they hold. Without the gateway's versions (another gateway in front), the
// figures are read again for every request.
import { agencySubgraphs, type SubgraphSpec } from "@p06/catalogue";
import {
  readGraph,
  stillHolds,
  type GraphReader,
  type Logger,
  type Stamp,
  type Stamps,
} from "@p06/subgraph-kit";
import type { GraphQLFormattedError } from "graphql";
import { LRUCache } from "lru-cache";
import { REVIEW_FIGURES } from "./agency-schema.js";
import type { ReviewFigures } from "./review.js";

/** How long one read through the graph may take (the gateway bounds each of its fetches itself). */
const READ_TIMEOUT_MS = 30_000;
/** Review months held at once (each about a few hundred kilobytes for the six agencies). */
const MONTHS_HELD = 48;

/** One agency's figures of one month, and the version they were read at. */
interface Held {
  figures: ReviewFigures;
  stamp: Stamp;
}

/** What a review month reads of the agencies: each one's figures (null: not to be had now). */
export interface MonthFigures {
  figures: Map<string, ReviewFigures | null>;
  /** The version of each agency's figures read; an agency whose figures failed is not in it. */
  reads: Stamps;
  /** Why an agency's figures are missing, as the gateway said it. */
  errors: GraphQLFormattedError[];
}

interface Pulled {
  figures: ReviewFigures | null;
  stamp: Stamp | null;
  errors: GraphQLFormattedError[];
}

export class AgencyFigures {
  private readonly months = new LRUCache<string, Map<string, Held>>({ max: MONTHS_HELD });
  /** Reads under way, by month, agency and the version they must reach: asked once. */
  private readonly pulling = new Map<string, Promise<Pulled>>();

  constructor(
    private readonly reader: GraphReader | null,
    private readonly logger: Logger,
    private readonly specs: readonly SubgraphSpec[] = agencySubgraphs,
  ) {}

  /**
   * Every agency's figures for a review month, none older than `known` (the gateway's versions; null:
   * none given, so each is read again).
   */
  async monthFigures(
    year: number,
    period: string,
    known: Stamps | null,
    requestId: string | null = null,
  ): Promise<MonthFigures> {
    const monthKey = `${year}|${period}`;
    const held = this.months.get(monthKey) ?? new Map<string, Held>();
    this.months.set(monthKey, held);
    const result: MonthFigures = { figures: new Map(), reads: {}, errors: [] };
    await Promise.all(
      this.specs.map(async (spec) => {
        const floor = known?.[spec.name];
        let kept = held.get(spec.name);
        if (!kept || known === null || (floor && !stillHolds(kept.stamp, floor))) {
          const pulled = await this.pull(year, period, spec, floor, requestId);
          result.errors.push(...pulled.errors);
          // held only if provably as new as asked (a gateway instance that had not yet heard of a
          // write another acknowledged may answer older): such figures serve this answer alone
          kept =
            pulled.figures &&
            pulled.stamp &&
            known !== null &&
            (!floor || stillHolds(pulled.stamp, floor))
              ? { figures: pulled.figures, stamp: pulled.stamp }
              : undefined;
          if (kept) held.set(spec.name, kept);
          else held.delete(spec.name);
          result.figures.set(spec.name, pulled.figures);
          if (pulled.figures && pulled.stamp) result.reads[spec.name] = pulled.stamp;
          return;
        }
        result.figures.set(spec.name, kept.figures);
        result.reads[spec.name] = kept.stamp;
      }),
    );
    return result;
  }

  /** One agency's figures of a month, read through the graph (shared by those asking alike). */
  private pull(
    year: number,
    period: string,
    spec: SubgraphSpec,
    floor: Stamp | undefined,
    requestId: string | null,
  ): Promise<Pulled> {
    const key = `${year}|${period}|${spec.name}|${floor ? `${floor.version}.${floor.epoch}` : ""}`;
    const running = this.pulling.get(key);
    if (running) return running;
    const pulled = this.read(year, period, spec, requestId).finally(() => this.pulling.delete(key));
    this.pulling.set(key, pulled);
    return pulled;
  }

  private async read(
    year: number,
    period: string,
    spec: SubgraphSpec,
    requestId: string | null,
  ): Promise<Pulled> {
    const failed = (message: string, code = "SUBGRAPH_UNAVAILABLE"): Pulled => ({
      figures: null,
      stamp: null,
      errors: [{ message, extensions: { code, subgraph: spec.name } }],
    });
    if (!this.reader) {
      return failed(
        `the plan reads the ${spec.name} subgraph's figures through the gateway, and P06_GRAPH_URL is not set`,
      );
    }
    try {
      const answer = await readGraph<Record<string, ReviewFigures | null>>(
        this.reader,
        {
          // asked of the agency's subgraph alone (its root field): nothing of it waits on the plan
          query: `query PlanReviewFigures($year: Int!, $period: String!) { ${spec.reviewField}(year: $year, period: $period) { ${REVIEW_FIGURES} } }`,
          variables: { year, period },
          operationName: "PlanReviewFigures",
        },
        { requestId, timeoutMs: READ_TIMEOUT_MS },
      );
      const figures = answer.data?.[spec.reviewField] ?? null;
      if (answer.errors.length) {
        // the agency's own failure, as the gateway said it (its message and code)
        return {
          figures: null,
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
      if (!figures) {
        return failed(
          `the gateway gave no figures of the ${spec.name} subgraph (${answer.status})`,
        );
      }
      return { figures, stamp: answer.reads?.[spec.name] ?? null, errors: [] };
    } catch (error) {
      // said in the answer's errors; the gateway's own warm-up, before it listens, meets this too
      this.logger.debug(
        { subgraph: spec.name, period, err: String(error) },
        "could not read an agency's figures through the gateway",
      );
      return failed(`the ${spec.name} subgraph's figures could not be read: ${String(error)}`);
    }
  }
}
