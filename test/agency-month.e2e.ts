// An agency's month through the gateway: what it owes, the warnings its figures raise, and the
// month's review (DHIS2's data approval), from draft to accepted, locked, reopened and corrected.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monthsBetween } from "@p06/subgraph-kit";
import { startSystem, type Caller, type RunningSystem } from "./support/system.js";

let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem("month");
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

const PERIOD = "2026-10";
/** The IOC's reviewer: a person acting for the IOC, named in each step they take. */
const REVIEWER: Caller = { agency: "IOC", person: { id: "tran.thi.b", name: "Trần Thị B" } };
const UNIT = "10507";

type Errors = { message: string; extensions?: Record<string, unknown> }[] | undefined;
const codeOf = (errors: Errors) => errors?.[0]?.extensions?.code;

const MONTH = `query Month($period: String!) {
  healthMonth(agency: "DOH", period: $period) {
    state expected received late dueAt
    steps { state by person { name } reason }
    missing: obligations(status: MISSING, limit: 2) { indicator unit status }
    warnings { indicator unit rule value low high confirmed }
  }
}`;

interface Month {
  state: string;
  expected: number;
  received: number;
  steps: { state: string; by: string; person: { name: string } | null; reason: string | null }[];
  missing: { indicator: string; unit: string; status: string }[];
  warnings: { rule: string; value: number; confirmed: boolean }[];
}

const month = async (caller = "DOH") =>
  (await system.query<{ healthMonth: Month }>(MONTH, { period: PERIOD }, caller)).data!.healthMonth;

const submitFigure = (numerator: number, denominator: number) =>
  system.query<{ submitHealthValue: { version: number; warnings: { rule: string }[] } }>(
    `mutation($n: Float!, $d: Float!) {
      submitHealthValue(input: { indicator: "II.12", unit: "${UNIT}", period: "${PERIOD}", numerator: $n, denominator: $d }) {
        version warnings { rule }
      }
    }`,
    { n: numerator, d: denominator },
    "DOH",
  );

const review = (decision: string, reason?: string, caller: Caller = REVIEWER) =>
  system.query<{ reviewHealthMonth: { state: string } }>(
    `mutation($decision: MonthDecision!, $reason: String) {
      reviewHealthMonth(input: { agency: "DOH", period: "${PERIOD}", decision: $decision, reason: $reason }) { state }
    }`,
    { decision, ...(reason && { reason }) },
    caller,
  );

/** What the city scorecard says of II.12's latest month. */
async function scorecardState() {
  const { data } = await system.query<{
    review: {
      scorecard: { indicators: { indicator: { code: string }; latestMonthState: string }[] };
    };
  }>(
    `{ review(year: 2026, period: "${PERIOD}") { scorecard { indicators { indicator { code } latestMonthState } } } }`,
  );
  return data!.review.scorecard.indicators.find((i) => i.indicator.code === "II.12")!
    .latestMonthState;
}

const submitMonth = (caller = "DOH") =>
  system.query<{ submitHealthMonth: { state: string } }>(
    `mutation { submitHealthMonth(period: "${PERIOD}") { state } }`,
    {},
    caller,
  );

describe("an agency's month", () => {
  it("says what the agency owes: every indicator for every unit that reports it", async () => {
    const owed = await month();
    // two commune-level indicators for 114 communes, two city milestones
    expect(owed).toMatchObject({ state: "DRAFT", expected: 2 * 114 + 2, received: 0, steps: [] });
    expect(owed.missing).toHaveLength(2);
    expect(owed.missing[0]).toMatchObject({ status: "MISSING" });
    const other = await system.query(MONTH, { period: PERIOD }, "POLICE");
    expect(codeOf(other.errors)).toBe("FORBIDDEN");
    expect((await month("IOC")).expected).toBe(230);
  });

  it("refuses a count that is not a whole number, and stores a doubtful figure with its warning", async () => {
    const half = await submitFigure(5.5, 10);
    expect(codeOf(half.errors)).toBe("INVALID_VALUE");
    // the unit's series: about 4,857 people a month since January
    for (const period of monthsBetween("2026-01", "2026-09")) {
      const { errors } = await system.query(
        `mutation($period: String!, $n: Float!) {
          submitHealthReport(input: { period: $period, values: [{ indicator: "II.12", unit: "${UNIT}", numerator: $n, denominator: 4857 }] }) { created }
        }`,
        { period, n: 2000 + 40 * Number(period.slice(5)) },
        "DOH",
      );
      expect(errors).toBeUndefined();
    }
    // a ward's denominator falling from 4,857 to 10: its 50% is on the unit's trend, its
    // denominator is not
    const doubtful = await submitFigure(5, 10);
    expect(doubtful.errors).toBeUndefined();
    expect(doubtful.data!.submitHealthValue.warnings).toEqual([{ rule: "DENOMINATOR_SHIFT" }]);
    const owed = await month();
    expect(owed.received).toBe(1);
    expect(owed.warnings).toHaveLength(1);
    expect(owed.warnings.find((w) => w.rule === "DENOMINATOR_SHIFT")).toMatchObject({
      value: 10,
      low: 2428.5,
      high: 7285.5,
      confirmed: false,
    });
  });

  it("lists the open warnings of the month for the IOC, beside each agency's month", async () => {
    const { data, errors } = await system.query<{
      review: {
        health: {
          months: { agency: string; state: string }[];
          openWarnings: { indicator: string; unit: string; rule: string }[];
        };
      };
    }>(
      `{ review(year: 2026, period: "${PERIOD}") { health { months { agency state } openWarnings { indicator unit rule } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data!.review.health.months).toEqual([{ agency: "DOH", state: "DRAFT" }]);
    // agencies without a subgraph of their own: their months are the plan subgraph's
    const plan = await system.query<{ review: { plan: { months: { agency: string }[] } } }>(
      `{ review(year: 2026, period: "${PERIOD}") { plan { months { agency state } openWarnings { rule } } } }`,
    );
    expect(plan.data!.review.plan.months.map((m) => m.agency)).toEqual([
      "DOF",
      "DOIT",
      "DOST",
      "SBV6",
    ]);
    expect(
      data!.review.health.openWarnings.map((w) => `${w.indicator} ${w.unit} ${w.rule}`).sort(),
    ).toEqual([`II.12 ${UNIT} DENOMINATOR_SHIFT`]);
  });

  it("goes draft, submitted, returned, corrected, accepted, locked, reopened and corrected", async () => {
    // open warnings hold the submission back until the figure is confirmed or corrected
    expect(codeOf((await submitMonth()).errors)).toBe("OPEN_WARNINGS");
    const confirmed = await system.query<{
      confirmHealthFigure: { version: number; comment: string };
    }>(
      `mutation { confirmHealthFigure(input: { indicator: "II.12", unit: "${UNIT}", period: "${PERIOD}", comment: "ward merged into 10510 in October" }) { version comment } }`,
      {},
      "DOH",
    );
    expect(confirmed.data?.confirmHealthFigure).toEqual({
      version: 2,
      comment: "ward merged into 10510 in October",
    });
    expect((await month()).warnings).toEqual([]);

    // only the agency submits its month, only the IOC reviews it
    expect(codeOf((await submitMonth("IOC")).errors)).toBe("FORBIDDEN");
    expect((await submitMonth()).data?.submitHealthMonth.state).toBe("SUBMITTED");
    expect(codeOf((await submitFigure(2400, 4857)).errors)).toBe("MONTH_UNDER_REVIEW");
    expect(codeOf((await review("ACCEPT", undefined, "DOH")).errors)).toBe("FORBIDDEN");

    // returned, with a reason
    expect(codeOf((await review("RETURN")).errors)).toBe("BAD_USER_INPUT");
    expect((await review("RETURN", "the ward merge is not in the unit list")).data).toEqual({
      reviewHealthMonth: { state: "RETURNED" },
    });
    const corrected = await submitFigure(2400, 4857);
    expect(corrected.data?.submitHealthValue).toEqual({ version: 3, warnings: [] });
    expect((await submitMonth()).data?.submitHealthMonth.state).toBe("SUBMITTED");

    // accepted: locked, and final on the scorecard
    expect(await scorecardState()).toBe("SUBMITTED");
    expect((await review("ACCEPT")).data).toEqual({ reviewHealthMonth: { state: "ACCEPTED" } });
    expect(await scorecardState()).toBe("ACCEPTED");
    const locked = await submitFigure(2410, 4857);
    expect(codeOf(locked.errors)).toBe("MONTH_LOCKED");
    expect(codeOf((await review("ACCEPT")).errors)).toBe("INVALID_MONTH_STEP");

    // reopened with a reason, corrected again
    expect((await review("REOPEN", "October's census correction")).data).toEqual({
      reviewHealthMonth: { state: "REOPENED" },
    });
    expect((await submitFigure(2410, 4860)).data?.submitHealthValue.version).toBe(4);
    expect(await scorecardState()).toBe("REOPENED");

    const steps = (await month()).steps;
    expect(steps).toEqual([
      { state: "SUBMITTED", by: "DOH", person: null, reason: null },
      {
        state: "RETURNED",
        by: "IOC",
        person: { name: "Trần Thị B" },
        reason: "the ward merge is not in the unit list",
      },
      { state: "SUBMITTED", by: "DOH", person: null, reason: null },
      { state: "ACCEPTED", by: "IOC", person: { name: "Trần Thị B" }, reason: null },
      {
        state: "REOPENED",
        by: "IOC",
        person: { name: "Trần Thị B" },
        reason: "October's census correction",
      },
    ]);
  });

  it("keeps every step in the audit trail: who, when and why", async () => {
    const { data } = await system.query<{
      healthAuditTrail: { actor: string; action: string; subject: string; after: string }[];
    }>(`{ healthAuditTrail(limit: 100) { actor action subject after } }`);
    const steps = data!.healthAuditTrail
      .filter((entry) => entry.action.startsWith("month.") || entry.action === "value.confirm")
      .reverse()
      .map((entry) => `${entry.actor} ${entry.action} ${entry.subject}`);
    expect(steps).toEqual([
      `DOH value.confirm II.12|${UNIT}|${PERIOD}`,
      `DOH month.submit DOH|${PERIOD}`,
      `IOC month.return DOH|${PERIOD}`,
      `DOH month.submit DOH|${PERIOD}`,
      `IOC month.accept DOH|${PERIOD}`,
      `IOC month.reopen DOH|${PERIOD}`,
    ]);
    const reopen = data!.healthAuditTrail.find((entry) => entry.action === "month.reopen")!;
    expect(JSON.parse(reopen.after)).toEqual({
      state: "REOPENED",
      reason: "October's census correction",
    });
  });

  it("gives the month's figures out as DHIS2 data values, through the graph and the export command", async () => {
    const { data } = await system.query<{
      healthDataValues: { dataElement: string; orgUnit: string; value: string; period: string }[];
    }>(
      `{ healthDataValues(period: "${PERIOD}") { dataElement period orgUnit categoryOptionCombo value storedBy followup } }`,
    );
    expect(data!.healthDataValues).toEqual([
      {
        dataElement: "II.12.numerator",
        period: "202610",
        orgUnit: UNIT,
        categoryOptionCombo: "default",
        value: "2410",
        storedBy: "DOH",
        followup: false,
      },
      {
        dataElement: "II.12.denominator",
        period: "202610",
        orgUnit: UNIT,
        categoryOptionCombo: "default",
        value: "4860",
        storedBy: "DOH",
        followup: false,
      },
    ]);
    const exported = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/export-values.ts", "--period", PERIOD, "--format", "csv"],
      {
        env: {
          ...process.env,
          GATEWAY_URL: system.gatewayUrl,
          P06_TOKEN: await system.token("IOC"),
        },
      },
    );
    const [header, ...rows] = exported.stdout.trim().split("\n");
    expect(header).toBe(
      "dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup",
    );
    expect(rows.map((row) => row.split(",").slice(0, 7).join(","))).toEqual([
      `II.12.numerator,202610,${UNIT},default,default,2410,DOH`,
      `II.12.denominator,202610,${UNIT},default,default,4860,DOH`,
    ]);
  });

  it("writes the next month's template by command, prefilled with this month's figures", async () => {
    const dir = await mkdtemp(join(tmpdir(), "p06-template-"));
    try {
      const out = join(dir, "template.xlsx");
      const written = await promisify(execFile)(
        process.execPath,
        [
          "--import",
          "tsx",
          "scripts/template.ts",
          "--agency",
          "DOH",
          "--period",
          "2026-11",
          "--out",
          out,
        ],
        {
          env: {
            ...process.env,
            GATEWAY_URL: system.gatewayUrl.replace(/\/graphql$/, ""),
            P06_TOKEN: await system.token("DOH"),
          },
        },
      );
      const owed = (
        await system.query<{ healthMonth: { expected: number } }>(
          `{ healthMonth(agency: "DOH", period: "2026-11") { expected } }`,
          {},
          "DOH",
        )
      ).data!.healthMonth.expected;
      expect(written.stdout).toContain(
        `${owed} figures DOH owes for 2026-11, prefilled with 2026-10's`,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const rows = (workbook.worksheets[0]!.getSheetValues() as unknown[][])
        .filter(Boolean)
        .map((row) => row.slice(1));
      expect(rows[0]!.slice(0, 8)).toEqual([
        "indicator",
        "unit",
        "numerator",
        "denominator",
        "value",
        "met",
        "category",
        "comment",
      ]);
      expect(rows).toHaveLength(owed + 1);
      const figure = rows.find((row) => row[0] === "II.12" && row[1] === UNIT);
      expect(figure?.slice(2, 4)).toEqual([2410, 4860]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fires each warning rule through the gateway on a figure made to break it", async () => {
    const report = (caller: string, prefix: string, period: string, values: object[]) =>
      system.query<{ r: { warnings: { indicator: string; unit: string; rule: string }[] } }>(
        `mutation($input: MonthlyReportInput!) { r: submit${prefix}Report(input: $input) { warnings { indicator unit rule } } }`,
        { input: { period, values } },
        caller,
      );
    const rules = async (pending: ReturnType<typeof report>) => {
      const { data, errors } = await pending;
      expect(errors?.[0]?.extensions?.problems ?? errors).toBeUndefined();
      return data!.r.warnings.map((w) => `${w.indicator} ${w.unit} ${w.rule}`);
    };
    // OUTLIER: a commune on a steady trend since January, then a month far off it
    for (const period of monthsBetween("2026-01", "2026-07")) {
      const n = 1000 + 20 * Number(period.slice(5));
      expect(
        await rules(
          report("DOH", "Health", period, [
            { indicator: "II.12", unit: "10525", numerator: n, denominator: 4000 },
          ]),
        ),
      ).toEqual([]);
    }
    expect(
      await rules(
        report("DOH", "Health", "2026-08", [
          { indicator: "II.12", unit: "10525", numerator: 3900, denominator: 4000 },
        ]),
      ),
    ).toEqual(["II.12 10525 OUTLIER"]);
    // ABOVE_CITY: the city's own total, and a commune larger than it
    expect(
      await rules(
        report("DOH", "Health", "2026-08", [
          { indicator: "II.12", unit: "31", numerator: 500, denominator: 1000 },
          { indicator: "II.12", unit: "10532", numerator: 900, denominator: 3000 },
        ]),
      ),
    ).toEqual(["II.12 10532 ABOVE_CITY"]);
    // STOCK_FELL: the police's count of systems (a stock) lower than the month before
    expect(
      await rules(
        report("POLICE", "Identity", "2026-07", [{ indicator: "IV.4", unit: "31", value: 12 }]),
      ),
    ).toEqual([]);
    expect(
      await rules(
        report("POLICE", "Identity", "2026-08", [{ indicator: "IV.4", unit: "31", value: 9 }]),
      ),
    ).toEqual(["IV.4 31 STOCK_FELL"]);
  });
});
