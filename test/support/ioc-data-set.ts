// The small data set the IOC's questions are worked out on by hand (test/ioc-questions.e2e.ts, and the
// web application's pages in test/web.e2e.ts), submitted through the gateway as each agency.
import { expect } from "vitest";
import type { RunningSystem } from "./system.js";

/** Two wards: Phường Thành Đông and Phường Hải Dương. */
export const A = "10507";
export const B = "10525";

const pct = (indicator: string, unit: string, numerator: number, denominator: number) => ({
  indicator,
  unit,
  numerator,
  denominator,
});

export async function seedIocDataSet(system: RunningSystem): Promise<void> {
  /** Submits a month's report to one subgraph through the gateway, as its agency. */
  const report = async (
    prefix: string,
    agency: string,
    period: string,
    values: Record<string, unknown>[],
  ) => {
    const result = await system.query(
      `mutation ($input: MonthlyReportInput!) { submit${prefix}Report(input: $input) { created } }`,
      { input: { period, values } },
      agency,
    );
    expect(result.errors).toBeUndefined();
  };
  // III.3 (identity, target ≥80 in 2026): city 60/200 = 30% in January, 120/200 = 60% in October
  await report("Identity", "POLICE", "2026-01", [
    pct("III.3", A, 40, 100),
    pct("III.3", B, 20, 100),
  ]);
  await report("Identity", "POLICE", "2026-10", [
    pct("III.3", A, 70, 100),
    pct("III.3", B, 50, 100),
  ]);
  // I.5 (procedures, target 80): 50% then 90%: achieved
  await report("Procedures", "PASC", "2026-01", [pct("I.5", A, 50, 100)]);
  await report("Procedures", "PASC", "2026-10", [pct("I.5", A, 90, 100)]);
  // II.5 (health with the schools' share from education, target 50): (5+10)/(40+60) = 15%, then (10+30)/(40+60) = 40%
  await report("Health", "DOH", "2026-01", [pct("II.5", A, 5, 40)]);
  await report("Health", "DOH", "2026-10", [pct("II.5", A, 10, 40)]);
  await report("Education", "DOET", "2026-01", [pct("II.5", A, 10, 60), pct("III.9", A, 10, 100)]);
  await report("Education", "DOET", "2026-10", [pct("II.5", A, 30, 60), pct("III.9", A, 12, 100)]);
  // V.2 (social security, target ≥50): 30% then 20%: deteriorating
  await report("SocialSecurity", "VSS", "2026-01", [pct("V.2", A, 30, 100)]);
  await report("SocialSecurity", "VSS", "2026-10", [pct("V.2", A, 20, 100)]);
  // II.7 (the plan holds the State Bank's figures, target 60): 40% then 58%
  await report("Plan", "SBV6", "2026-01", [pct("II.7", "31", 40, 100)]);
  await report("Plan", "SBV6", "2026-10", [pct("II.7", "31", 58, 100)]);
  // the police finish task II.4
  const done = await system.query(
    `mutation { updateTaskStatus(input: { code: "II.4", status: DONE, note: "Model launched", evidenceUrl: "https://example.org/decision-12" }) { status } }`,
    {},
    "POLICE",
  );
  expect(done.data).toEqual({ updateTaskStatus: { status: "DONE" } });
}
