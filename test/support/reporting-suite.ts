// The behaviour every reporting subgraph owes its agency, as one suite each subgraph's test file runs
// with its own indicators: submit, re-submit with history, monthly reports, CSV and XLSX imports,
// every validation refusal, aggregation to the city, and batched entity loads.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createLogger,
  REPORT_COLUMNS,
  reportCsv,
  type reportingSubgraph,
  type SubgraphRuntime,
  type KitContext,
} from "@p06/subgraph-kit";
import { useTestDatabase } from "./database.js";
import { inProcessServer, type ExecutionResult } from "./execute.js";

/** The suite's clock: mid-November 2026, so October is the last complete month. */
export const NOW = new Date("2026-11-15T08:00:00Z");

export interface ReportingSuiteOptions {
  label: string;
  build: (overrides: { now: () => Date }) => ReturnType<typeof reportingSubgraph>;
  prefix: string;
  indicatorType: string;
  agency: string;
  /** A commune-level percentage indicator of the subgraph, with its breakdown if it has one. */
  percent: { code: string; breakdownField?: string; categories?: string[] };
  /** An indicator reported for the city only. */
  cityOnly?: string;
  /** An agency that may not write the subgraph's indicators. */
  stranger: string;
}

const COMMUNES = ["10507", "10525", "10532"];

export function reportingSuite(options: ReportingSuiteOptions) {
  const { prefix, agency, percent } = options;
  const database = useTestDatabase(options.label);
  let server: ReturnType<typeof inProcessServer>;
  const as = { "x-p06-agency": agency };
  const subgraph = options.build({ now: () => NOW });
  let runtime: SubgraphRuntime<KitContext>;

  beforeAll(async () => {
    runtime = await subgraph.open(database.db, createLogger(options.label, "silent"), {
      demo: false,
      followMs: 0,
    });
    server = inProcessServer(subgraph.schema, runtime.context);
  });
  afterAll(() => runtime.close());

  const valueFields =
    "indicator unit period numerator denominator value met comment reportedBy version breakdown { category numerator denominator value }";
  const submit = (input: Record<string, unknown>, headers: Record<string, string> = as) =>
    server.execute<Record<string, Record<string, unknown>>>(
      `mutation ($input: DataValueInput!) { submit${prefix}Value(input: $input) { ${valueFields} } }`,
      { input },
      headers,
    );
  const report = (period: string, values: Record<string, unknown>[]) =>
    server.execute<Record<string, Record<string, unknown>>>(
      `mutation ($input: MonthlyReportInput!) { submit${prefix}Report(input: $input) { period created replaced indicators } }`,
      { input: { period, values } },
      as,
    );
  const importFile = (period: string, format: "CSV" | "XLSX", content: Buffer) =>
    server.execute<Record<string, Record<string, unknown>>>(
      `mutation ($input: ImportReportInput!) { import${prefix}Report(input: $input) { period created replaced indicators } }`,
      {
        input: {
          period,
          format,
          contentBase64: content.toString("base64"),
          fileName: `report.${format.toLowerCase()}`,
        },
      },
      as,
    );
  const indicator = async (code: string, selection: string) => {
    const result = await server.execute<{ _entities: Record<string, unknown>[] }>(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${options.indicatorType} { ${selection} } } }`,
      { r: [{ __typename: options.indicatorType, code }] },
    );
    expect(result.errors).toBeUndefined();
    return result.data!._entities[0]!;
  };
  /** Figure versions stored: a refused write adds none. */
  const count = () => database.db.collection("figure_versions").countDocuments();
  const codeOf = (result: ExecutionResult) => result.errors?.[0]?.extensions?.code;
  // a breakdown that adds up to the total 30/50
  const breakdown = (percent.categories ?? []).map((category, i, all) =>
    i === 0
      ? { category, numerator: 30 - 2 * (all.length - 1), denominator: 50 - 4 * (all.length - 1) }
      : { category, numerator: 2, denominator: 4 },
  );

  describe(`${options.label}: submitting figures`, () => {
    it("stores a figure with its percentage computed and who reported it", async () => {
      const { data, errors } = await submit({
        indicator: percent.code,
        unit: COMMUNES[0],
        period: "2026-09",
        numerator: 30,
        denominator: 50,
        comment: "first",
        breakdown,
      });
      expect(errors).toBeUndefined();
      expect(data?.[`submit${prefix}Value`]).toMatchObject({
        indicator: percent.code,
        unit: COMMUNES[0],
        period: "2026-09",
        numerator: 30,
        denominator: 50,
        value: 60,
        comment: "first",
        reportedBy: agency,
        version: 1,
      });
    });

    it("replaces a re-submitted figure and keeps the earlier version in history", async () => {
      const { data } = await submit({
        indicator: percent.code,
        unit: COMMUNES[0],
        period: "2026-09",
        numerator: 35,
        denominator: 50,
      });
      expect(data?.[`submit${prefix}Value`]).toMatchObject({ value: 70, version: 2 });
      const found = await indicator(
        percent.code,
        `history(unit: "${COMMUNES[0]}", period: "2026-09") { value version comment }`,
      );
      expect(found.history).toEqual([
        { value: 60, version: 1, comment: "first" },
        { value: 70, version: 2, comment: null },
      ]);
    });

    it("stores a whole month's report in one call", async () => {
      const { data, errors } = await report("2026-10", [
        { indicator: percent.code, unit: COMMUNES[0], numerator: 30, denominator: 50, breakdown },
        { indicator: percent.code, unit: COMMUNES[1], numerator: 10, denominator: 50 },
        { indicator: percent.code, unit: COMMUNES[2], numerator: 1, denominator: 100 },
      ]);
      expect(errors).toBeUndefined();
      expect(data?.[`submit${prefix}Report`]).toEqual({
        period: "2026-10",
        created: 3,
        replaced: 0,
        indicators: [percent.code],
      });
    });

    it("pages figures and versions with limit and offset, refusing a page out of range", async () => {
      const range = `from: "2026-09", to: "2026-10"`;
      const all = await indicator(percent.code, `values(${range}) { period unit }`);
      expect(all.values).toEqual([
        { period: "2026-09", unit: COMMUNES[0] },
        ...COMMUNES.map((unit) => ({ period: "2026-10", unit })),
      ]);
      const paged = await indicator(
        percent.code,
        `first: values(${range}, limit: 2) { period unit }
         next: values(${range}, limit: 2, offset: 2) { period unit }
         past: values(${range}, offset: 4) { period unit }
         latest: history(unit: "${COMMUNES[0]}", period: "2026-09", limit: 1, offset: 1) { version }`,
      );
      expect(paged).toEqual({
        first: (all.values as unknown[]).slice(0, 2),
        next: (all.values as unknown[]).slice(2, 4),
        past: [],
        latest: [{ version: 2 }],
      });
      for (const [args, argumentName] of [
        ["limit: 0", "limit"],
        ["limit: 5001", "limit"],
        ["offset: -1", "offset"],
      ]) {
        const refused = await server.execute(
          `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${options.indicatorType} { values(${args}) { period } } } }`,
          { r: [{ __typename: options.indicatorType, code: percent.code }] },
        );
        expect(refused.errors?.[0]?.extensions, args).toMatchObject({
          code: "BAD_USER_INPUT",
          argumentName,
        });
      }
    });

    it("aggregates the city from the communes: sum of numerators over sum of denominators", async () => {
      const found = await indicator(
        percent.code,
        "citySeries { period numerator denominator value reportingUnits source }",
      );
      const october = (found.citySeries as Record<string, unknown>[]).find(
        (m) => m.period === "2026-10",
      );
      // (30 + 10 + 1) / (50 + 50 + 100) = 20.5%, not the 27% average of 60%, 20% and 1%
      expect(october).toEqual({
        period: "2026-10",
        numerator: 41,
        denominator: 200,
        value: 20.5,
        reportingUnits: 3,
        source: "AGGREGATED",
      });
    });

    if (percent.breakdownField) {
      it(`answers ${percent.breakdownField}, the city's summed over its communes`, async () => {
        const found = await indicator(
          percent.code,
          `${percent.breakdownField}(period: "2026-10") { category numerator denominator }`,
        );
        expect(found[percent.breakdownField!]).toEqual(
          breakdown.map(({ category, numerator, denominator }) => ({
            category,
            numerator,
            denominator,
          })),
        );
      });
    }

    it("takes a figure the city reports directly over the aggregate", async () => {
      await submit({
        indicator: percent.code,
        unit: "31",
        period: "2026-10",
        numerator: 900,
        denominator: 1000,
      });
      const found = await indicator(
        percent.code,
        "citySeries { period value source reportingUnits }",
      );
      expect((found.citySeries as unknown[]).at(-1)).toEqual({
        period: "2026-10",
        value: 90,
        source: "DIRECT",
        reportingUnits: 1,
      });
    });
  });

  describe(`${options.label}: importing a month's spreadsheet`, () => {
    const rows = [
      { indicator: percent.code, unit: COMMUNES[0], numerator: 5, denominator: 10 },
      {
        indicator: percent.code,
        unit: COMMUNES[1],
        numerator: 6,
        denominator: 10,
        comment: "checked, on paper",
      },
    ];

    it("imports a good CSV file", async () => {
      const { data, errors } = await importFile("2026-08", "CSV", Buffer.from(reportCsv(rows)));
      expect(errors).toBeUndefined();
      expect(data?.[`import${prefix}Report`]).toEqual({
        period: "2026-08",
        created: 2,
        replaced: 0,
        indicators: [percent.code],
      });
    });

    it("imports a good XLSX file", async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet("report");
      sheet.addRow([...REPORT_COLUMNS]);
      for (const row of rows)
        sheet.addRow([
          row.indicator,
          row.unit,
          row.numerator,
          row.denominator,
          null,
          null,
          null,
          null,
        ]);
      const { data, errors } = await importFile(
        "2026-07",
        "XLSX",
        Buffer.from(await workbook.xlsx.writeBuffer()),
      );
      expect(errors).toBeUndefined();
      expect(data?.[`import${prefix}Report`]).toMatchObject({ created: 2, replaced: 0 });
    });

    it("refuses a file with bad rows, naming each by line and column, and stores nothing", async () => {
      const before = await count();
      const csv = reportCsv([
        { indicator: percent.code, unit: COMMUNES[0], numerator: 5, denominator: 10 },
        { indicator: percent.code, unit: COMMUNES[1], numerator: 12, denominator: 10 },
        { indicator: percent.code, unit: "99999", numerator: 1, denominator: 10 },
        { indicator: percent.code, unit: COMMUNES[2], numerator: "many", denominator: 10 },
      ]);
      const result = await importFile("2026-06", "CSV", Buffer.from(csv));
      expect(codeOf(result)).toBe("INVALID_REPORT");
      const problems = result.errors?.[0]?.extensions?.problems as {
        line: number;
        column: string;
        code: string;
      }[];
      // the cell that is not a number hides none of the other bad rows
      expect(problems.map((p) => [p.line, p.column, p.code])).toEqual([
        [3, "numerator", "INVALID_VALUE"],
        [4, "unit", "UNKNOWN_REPORTING_UNIT"],
        [5, "numerator", "INVALID_REPORT"],
      ]);
      expect(result.errors?.[0]?.message).toMatch(
        /^the report has 3 problem\(s\); nothing was stored\. First, line 3, numerator: .*numerator 12 exceeds denominator 10/,
      );
      // a file that parses still goes through every rule, reported by line
      const second = await importFile(
        "2026-06",
        "CSV",
        Buffer.from(
          reportCsv([
            { indicator: percent.code, unit: COMMUNES[0], numerator: 5, denominator: 10 },
            { indicator: percent.code, unit: COMMUNES[1], numerator: 12, denominator: 10 },
            { indicator: percent.code, unit: "99999", numerator: 1, denominator: 10 },
          ]),
        ),
      );
      const ruleProblems = second.errors?.[0]?.extensions?.problems as {
        line: number;
        code: string;
      }[];
      expect(ruleProblems.map((p) => [p.line, p.code])).toEqual([
        [3, "INVALID_VALUE"],
        [4, "UNKNOWN_REPORTING_UNIT"],
      ]);
      expect(await count()).toBe(before);
    });

    if ((percent.categories?.length ?? 0) >= 2)
      it("says by how much a file's breakdown misses its total, and lists a bad category row beside it", async () => {
        const [first, second] = percent.categories!;
        const csv = reportCsv([
          { indicator: percent.code, unit: COMMUNES[0], numerator: 30, denominator: 50 },
          {
            indicator: percent.code,
            unit: COMMUNES[0],
            numerator: 20,
            denominator: 40,
            category: first,
          },
          {
            indicator: percent.code,
            unit: COMMUNES[0],
            numerator: 2,
            denominator: 4,
            category: second,
          },
          { indicator: percent.code, unit: COMMUNES[1], numerator: 5, denominator: 10 },
          {
            indicator: percent.code,
            unit: COMMUNES[1],
            numerator: "x",
            denominator: 10,
            category: first,
          },
        ]);
        const before = await count();
        const result = await importFile("2026-06", "CSV", Buffer.from(csv));
        const problems = result.errors?.[0]?.extensions?.problems as {
          line: number;
          column: string;
          message: string;
        }[];
        expect(problems.map((p) => [p.line, p.column])).toEqual([
          [2, "numerator, denominator"],
          [6, "numerator"],
        ]);
        expect(problems[0]!.message).toContain(
          "the breakdown does not add up to the total: numerator total 30, breakdown sum 22 (8 less); denominator total 50, breakdown sum 44 (6 less)",
        );
        expect(await count()).toBe(before);
      });

    it("refuses a file that is not a report", async () => {
      const result = await importFile("2026-06", "XLSX", Buffer.from("not a workbook"));
      expect(codeOf(result)).toBe("INVALID_REPORT");
      expect(result.errors?.[0]?.message).toMatch(/line 1: not a readable XLSX file/);
    });
  });

  describe(`${options.label}: refusals`, () => {
    const good = {
      indicator: percent.code,
      unit: COMMUNES[2],
      period: "2026-05",
      numerator: 1,
      denominator: 2,
    };
    const refusals: [string, Record<string, unknown>, string, Record<string, string>?][] = [
      ["a numerator above its denominator", { numerator: 3, denominator: 2 }, "INVALID_VALUE"],
      ["a negative numerator", { numerator: -1 }, "INVALID_VALUE"],
      [
        "a percentage given as a value",
        { numerator: null, denominator: null, value: 50 },
        "INVALID_VALUE",
      ],
      ["a future month", { period: "2026-12" }, "FUTURE_PERIOD"],
      ["a month not written YYYY-MM", { period: "2026-5" }, "INVALID_PERIOD"],
      ["a month before tracking began", { period: "2024-12" }, "INVALID_PERIOD"],
      ["an unknown indicator", { indicator: "IX.1" }, "UNKNOWN_INDICATOR"],
      ["an unknown reporting unit", { unit: "00000" }, "UNKNOWN_REPORTING_UNIT"],
      ["another agency's write", {}, "FORBIDDEN", { "x-p06-agency": options.stranger }],
      ["a write without a calling agency", {}, "UNAUTHENTICATED", {}],
    ];
    if (options.cityOnly)
      refusals.push([
        "a city-only indicator for a commune",
        { indicator: options.cityOnly },
        "INVALID_VALUE",
      ]);
    if (percent.categories?.length) {
      refusals.push([
        "a breakdown that does not add up",
        { breakdown: [{ category: percent.categories[0], numerator: 1, denominator: 1 }] },
        "INVALID_VALUE",
      ]);
      refusals.push([
        "an unknown category",
        { breakdown: [{ category: "elsewhere", numerator: 1, denominator: 2 }] },
        "INVALID_VALUE",
      ]);
    }

    it.each(refusals)("refuses %s with %s and stores nothing", async (_, change, code, headers) => {
      const before = await count();
      const result = await submit({ ...good, ...change }, headers ?? as);
      expect(codeOf(result)).toBe(code);
      expect(result.errors?.[0]?.message.length).toBeGreaterThan(10);
      expect(await count()).toBe(before);
    });

    it("refuses a whole report when one figure is bad, and stores none of it", async () => {
      const before = await count();
      const result = await report("2026-04", [
        { indicator: percent.code, unit: COMMUNES[0], numerator: 1, denominator: 2 },
        { indicator: percent.code, unit: COMMUNES[1], numerator: 3, denominator: 2 },
        { indicator: percent.code, unit: COMMUNES[0], numerator: 1, denominator: 2 },
      ]);
      expect(codeOf(result)).toBe("INVALID_REPORT");
      const problems = result.errors?.[0]?.extensions?.problems as {
        index: number;
        code: string;
      }[];
      expect(problems.map((p) => [p.index, p.code])).toEqual([
        [1, "INVALID_VALUE"],
        [2, "INVALID_VALUE"],
      ]);
      expect(await count()).toBe(before);
    });
  });

  describe(`${options.label}: batching`, () => {
    it("resolves 500 value entities in one _entities call from memory, with no database query", async () => {
      const representations = Array.from({ length: 500 }, (_, i) => ({
        __typename: `${prefix}Value`,
        indicator: percent.code,
        unit: COMMUNES[i % 3],
        period: `2026-${String((i % 10) + 1).padStart(2, "0")}`,
      }));
      database.commands.length = 0;
      const result = await server.execute<{ _entities: ({ value: number } | null)[] }>(
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${prefix}Value { indicator unit period value } } }`,
        { r: representations },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(500);
      expect(result.data?._entities.filter((e) => e !== null).length).toBeGreaterThan(0);
      expect(database.commands.filter((c) => c.name !== "endSessions")).toEqual([]);
    });
  });
}
