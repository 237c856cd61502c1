// What the gateway knows of each subgraph (serving/data-versions.ts), and the fetches it keeps by it
// (serving/fetch-cache.ts): a read of October stays fresh through health's writes to November, and
// goes stale with a write to October, an unknown change, a write that gave no version, or a loss.
import { allAt, formatStamps, parseStamps, withChange } from "@p06/subgraph-kit";
import { describe, expect, it } from "vitest";
import { DataVersions, stepsOf } from "../src/serving/data-versions.js";
import { FetchCache } from "../src/serving/fetch-cache.js";

const OCTOBER = { version: 4, epoch: 0, upTo: "2026-10" };
const ANY_MONTH = { version: 4, epoch: 0 };

function knownAt4() {
  const versions = new DataVersions();
  versions.observe("health", { version: 4, steps: allAt(4) });
  return versions;
}

describe("the versions the gateway knows", () => {
  it("keeps a read of October fresh through writes to November only", async () => {
    const versions = knownAt4();
    const november = withChange(allAt(4), "2026-11", 5);
    await versions.written("health", { version: 5, steps: november });
    expect(versions.fresh([["health", OCTOBER]])).toBe(true);
    expect(versions.fresh([["health", ANY_MONTH]])).toBe(false);
    await versions.written("health", { version: 6, steps: withChange(november, "2026-10", 6) });
    expect(versions.fresh([["health", OCTOBER]])).toBe(false);
  });

  it("knows a change the steps name beyond the version an answer was read at", () => {
    const versions = knownAt4();
    // read at 4, sent after a write to October reached 5
    versions.observe("health", { version: 4, steps: withChange(allAt(4), "2026-10", 5) });
    expect(versions.stamp("health")?.version).toBe(5);
    expect(versions.fresh([["health", ANY_MONTH]])).toBe(false);
    expect(versions.fresh([["health", OCTOBER]])).toBe(false);
  });

  it("takes a change it cannot place as one to every month", async () => {
    const versions = knownAt4();
    versions.observe("health", { version: 5 });
    expect(versions.fresh([["health", OCTOBER]])).toBe(false);
    // a later, placed account does not make it fresh again: the change stays unplaced
    versions.observe("health", { version: 6, steps: withChange(allAt(4), "2026-11", 6) });
    expect(versions.fresh([["health", OCTOBER]])).toBe(false);
  });

  it("stales every read of a subgraph after a write without a version, or its loss", async () => {
    const versions = knownAt4();
    await versions.written("health", null);
    expect(versions.fresh([["health", OCTOBER]])).toBe(false);
    const lost = knownAt4();
    lost.lost("health");
    expect(lost.fresh([["health", OCTOBER]])).toBe(false);
  });

  it("names a subgraph nothing was written to yet in the versions it sends a graph reader", () => {
    const versions = new DataVersions();
    versions.observe("plan", { version: 0, steps: allAt(0) });
    versions.merge({ plan: { version: 0, epoch: 0, steps: allAt(0) } });
    expect({ ...parseStamps(formatStamps(versions.all())) }).toEqual({
      plan: { version: 0, epoch: 0, steps: allAt(0) },
    });
  });

  it("reads steps from a header only when they reach the answer's version", () => {
    expect(stepsOf("*:3;2026-11:5", 5)).toEqual([
      ["", 3],
      ["2026-11", 5],
    ]);
    expect(stepsOf("*:3;2026-11:5", 6)).toBeUndefined();
    expect(stepsOf("2026-11:5;*:3", 5)).toBeUndefined();
    expect(stepsOf(undefined, 5)).toBeUndefined();
  });
});

describe("the fetches kept", () => {
  it("serves October's fetch after a write to November, and none that read every month", async () => {
    const versions = knownAt4();
    const fetches = new FetchCache<string>(versions, 1_000_000);
    fetches.set("health", "october", OCTOBER, "October's figures", 20);
    fetches.set("health", "series", ANY_MONTH, "every month", 20);
    await versions.written("health", {
      version: 5,
      steps: withChange(allAt(4), "2026-11", 5),
    });
    expect(fetches.get("health", "october")?.value).toBe("October's figures");
    expect(fetches.get("health", "series")).toBeUndefined();
  });

  it("keeps nothing read at a version a change to its month has passed", () => {
    const versions = knownAt4();
    versions.observe("health", { version: 5, steps: withChange(allAt(4), "2026-10", 5) });
    const fetches = new FetchCache<string>(versions, 1_000_000);
    fetches.set("health", "october", OCTOBER, "October's figures, before the write", 20);
    expect(fetches.get("health", "october")).toBeUndefined();
  });
});
