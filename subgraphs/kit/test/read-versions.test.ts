// The versions the gateway and a subgraph that reads the graph tell each other travel as one header
// each: every subgraph's version and epoch, exactly in the format, or nothing at all.
import { describe, expect, it } from "vitest";
import { atLeast, formatStamps, parseStamps } from "../src/read-versions.js";

describe("version stamps in a header", () => {
  it("gives back what it was given", () => {
    const stamps = {
      health: { version: 12, epoch: 0 },
      "social-security": { version: 7, epoch: 3 },
    };
    const text = formatStamps(Object.entries(stamps));
    expect(text).toBe("health=12.0,social-security=7.3");
    expect({ ...parseStamps(text) }).toEqual(stamps);
  });

  it("reads an empty header as no versions, and a missing one as none sent", () => {
    expect({ ...parseStamps("") }).toEqual({});
    expect(parseStamps(undefined)).toBeNull();
  });

  it("refuses anything not exactly in the format", () => {
    for (const text of [
      "health=12",
      "health=-1.0",
      "Health=1.0",
      "health=1.0;x",
      "__proto__=1.0",
      "a=1.0,,b=2.0",
    ]) {
      expect({ text, parsed: parseStamps(text) }).toEqual({ text, parsed: null });
    }
    expect(parseStamps(Array.from({ length: 65 }, (_, i) => `s${i}=1.0`).join(","))).toBeNull();
  });

  it("judges data at least as new as known by its version and its epoch", () => {
    expect(atLeast({ version: 5, epoch: 1 }, { version: 5, epoch: 1 })).toBe(true);
    expect(atLeast({ version: 6, epoch: 1 }, { version: 5, epoch: 1 })).toBe(true);
    expect(atLeast({ version: 6, epoch: 0 }, { version: 5, epoch: 1 })).toBe(false);
    expect(atLeast({ version: 4, epoch: 2 }, { version: 5, epoch: 1 })).toBe(false);
  });
});
