// The readers' counts by page and by operation, and their summary for the results.
import { round, summarize } from "../harness.js";

export interface PageStats {
  latencies: number[];
  ok: number;
  notModified: number;
  /** Answers with GraphQL errors or a status other than 200/304 that are not refusals. */
  failed: number;
  refused: number;
  timeouts: number;
  /** The bytes of the answers with a body (not the 304s), as received. */
  bytes: number;
}
export const newPageStats = (): PageStats => ({
  latencies: [],
  ok: 0,
  notModified: 0,
  failed: 0,
  refused: 0,
  timeouts: 0,
  bytes: 0,
});

export interface ReadStats {
  byPage: Map<string, PageStats>;
  byOperation: Map<string, PageStats>;
  statuses: Record<string, number>;
  failuresByCode: Record<string, number>;
  refusalsByCode: Record<string, number>;
  firstFailures: string[];
}
export const newReadStats = (): ReadStats => ({
  byPage: new Map(),
  byOperation: new Map(),
  statuses: {},
  failuresByCode: {},
  refusalsByCode: {},
  firstFailures: [],
});

export function summarizePages(map: Map<string, PageStats>, seconds: number) {
  return Object.fromEntries(
    [...map.entries()]
      .sort((a, b) => b[1].latencies.length - a[1].latencies.length)
      .map(([name, s]) => [
        name,
        {
          requests: s.latencies.length,
          perS: round(s.latencies.length / seconds),
          ok: s.ok,
          notModified: s.notModified,
          failed: s.failed,
          refused: s.refused,
          timeouts: s.timeouts,
          kbPerAnswer: s.ok + s.failed ? round(s.bytes / 1024 / (s.ok + s.failed)) : 0,
          latencyMs: s.latencies.length ? summarize(s.latencies) : null,
        },
      ]),
  );
}
