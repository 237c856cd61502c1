// The plan subgraph's argument checks, and the review's default month by Hai Phong's clock.
import { describe, expect, it } from "vitest";
import { checkDay, checkPeriod } from "../src/resolvers/arguments.js";

describe("checkPeriod", () => {
  it("defaults to the latest month whose reports were due by the 10th, Hai Phong time", () => {
    // 26 November: October's reports were due on the 10th
    expect(checkPeriod(null, new Date("2026-11-26T03:00:00Z"))).toBe("2026-10");
    // 5 November: October's are still coming in
    expect(checkPeriod(null, new Date("2026-11-05T03:00:00Z"))).toBe("2026-09");
    // 10 January, 23:00 in Hai Phong: December's are due tonight
    expect(checkPeriod(null, new Date("2027-01-10T16:00:00Z"))).toBe("2026-11");
    // 11 January, 00:30 in Hai Phong (still the 10th in UTC)
    expect(checkPeriod(null, new Date("2027-01-10T17:30:00Z"))).toBe("2026-12");
  });

  it("refuses a malformed or future month", () => {
    expect(() => checkPeriod("2026-13")).toThrow(/not a month/);
    expect(() => checkPeriod("2999-01")).toThrow(/in the future/);
  });
});

describe("checkDay", () => {
  it("takes real days only", () => {
    expect(checkDay("2027-02-28")).toBe("2027-02-28");
    expect(() => checkDay("2027-02-31")).toThrow(/not a day/);
    expect(() => checkDay("31/12/2026")).toThrow(/not a day/);
  });
});
