// The printed tables: per page and overall, writes and read-backs, memory, ours then stock, CPU.
import type { Size } from "../harness.js";
import type { Result } from "./measure.js";

type Run = Pick<Result, "reads" | "writes" | "coresBusy">;

function runLines(title: string, r: Run): string[] {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `== ${title}: ${r.reads.requestsPerS} reads/s over ${r.reads.durationS} s (${r.reads.requests} answers, ${r.reads.notModified} of them 304)`,
    `${"page".padEnd(16)}${pad("req/s", 9)}${pad("p50 ms", 9)}${pad("p90 ms", 9)}${pad("p99 ms", 9)}${pad("304", 7)}${pad("failed", 8)}${pad("refused", 9)}${pad("KB", 8)}`,
  ];
  const row = (
    name: string,
    p: {
      perS: number;
      notModified: number;
      failed: number;
      refused: number;
      kbPerAnswer?: number;
      latencyMs: { p50Ms: number; p90Ms: number; p99Ms: number } | null;
    },
  ) =>
    `${name.padEnd(16)}${pad(p.perS, 9)}${pad(p.latencyMs?.p50Ms ?? "-", 9)}${pad(p.latencyMs?.p90Ms ?? "-", 9)}${pad(p.latencyMs?.p99Ms ?? "-", 9)}${pad(p.notModified, 7)}${pad(p.failed, 8)}${pad(p.refused, 9)}${pad(p.kbPerAnswer ?? "", 8)}`;
  for (const [name, p] of Object.entries(r.reads.byPage)) lines.push(row(name, p));
  lines.push(
    row("ALL", {
      perS: r.reads.requestsPerS,
      notModified: r.reads.notModified,
      failed: r.reads.failed,
      refused: r.reads.refused,
      latencyMs: r.reads.latencyMs,
    }),
  );
  const w = r.writes;
  lines.push(
    `failures by code: ${JSON.stringify(r.reads.failuresByCode)}; refusals by code: ${JSON.stringify(r.reads.refusalsByCode)}; timeouts ${r.reads.timeouts}${r.reads.answerSources ? `; gateway answers by source ${JSON.stringify(r.reads.answerSources)}` : ""}`,
    `writes: ${w.acknowledged}/${w.attempted} acknowledged (${w.figuresWritten} figures), p50 ${w.latencyMs?.p50Ms ?? "-"} / p99 ${w.latencyMs?.p99Ms ?? "-"} / max ${w.latencyMs?.maxMs ?? "-"} ms; failed ${JSON.stringify(w.failedByCode)}, timed out ${w.timedOut}, skipped ${w.skippedBacklog + w.skippedBusyKeys}`,
    `writes by subgraph (p50 / max ms): ${Object.entries(w.latencyMsBySubgraph)
      .map(([key, ms]) => `${key} ${ms.p50Ms} / ${ms.maxMs}`)
      .join(", ")}`,
    `read-backs: ${w.readBacks} (p50 ${w.readBackLatencyMs?.p50Ms ?? "-"} ms), STALE READS ${w.staleReads} (never fresh within 5 s: ${w.staleNeverFreshWithin5s}), read-back errors ${w.readBackErrors}`,
  );
  if (r.reads.answerSourcesByOperation) {
    lines.push(
      `executed/answered per operation: ${Object.entries(r.reads.answerSourcesByOperation)
        .filter(([, counts]) => (counts.executed ?? 0) > 0)
        .map(([operation, counts]) => {
          const answered = Object.values(counts).reduce((sum, n) => sum + n, 0);
          return `${operation} ${counts.executed}/${answered}`;
        })
        .join(", ")}`,
    );
  }
  lines.push(
    `cores busy during the load: ${Object.entries(r.coresBusy)
      .map(([name, cores]) => `${name} ${cores}`)
      .join(", ")}`,
  );
  return lines;
}

export function printTable(size: Size, r: Result): void {
  const lines = runLines(size, r);
  lines.push(
    `resident memory MiB: ${Object.entries(r.memoryMiB)
      .map(([name, mib]) => `${name} ${mib}`)
      .join(", ")}`,
  );
  if (r.stock) {
    lines.push(...runLines(`${size}, stock @apollo/gateway`, r.stock));
    lines.push(
      `stock gateway resident memory ${r.stock.gatewayMemoryMiB} MiB; ours/stock: ${r.stock.ratios.readsPerS}x the reads/s, ${r.stock.ratios.p99}x the p99`,
    );
  }
  console.log(lines.join("\n"));
  if (r.cpuProfile) {
    for (const [process, p] of Object.entries(r.cpuProfile)) {
      console.log(`-- ${process}: ${p.sampledMs} ms on CPU in the window; top self time:`);
      for (const f of p.top) {
        console.log(`   ${String(f.ms).padStart(9)} ms ${String(f.pct).padStart(5)}%  ${f.fn}`);
      }
    }
  }
}
