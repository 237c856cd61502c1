// Where a benchmark's time went: the services run with `node --cpu-prof`, and each process's profile
// is read back as its top functions by self time within the measured window, and its time by file
// (which of our modules, or which package, spent it).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { repoRoot } from "../lib/ferretdb.js";
import { round } from "./harness.js";

export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A frame's file relative to the repository, a package's as `~/package/...`; "" for V8's own. */
function sourceOf(url: string): string {
  return url ? url.replace(`file://${repoRoot}`, "").replace(/^.*node_modules\//, "~/") : "";
}

/**
 * Each process's top functions by self time, and its time by file, within the measured window: a sample's time is its
 * delta, the window placed on each profile's timeline from the process's exit (so it is off by the
 * time the process took to stop, well under a second).
 */
export async function topSelfTime(
  dir: string,
  names: Map<number, string>,
  window: { fromMsBeforeExit: number; toMsBeforeExit: number },
  top = 15,
) {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".cpuprofile"));
  const result: Record<
    string,
    {
      sampledMs: number;
      top: { fn: string; ms: number; pct: number }[];
      byFile: { file: string; ms: number; pct: number }[];
    }
  > = {};
  for (const file of files) {
    const pid = Number(/\.(\d+)\.\d+\.\d+\.cpuprofile$/.exec(file)?.[1]);
    const name = `${names.get(pid) ?? "?"} (pid ${pid})`;
    const profile = JSON.parse(await readFile(join(dir, file), "utf8")) as CpuProfile;
    const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
    const from = profile.endTime - window.fromMsBeforeExit * 1000;
    const to = profile.endTime - window.toMsBeforeExit * 1000;
    const self = new Map<string, number>();
    const byFile = new Map<string, number>();
    let t = profile.startTime;
    let busy = 0;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      t += delta;
      if (t < from || t > to) return;
      const frame = frames.get(id);
      if (!frame || frame.functionName === "(idle)") return;
      const file = sourceOf(frame.url);
      const where = file ? ` ${file}:${frame.lineNumber + 1}` : "";
      const key = `${frame.functionName || "(anonymous)"}${where}`;
      self.set(key, (self.get(key) ?? 0) + delta);
      // a package's time as the package's (its files are many), ours file by file
      const owner = file.startsWith("~/")
        ? file
            .split("/")
            .slice(0, file.startsWith("~/@") ? 3 : 2)
            .join("/")
        : file || `(${frame.functionName})`;
      byFile.set(owner, (byFile.get(owner) ?? 0) + delta);
      busy += delta;
    });
    result[name] = {
      sampledMs: round(busy / 1000),
      top: [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([fn, us]) => ({
          fn,
          ms: round(us / 1000),
          pct: round((100 * us) / Math.max(1, busy)),
        })),
      byFile: [...byFile.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(([file, us]) => ({
          file,
          ms: round(us / 1000),
          pct: round((100 * us) / Math.max(1, busy)),
        })),
    };
  }
  return result;
}
