// The plan subgraph over a real database: seeding, the catalogue queries, entities, batching.
import { createLogger, type CityMonth, type SubgraphRuntime } from "@p06/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inProcessServer } from "../../../test/support/execute.js";
import { useTestDatabase } from "../../../test/support/database.js";
import {
  buildPlanSchema,
  importReportingUnits,
  openPlan,
  type PlanContext,
  parseReportingUnits,
  planModels,
  seedCatalogue,
} from "../src/schema.js";
import { standInGraph, type StandInGraph } from "./support/stand-in-graph.js";

const database = useTestDatabase("plan_subgraph");
let server: ReturnType<typeof inProcessServer>;
let runtime: SubgraphRuntime<PlanContext>;
let graph: StandInGraph;
/** The city series each agency gives the plan through the graph, by indicator (none: no months). */
const agencySeries = new Map<string, Record<string, CityMonth[]>>();

beforeAll(async () => {
  graph = await standInGraph((spec) =>
    Object.entries(agencySeries.get(spec.name) ?? {}).map(([code, citySeries]) => ({
      code,
      measure: code === "III.4" ? "COUNT" : "PERCENT",
      timeAggregation: code === "III.4" ? "FLOW" : "STOCK",
      citySeries,
    })),
  );
  runtime = await openPlan(database.db, createLogger("plan", "silent"), {
    followMs: 0,
    graphReader: graph.reader,
  });
  server = inProcessServer(buildPlanSchema(), runtime.context);
});
afterAll(async () => {
  await runtime.close();
  await graph.close();
});

describe("seeding", () => {
  it("loads 56 indicators, 54 tasks and the city with its 114 units", async () => {
    const models = planModels(database.db);
    expect(await models.Indicator.countDocuments()).toBe(56);
    expect(await models.Task.countDocuments()).toBe(54);
    expect(await models.ReportingUnit.countDocuments()).toBe(115);
  });

  it("seeds again without duplicating anything", async () => {
    const again = await seedCatalogue(planModels(database.db));
    expect(again).toMatchObject({ indicators: 56, tasks: 54, reportingUnits: 115 });
  });
});

describe("catalogue queries", () => {
  it("answers an indicator with its targets and agencies", async () => {
    const { data, errors } = await server.execute(`{
      indicator(code: "III.3") {
        __typename code title titleVi unit
        group { code title }
        targets { year raw value comparator kind }
        target(year: 2026) { raw }
        trackingAgencies { code name }
        owner { code nameVi }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.indicator).toEqual({
      __typename: "IdentityIndicator",
      code: "III.3",
      title: expect.any(String),
      titleVi: "Tỷ lệ người dân Việt Nam được cấp căn cước có tài khoản định danh điện tử mức độ 2",
      unit: "%",
      group: { code: "III", title: "Supporting digital citizen development" },
      targets: [
        { year: 2026, raw: "≥80", value: 80, comparator: "AT_LEAST", kind: "NUMERIC" },
        { year: 2030, raw: "100", value: 100, comparator: "EQUAL", kind: "NUMERIC" },
      ],
      target: { raw: "≥80" },
      trackingAgencies: [{ code: "POLICE", name: "City Police" }],
      owner: { code: "POLICE", nameVi: "Công an thành phố" },
    });
  });

  it("filters indicators by group and by tracking agency, in the plan's order", async () => {
    const { data } = await server.execute<{
      byGroup: { code: string }[];
      byAgency: { code: string }[];
    }>(`{
      byGroup: indicators(group: "VI") { code }
      byAgency: indicators(agency: "DOH") { code }
    }`);
    expect(data?.byGroup.map((i) => i.code)).toEqual(["VI.1", "VI.2", "VI.3", "VI.4"]);
    expect(data?.byAgency.map((i) => i.code)).toEqual(["II.5", "II.12", "II.13", "II.14"]);
  });

  it("answers tasks with parsed deadlines, filtered by group and lead agency", async () => {
    const { data, errors } = await server.execute<{
      task: Record<string, unknown>;
      led: { code: string }[];
      groups: { code: string; declaredTaskCount: number; tasks: unknown[] }[];
    }>(`{
      task(code: "IV.7") {
        code timingVi deadline { kind date milestones }
        leadAgencies { code } coordinatingAgencies { code } group { code }
      }
      led: tasks(group: "VII", leadAgency: "DOHA") { code }
      groups: taskGroups { code declaredTaskCount tasks { code } }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.task).toEqual({
      code: "IV.7",
      timingVi: "Đánh giá theo các mốc năm 2027, 2030",
      deadline: {
        kind: "MILESTONES",
        date: "2030-12-31",
        milestones: ["2027-12-31", "2030-12-31"],
      },
      leadAgencies: [{ code: "POLICE" }],
      coordinatingAgencies: [{ code: "ALL_SECTORS" }],
      group: { code: "IV" },
    });
    expect(data?.led.map((t) => t.code)).toEqual(["VII.4", "VII.5", "VII.6"]);
    for (const group of data?.groups ?? [])
      expect(group.tasks).toHaveLength(group.declaredTaskCount);
  });

  it("lists agencies and reporting units, the city first", async () => {
    const { data, errors } = await server.execute<{
      agencies: { code: string }[];
      reportingUnits: { code: string; kind: string; parent: { code: string } | null }[];
      zones: { name: string }[];
    }>(`{
      agencies { code }
      reportingUnits { code kind parent { code } }
      zones: reportingUnits(kind: SPECIAL_ZONE) { name }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.agencies.map((a) => a.code)).toContain("DOH");
    expect(data?.reportingUnits).toHaveLength(115);
    expect(data?.reportingUnits[0]).toEqual({ code: "31", kind: "CITY", parent: null });
    expect(data?.reportingUnits[1]?.parent).toEqual({ code: "31" });
    expect(data?.zones.map((z) => z.name).sort()).toEqual([
      "Đặc khu Bạch Long Vĩ",
      "Đặc khu Cát Hải",
    ]);
  });

  it("answers null for a code that does not exist", async () => {
    const { data, errors } = await server.execute(
      `{ indicator(code: "IX.9") { code } task(code: "XI.1") { code } }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ indicator: null, task: null });
  });

  it("refuses an unknown group or agency with BAD_USER_INPUT naming the argument", async () => {
    const { errors } = await server.execute(`{ indicators(group: "VII") { code } }`);
    expect(errors?.[0]?.message).toBe('unknown group "VII": expected one of I, II, III, IV, V, VI');
    expect(errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "group",
    });
    const byAgency = await server.execute(`{ tasks(leadAgency: "NOPE") { code } }`);
    expect(byAgency.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "leadAgency",
    });
  });
});

describe("entities", () => {
  const entities = `query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Indicator { code title }
      ... on Task { code deadline { kind } }
      ... on Agency { code name }
      ... on ReportingUnit { code name }
    }
  }`;

  it("resolves every @key: Indicator (interface and types), Task, Agency, ReportingUnit", async () => {
    const { data, errors } = await server.execute<{ _entities: unknown[] }>(entities, {
      representations: [
        { __typename: "Indicator", code: "I.1" },
        { __typename: "PlanIndicator", code: "II.9" },
        { __typename: "PlanIndicator", code: "V.2" },
        { __typename: "Task", code: "X.5" },
        { __typename: "Agency", code: "SBV6" },
        { __typename: "ReportingUnit", code: "10507" },
        { __typename: "Indicator", code: "none" },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data?._entities).toEqual([
      { __typename: "ProceduresIndicator", code: "I.1", title: expect.any(String) },
      { __typename: "PlanIndicator", code: "II.9", title: expect.any(String) },
      null,
      { __typename: "Task", code: "X.5", deadline: { kind: "ONGOING" } },
      { __typename: "Agency", code: "SBV6", name: "State Bank of Vietnam, Region 6" },
      { __typename: "ReportingUnit", code: "10507", name: "Phường Thành Đông" },
      null,
    ]);
  });

  it("answers N entity references from memory, with no database query", async () => {
    const codes = (await planModels(database.db).Indicator.find().lean()).map((i) => i.code);
    database.commands.length = 0;
    const { data } = await server.execute<{
      _entities: { code: string; owner: { code: string } | null }[];
    }>(
      `query ($representations: [_Any!]!) {
        _entities(representations: $representations) {
          ... on Indicator { code owner { code } trackingAgencies { code } }
        }
      }`,
      { representations: codes.map((code) => ({ __typename: "Indicator", code })) },
    );
    expect(data?._entities.map((e) => e.code)).toEqual(codes);
    expect(data?._entities.every((e) => e.owner?.code)).toBe(true);
    expect(database.commands.filter((c) => c.name !== "endSessions")).toEqual([]);
  });
});

describe("importing a newer reporting-unit list", () => {
  it("adds, renames and deactivates units, never deleting one", async () => {
    const models = planModels(database.db);
    const rows = parseReportingUnits(
      ["code,name,type", "10507,Phường Thành Đông Mới,phường", "99999,Xã Thử Nghiệm,xã"].join("\n"),
    );
    const summary = await importReportingUnits(models, rows);
    await runtime.sync();
    expect(summary).toMatchObject({ added: ["99999"], renamed: ["10507"], unchanged: 0 });
    expect(summary.deactivated).toHaveLength(113);
    expect(await models.ReportingUnit.countDocuments()).toBe(116);
    const { data, errors } = await server.execute<{ active: unknown[]; all: unknown[] }>(
      `{ active: reportingUnits { code } all: reportingUnits(includeInactive: true) { code } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.active).toHaveLength(3);
    expect(data?.all).toHaveLength(116);
    // a restart's seeding does not undo the import
    await seedCatalogue(models);
    expect(await models.ReportingUnit.countDocuments({ active: true })).toBe(3);
  });
});

describe("indicator types and series", () => {
  it("gives each indicator its reporting agency's type, the rest stay the plan's", async () => {
    const { data } = await server.execute<{ indicators: { code: string; __typename: string }[] }>(
      `{ indicators { code __typename } }`,
    );
    const types = Object.fromEntries(data!.indicators.map((i) => [i.code, i.__typename]));
    expect(types).toMatchObject({
      "I.5": "ProceduresIndicator",
      "III.3": "IdentityIndicator",
      "II.5": "HealthIndicator",
      "III.9": "EducationIndicator",
      "V.2": "SocialSecurityIndicator",
      "II.9": "PlanIndicator",
      "IV.10": "PlanIndicator",
    });
  });

  const month = (
    period: string,
    numerator: number,
    denominator: number,
    reportingUnits: number,
  ): CityMonth => ({
    period,
    numerator,
    denominator,
    value: (numerator / denominator) * 100,
    met: null,
    reportingUnits,
    source: "AGGREGATED" as const,
  });

  it("combines the hospitals' and the schools' figures of the shared indicator II.5", async () => {
    // what health and education give the plan through the graph: their parts of II.5
    agencySeries.set("health", {
      "II.5": [month("2026-09", 30, 100, 10), month("2026-10", 40, 100, 10)],
    });
    agencySeries.set("education", { "II.5": [month("2026-10", 60, 300, 20)] });
    const { data, errors } = await server.execute<{ indicator: { series: unknown[] } }>(
      `{ indicator(code: "II.5") { series { period numerator denominator value reportingUnits source } } }`,
    );
    expect(errors).toBeUndefined();
    // September: the schools had not reported yet, so the month is left out rather than stand on hospitals alone
    expect(data?.indicator.series).toEqual([
      // (40 + 60) / (100 + 300) = 25%, not the 30% average of 40% and 20%
      {
        period: "2026-10",
        numerator: 100,
        denominator: 400,
        value: 25,
        reportingUnits: 30,
        source: "AGGREGATED",
      },
    ]);
  });

  it("holds the figures of an agency without a subgraph, written by that agency only", async () => {
    const submit = (agency: string) =>
      server.execute(
        `mutation { submitPlanValue(input: { indicator: "II.9", unit: "31", period: "2026-09", numerator: 27.5, denominator: 1 }) { value reportedBy } }`,
        {},
        { "x-p06-agency": agency },
      );
    expect((await submit("DOST")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect((await submit("SBV6")).data).toEqual({
      submitPlanValue: { value: 27.5, reportedBy: "SBV6" },
    });
    const { data } = await server.execute(
      `{ indicator(code: "II.9") { ... on PlanIndicator { measure series { period value source } } } }`,
    );
    expect(data?.indicator).toEqual({
      measure: "RATIO",
      series: [{ period: "2026-09", value: 27.5, source: "DIRECT" }],
    });
  });
});

describe("task status and assigned targets", () => {
  const update = (agency: string, input: string) =>
    server.execute(
      `mutation { updateTaskStatus(input: { ${input} }) { code status overdue(asOf: "2027-01-15") updates { status note evidenceUrl updatedBy } } }`,
      {},
      { "x-p06-agency": agency },
    );

  it("lets a lead agency update its task, keeping every update, and computes overdue", async () => {
    const first = await update(
      "DOST",
      `code: "II.2", status: IN_PROGRESS, note: "Contract signed"`,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data?.updateTaskStatus).toMatchObject({
      code: "II.2",
      status: "IN_PROGRESS",
      overdue: true,
    });
    const second = await update(
      "DOST",
      `code: "II.2", status: DONE, evidenceUrl: "https://example.org/report.pdf"`,
    );
    expect(second.data?.updateTaskStatus).toMatchObject({
      status: "DONE",
      overdue: false,
      updates: [
        { status: "IN_PROGRESS", note: "Contract signed", evidenceUrl: null, updatedBy: "DOST" },
        {
          status: "DONE",
          note: null,
          evidenceUrl: "https://example.org/report.pdf",
          updatedBy: "DOST",
        },
      ],
    });
  });

  it("refuses another agency's task, a missing caller and a link that is not http(s)", async () => {
    expect((await update("DOH", `code: "II.2", status: DONE`)).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
    expect(
      (
        await server.execute(
          `mutation { updateTaskStatus(input: { code: "II.2", status: DONE }) { code } }`,
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe("UNAUTHENTICATED");
    const link = await update(
      "DOST",
      `code: "II.2", status: DONE, evidenceUrl: "javascript:alert(1)"`,
    );
    expect(link.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argumentName: "evidenceUrl",
    });
  });

  it("leaves task statuses to lead agencies, not the IOC", async () => {
    expect((await update("IOC", `code: "I.4", status: DONE`)).errors?.[0]?.extensions?.code).toBe(
      "FORBIDDEN",
    );
  });

  it("lets any agency update a task led by all departments", async () => {
    expect(
      (await update("DOH", `code: "I.4", status: IN_PROGRESS`)).data?.updateTaskStatus,
    ).toMatchObject({ status: "IN_PROGRESS" });
  });

  it("pages the lists that grow: reporting units, a task's updates, late reports", async () => {
    const review = {
      __typename: "ProgressReview",
      year: 2026,
      period: "2026-10",
      identity: {
        agencies: ["POLICE"],
        indicators: [],
        reporting: [
          {
            code: "III.3",
            agencies: ["POLICE"],
            expected: 114,
            received: 0,
            onTime: 0,
            missingUnits: ["10507", "10525", "10532"],
            lateUnits: [],
          },
        ],
      },
    };
    const { data, errors } = await server.execute<{
      units: { code: string }[];
      unitsPage: { code: string }[];
      task: { updates: { status: string }[]; page: { status: string }[] };
      _entities: { late: unknown[]; page: unknown[] }[];
    }>(
      `query ($r: [_Any!]!) {
        units: reportingUnits { code }
        unitsPage: reportingUnits(limit: 2, offset: 1) { code }
        task(code: "II.2") {
          updates { status }
          page: updates(limit: 1, offset: 1) { status }
        }
        _entities(representations: $r) {
          ... on ProgressReview {
            late: lateReporting { agency { code } unit { code } missing { code } }
            page: lateReporting(limit: 2, offset: 1) { agency { code } unit { code } missing { code } }
          }
        }
      }`,
      { r: [review] },
    );
    expect(errors).toBeUndefined();
    expect(data?.unitsPage).toEqual(data?.units.slice(1, 3));
    expect(data?.task.updates.length).toBeGreaterThanOrEqual(2);
    expect(data?.task.page).toEqual(data?.task.updates.slice(1, 2));
    const [{ late, page }] = data!._entities as [{ late: unknown[]; page: unknown[] }];
    expect(late.length).toBeGreaterThan(3);
    expect(page).toEqual(late.slice(1, 3));

    for (const [query, argumentName] of [
      ["{ reportingUnits(limit: 0) { code } }", "limit"],
      ["{ reportingUnits(limit: 2001) { code } }", "limit"],
      ['{ task(code: "II.2") { updates(offset: -1) { status } } }', "offset"],
    ] as const) {
      expect((await server.execute(query)).errors?.[0]?.extensions, query).toMatchObject({
        code: "BAD_USER_INPUT",
        argumentName,
      });
    }
  });

  const assign = (agency: string, input: string) =>
    server.execute(
      `mutation { setAssignedTarget(input: { ${input} }) { code targets { year raw value assigned { value comparator setBy } } } }`,
      {},
      { "x-p06-agency": agency },
    );

  it("lets the IOC set the number of a text target, which then judges progress", async () => {
    const result = await assign(
      "IOC",
      `indicator: "III.4", year: 2026, value: 500, note: "Decision 12/QĐ-BCA"`,
    );
    expect(result.errors).toBeUndefined();
    expect((result.data?.setAssignedTarget as { targets: unknown[] }).targets[0]).toEqual({
      year: 2026,
      raw: "Theo chỉ tiêu được giao",
      value: null,
      assigned: { value: 500, comparator: "AT_LEAST", setBy: "IOC" },
    });
    // the police's October, as identity gives the plan its series through the graph
    agencySeries.set("identity", {
      "III.4": [
        {
          period: "2026-10",
          numerator: null,
          denominator: null,
          value: 600,
          met: null,
          reportingUnits: 1,
          source: "DIRECT",
        },
      ],
    });
    const { data } = await server.execute(
      `{ indicator(code: "III.4") { progress(year: 2026) { status target { value } latest { value } } } }`,
    );
    expect(data?.indicator).toEqual({
      progress: { status: "ACHIEVED", target: { value: 500 }, latest: { value: 600 } },
    });
  });

  it("refuses an assignment from an agency, or to a target the plan gives as a number", async () => {
    expect(
      (await assign("POLICE", `indicator: "III.4", year: 2026, value: 1`)).errors?.[0]?.extensions
        ?.code,
    ).toBe("FORBIDDEN");
    const numeric = await assign("IOC", `indicator: "III.3", year: 2026, value: 90`);
    expect(numeric.errors?.[0]?.message).toBe(
      'indicator III.3 has no text target for 2026 to assign a number to (the plan sets "≥80")',
    );
  });
});
