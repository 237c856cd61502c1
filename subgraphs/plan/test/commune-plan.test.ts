// Each commune's implementation plan (section VII.1) through the plan subgraph over a real database:
// recorded by the IOC reviewer or the commune's chairman with the person, in the audit trail, on the
// unit and in the commune's score; refused with a clear error for bad input, for a caller without the
// role and for a chairman of another commune, storing nothing.
import { ApolloServer } from "@apollo/server";
import { createLogger, type Role, type SubgraphRuntime } from "@p06/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../../../test/support/database.js";
import { todayInVietnam } from "../src/review.js";
import { buildPlanSchema, openPlan, planModels, type PlanContext } from "../src/schema.js";

const database = useTestDatabase("commune_plan");
const demoDatabase = useTestDatabase("commune_plan_demo");
let runtime: SubgraphRuntime<PlanContext>;
let server: ApolloServer<PlanContext>;

const COMMUNE = "10507";
const REVIEWER = { id: "police-1", name: "Trần Văn Bình" };
const RECORD = `mutation ($input: CommunePlanInput!) {
  recordCommunePlan(input: $input) {
    unit { code name } issuedOn documentNumber onTime recordedBy recordedByPerson { name } recordedAt
  }
}`;
const SCORE = `query ($code: ID!) {
  review(year: 2026, period: "2026-10") {
    commune(code: $code) {
      monthlyScore { tasks }
      implementationPlan { documentNumber issuedOn }
    }
  }
  reportingUnit(code: $code) { implementationPlan { documentNumber } }
}`;

type As = { caller: string | null; roles: Role[]; commune?: string };

async function execute(
  query: string,
  variables: Record<string, unknown>,
  as: As = { caller: "IOC", roles: ["ioc-reviewer"] },
) {
  const response = await server.executeOperation(
    { query, variables },
    {
      contextValue: runtime.context({ ...as, person: as.caller ? REVIEWER : null }) as PlanContext,
    },
  );
  if (response.body.kind !== "single") throw new Error("expected a single result");
  return response.body.singleResult;
}

const record = (input: Record<string, unknown>, as?: As) =>
  execute(RECORD, { input: { unit: COMMUNE, ...input } }, as);

beforeAll(async () => {
  runtime = await openPlan(database.db, createLogger("plan", "silent"), { followMs: 0 });
  server = new ApolloServer<PlanContext>({ schema: buildPlanSchema() });
});
afterAll(() => runtime.close());

describe("recording a commune's implementation plan", () => {
  it("counts nothing before it is recorded: the plan part is 0 once due", async () => {
    const { data, errors } = await execute(SCORE, { code: COMMUNE });
    expect(errors).toBeUndefined();
    expect(data).toMatchObject({
      review: { commune: { monthlyScore: { tasks: 0 }, implementationPlan: null } },
      reportingUnit: { implementationPlan: null },
    });
  });

  it("records it for the IOC reviewer with the person, in the audit trail, and shows it in the score", async () => {
    const { data, errors } = await record({
      issuedOn: "2026-07-02",
      documentNumber: "  87/KH-UBND ",
    });
    expect(errors).toBeUndefined();
    expect(data!.recordCommunePlan).toMatchObject({
      unit: { code: COMMUNE },
      issuedOn: "2026-07-02",
      documentNumber: "87/KH-UBND",
      onTime: false,
      recordedBy: "IOC",
      recordedByPerson: { name: REVIEWER.name },
    });
    const audit = await runtime
      .context({ caller: "IOC" })
      .values.models.Audit.find({
        action: "commune-plan.record",
      })
      .lean()
      .exec();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: "IOC",
      person: REVIEWER,
      subject: `commune plan ${COMMUNE}`,
      before: null,
      after: { issuedOn: "2026-07-02", documentNumber: "87/KH-UBND" },
    });
    const shown = await execute(SCORE, { code: COMMUNE });
    // issued after 15 June 2026: half the part
    expect(shown.data).toMatchObject({
      review: {
        commune: {
          monthlyScore: { tasks: 50 },
          implementationPlan: { documentNumber: "87/KH-UBND", issuedOn: "2026-07-02" },
        },
      },
      reportingUnit: { implementationPlan: { documentNumber: "87/KH-UBND" } },
    });
  });

  it("keeps every record, the latest counting: a corrected date before the due date earns the whole part", async () => {
    const { errors } = await record({ issuedOn: "2026-06-12", documentNumber: "41/KH-UBND" });
    expect(errors).toBeUndefined();
    expect(await planModels(database.db).CommunePlan.countDocuments({ unit: COMMUNE })).toBe(2);
    const { data } = await execute(SCORE, { code: COMMUNE });
    expect(data).toMatchObject({
      review: { commune: { monthlyScore: { tasks: 100 } } },
      reportingUnit: { implementationPlan: { documentNumber: "41/KH-UBND" } },
    });
    const audit = await runtime
      .context({ caller: "IOC" })
      .values.models.Audit.find({
        action: "commune-plan.record",
      })
      .sort({ at: 1 })
      .lean()
      .exec();
    expect(audit.at(-1)).toMatchObject({
      before: { documentNumber: "87/KH-UBND" },
      after: { documentNumber: "41/KH-UBND" },
    });
  });
});

describe("a commune's chairman", () => {
  it("records their own commune's plan, audited as the commune with the person", async () => {
    const chair = { caller: "COMMUNE", roles: ["commune-chair"] as Role[], commune: "10525" };
    const { data, errors } = await execute(
      RECORD,
      { input: { unit: "10525", issuedOn: "2026-06-13", documentNumber: "19/KH-UBND" } },
      chair,
    );
    expect(errors).toBeUndefined();
    expect(data!.recordCommunePlan).toMatchObject({
      unit: { code: "10525" },
      onTime: true,
      recordedBy: "COMMUNE",
      recordedByPerson: { name: REVIEWER.name },
    });
    const audit = await runtime
      .context({ caller: "IOC" })
      .values.models.Audit.findOne({
        subject: "commune plan 10525",
      })
      .lean()
      .exec();
    expect(audit).toMatchObject({
      actor: "COMMUNE",
      person: REVIEWER,
      action: "commune-plan.record",
    });
  });
});

describe("a record refused, nothing stored", () => {
  const tomorrow = new Date(Date.parse(`${todayInVietnam()}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const valid = { issuedOn: "2026-06-12", documentNumber: "41/KH-UBND" };

  it.each([
    ["a day in the future", { issuedOn: tomorrow }, "issuedOn", /in the future/],
    ["a day that is not one", { issuedOn: "2026-02-30" }, "issuedOn", /YYYY-MM-DD/],
    [
      "a day before the city's plan",
      { issuedOn: "2026-05-20" },
      "issuedOn",
      /before the city's plan/,
    ],
    ["a number too short", { documentNumber: " 4 " }, "documentNumber", /3 to 60 characters/],
    ["a number too long", { documentNumber: "9".repeat(61) }, "documentNumber", /3 to 60/],
    ["a number on two lines", { documentNumber: "41/KH\nUBND" }, "documentNumber", /one line/],
    ["the city", { unit: "31" }, "unit", /not an active commune/],
    ["a unit that does not exist", { unit: "99999" }, "unit", /not an active commune/],
  ])("%s", async (_, input, argumentName, message) => {
    const before = await planModels(database.db).CommunePlan.countDocuments();
    const { data, errors } = await record({ ...valid, ...input });
    expect(data).toBeNull();
    expect(errors![0]!.message).toMatch(message);
    expect(errors![0]!.extensions).toMatchObject({ code: "BAD_USER_INPUT", argumentName });
    expect(await planModels(database.db).CommunePlan.countDocuments()).toBe(before);
  });

  const both = ["ioc-reviewer", "commune-chair"];
  it.each([
    ["an anonymous caller", { caller: null, roles: [] }, "UNAUTHENTICATED", null],
    ["an agency's data officer", { caller: "DOH", roles: ["data-officer"] }, "FORBIDDEN", both],
    ["an agency's head", { caller: "POLICE", roles: ["agency-head"] }, "FORBIDDEN", both],
    ["the IOC's viewer", { caller: "IOC", roles: ["ioc-viewer"] }, "FORBIDDEN", ["ioc-reviewer"]],
    [
      "a commune's data officer",
      { caller: "COMMUNE", roles: ["commune-officer"], commune: COMMUNE },
      "FORBIDDEN",
      ["commune-chair"],
    ],
  ] as [string, As, string, string[] | null][])("for %s", async (_, as, code, roles) => {
    const before = await planModels(database.db).CommunePlan.countDocuments();
    const { data, errors } = await record(valid, as);
    expect(data).toBeNull();
    expect(errors![0]!.extensions!.code).toBe(code);
    if (roles) {
      expect(errors![0]!.message).toContain(
        `recording a commune's implementation plan needs the role ${roles.join(" or ")}`,
      );
      expect(errors![0]!.extensions!.roles).toEqual(roles);
    }
    expect(await planModels(database.db).CommunePlan.countDocuments()).toBe(before);
  });

  it("for a commune's chairman, another commune's plan", async () => {
    const before = await planModels(database.db).CommunePlan.countDocuments();
    const { data, errors } = await record(
      { ...valid, unit: "10525" },
      { caller: "COMMUNE", roles: ["commune-chair"], commune: COMMUNE },
    );
    expect(data).toBeNull();
    expect(errors![0]!.message).toMatch(/their own commune's plan \(10507\), not 10525's/);
    expect(errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(await planModels(database.db).CommunePlan.countDocuments()).toBe(before);
  });
});

describe("a demo database", () => {
  it("gets a believable share of communes with their plan issued, none after now, loaded once", async () => {
    const open = () =>
      openPlan(demoDatabase.db, createLogger("plan", "silent"), { followMs: 0, demo: true });
    const first = await open();
    try {
      const plans = [...first.state.communePlans.values()];
      expect(plans.length).toBeGreaterThan(80);
      expect(plans.length).toBeLessThan(110);
      expect(plans.every((p) => p.issuedOn >= "2026-06-09" && p.issuedOn <= todayInVietnam())).toBe(
        true,
      );
      expect(plans.every((p) => p.recordedAt.getTime() <= Date.now())).toBe(true);
    } finally {
      await first.close();
    }
    // a restart keeps them as they were, adding none
    const again = await open();
    try {
      expect(await planModels(demoDatabase.db).CommunePlan.countDocuments()).toBe(
        again.state.communePlans.size,
      );
    } finally {
      await again.close();
    }
  }, 120_000);
});
