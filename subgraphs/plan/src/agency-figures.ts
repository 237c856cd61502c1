// The agencies' figures the plan's review reads, held as a read model: each agency's figures of a
// review month are read through the graph once per data version of that agency and kept, so every
// page of the month (the scorecard, an agency, a commune, the league table, late reporting, tasks)
// combines small results already here, and a write to health brings only health's figures again.
//
// Fresh by construction: the gateway sends the versions it knows with every request (read-versions.ts
// in the kit), which are at least those of every write it has acknowledged; figures older than them
// are read again before the answer, and the answer names the versions it read, so that the gateway
// keeps it only while they hold. Without the gateway's versions (another gateway in front), the
// figures are read again for every request.
import { agencySubgraphs, type SubgraphSpec } from "@p06/catalogue";
import {
  atLeast,
  graphReaderTokens,
  READ_VERSIONS_HEADER,
  parseStamps,
  WANT_READ_VERSIONS_HEADER,
  type Logger,
  type Stamp,
  type Stamps,
} from "@p06/subgraph-kit";
import type { GraphQLFormattedError } from "graphql";
import { LRUCache } from "lru-cache";
import { REVIEW_FIGURES } from "./agency-schema.js";
import type { ReviewFigures } from "./review.js";

/** Where the plan reads the graph: the gateway's /graphql, and its own tokens for it. */
export interface GraphReader {
  url: string;
  token: () => Promise<string>;
}

/** The gateway to read through (P06_GRAPH_URL) and the secret shared with it; null when unset. */
export function graphReaderFromEnv(env: NodeJS.ProcessEnv = process.env): GraphReader | null {
  const url = env.P06_GRAPH_URL?.trim();
  const secret = env.SUBGRAPH_SECRET?.trim();
  if (!url || !secret) return null;
  return { url, token: graphReaderTokens("plan", secret) };
}

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
  async monthFigures(year: number, period: string, known: Stamps | null): Promise<MonthFigures> {
    const monthKey = `${year}|${period}`;
    const held = this.months.get(monthKey) ?? new Map<string, Held>();
    this.months.set(monthKey, held);
    const result: MonthFigures = { figures: new Map(), reads: {}, errors: [] };
    await Promise.all(
      this.specs.map(async (spec) => {
        const floor = known?.[spec.name];
        let kept = held.get(spec.name);
        if (!kept || known === null || (floor && !atLeast(kept.stamp, floor))) {
          const pulled = await this.pull(year, period, spec, floor);
          result.errors.push(...pulled.errors);
          kept =
            pulled.figures && pulled.stamp && known !== null
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
  ): Promise<Pulled> {
    const key = `${year}|${period}|${spec.name}|${floor ? `${floor.version}.${floor.epoch}` : ""}`;
    const running = this.pulling.get(key);
    if (running) return running;
    const pulled = this.read(year, period, spec).finally(() => this.pulling.delete(key));
    this.pulling.set(key, pulled);
    return pulled;
  }

  private async read(year: number, period: string, spec: SubgraphSpec): Promise<Pulled> {
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
    // asked of the agency's subgraph alone (its root field): nothing of it waits on the plan
    const query = `query PlanReviewFigures($year: Int!, $period: String!) { ${spec.reviewField}(year: $year, period: $period) { ${REVIEW_FIGURES} } }`;
    try {
      const response = await fetch(this.reader.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await this.reader.token()}`,
          [WANT_READ_VERSIONS_HEADER]: "1",
        },
        body: JSON.stringify({ query, variables: { year, period } }),
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
      const body = (await response.json()) as {
        data?: Record<string, ReviewFigures | null> | null;
        errors?: GraphQLFormattedError[];
      };
      const figures = body.data?.[spec.reviewField] ?? null;
      // the agency's own failure, as the gateway said it (its code and message)
      const errors = (body.errors ?? []).map((error) => ({
        message: error.message,
        extensions: { code: error.extensions?.code ?? "SUBGRAPH_UNAVAILABLE", subgraph: spec.name },
      }));
      if (!figures || errors.length) {
        return {
          figures: null,
          stamp: null,
          errors: errors.length
            ? errors
            : failed(
                `the gateway gave no figures of the ${spec.name} subgraph (${response.status})`,
              ).errors,
        };
      }
      const stamp = parseStamps(response.headers.get(READ_VERSIONS_HEADER))?.[spec.name] ?? null;
      return { figures, stamp, errors: [] };
    } catch (error) {
      this.logger.warn(
        { subgraph: spec.name, period, err: String(error) },
        "could not read an agency's figures through the gateway",
      );
      return failed(`the ${spec.name} subgraph's figures could not be read: ${String(error)}`);
    }
  }
}
