// A commune's people through the gateway (issue 23, parts 1 and 2): a person acting for a commune
// carries its code in the token; they see what the commune owes every agency for a month in one
// request (each reporting subgraph adds its part to the plan's ReportingUnit), write their commune's
// figures of commune-level indicators, and read only their commune's figures and the city's. Each
// refusal is tested, and kept answers are never shared between two communes.
import type { Role } from "@p06/subgraph-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSystem, type Caller, type RunningSystem } from "./support/system.js";

let system: RunningSystem;
const PERIOD = "2026-10";
const HAI_DUONG = "10525";
const THANH_DONG = "10507";

const communePerson = (commune: string, roles: Role[] = ["commune-officer"]): Caller => ({
  agency: "COMMUNE",
  commune,
  person: { id: `person-${commune}`, name: `Cán bộ ${commune}` },
  roles,
});
const HAI_DUONG_OFFICER = communePerson(HAI_DUONG);
const THANH_DONG_OFFICER = communePerson(THANH_DONG);

const OBLIGATIONS = `indicator agencies status value reportedBy onBehalf lastMonthValue monthState dueAt`;
const communeMonth = `query CommuneMonth($code: ID!, $period: String!) {
  reportingUnit(code: $code) {
    code
    name
    identityObligations(period: $period) { obligations { ${OBLIGATIONS} } }
    proceduresObligations(period: $period) { obligations { ${OBLIGATIONS} } }
    healthObligations(period: $period) { obligations { ${OBLIGATIONS} } }
    educationObligations(period: $period) { obligations { ${OBLIGATIONS} } }
    socialSecurityObligations(period: $period) { dueAt obligations { ${OBLIGATIONS} } }
  }
}`;

interface Obligation {
  indicator: string;
  agencies: string[];
  status: string;
  value: number | null;
  reportedBy: string | null;
  onBehalf: boolean;
  lastMonthValue: number | null;
}
type UnitMonths = Record<string, { obligations: Obligation[]; dueAt?: string } | string>;

const codesOf = (errors: { extensions?: Record<string, unknown> }[] | undefined) =>
  (errors ?? []).map((error) => error.extensions?.code);

const submitHealth = (unit: string, period = PERIOD) =>
  `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${unit}", period: "${period}", numerator: 30, denominator: 40 }) { unit value reportedBy person { id } } }`;

beforeAll(async () => {
  system = await startSystem("commune_people");
}, 120_000);

afterAll(async () => {
  await system?.stop();
});

describe("a commune's month across the graph", () => {
  it("lists what the commune owes every reporting subgraph's agencies, from one request", async () => {
    // an agency typed last month's figure for the commune, on its behalf
    const typed = await system.query(
      `mutation { submitSocialSecurityValue(input: { indicator: "III.8", unit: "${HAI_DUONG}", period: "2026-09", numerator: 12, denominator: 16 }) { value } }`,
      {},
      "DOHA",
    );
    expect(typed.errors).toBeUndefined();

    const { data, errors } = await system.query<{ reportingUnit: UnitMonths }>(
      communeMonth,
      { code: HAI_DUONG, period: PERIOD },
      HAI_DUONG_OFFICER,
    );
    expect(errors).toBeUndefined();
    const unit = data!.reportingUnit;
    expect(unit.code).toBe(HAI_DUONG);
    expect(unit.name).toBe("Phường Hải Dương");
    const parts = Object.entries(unit).filter(
      (entry): entry is [string, { obligations: Obligation[] }] => typeof entry[1] === "object",
    );
    const withObligations = parts.filter(([, part]) => part.obligations.length > 0);
    expect(withObligations.length).toBeGreaterThanOrEqual(3);
    const all = parts.flatMap(([, part]) => part.obligations);
    // commune-level indicators only, each with the agencies that ask for it
    expect(all.map((o) => o.indicator)).toEqual(expect.arrayContaining(["II.12", "I.6", "III.8"]));
    expect(all.find((o) => o.indicator === "II.12")!.agencies).toEqual(["DOH"]);
    // due the 10th of November, Vietnam time; nothing in yet, and the due date has passed
    const security = unit.socialSecurityObligations as { dueAt: string; obligations: Obligation[] };
    expect(security.dueAt).toBe("2026-11-10T16:59:59.999Z");
    const thisMonth = security.obligations.find((o) => o.indicator === "III.8")!;
    expect(thisMonth).toMatchObject({ status: "MISSING", value: null, lastMonthValue: 75 });
  });

  it("is refused to another commune, and open to the agencies and the IOC", async () => {
    const other = await system.query(
      communeMonth,
      { code: HAI_DUONG, period: PERIOD },
      THANH_DONG_OFFICER,
    );
    expect(codesOf(other.errors)).toContain("FORBIDDEN");
    expect(other.errors![0]!.message).toMatch(/a commune reads its own month only/);
    for (const reader of ["IOC", "DOH"]) {
      const { errors } = await system.query(
        communeMonth,
        { code: HAI_DUONG, period: PERIOD },
        reader,
      );
      expect(errors).toBeUndefined();
    }
  });
});

describe("a commune's figures", () => {
  it("are written by the commune itself, and shown as its own in its month", async () => {
    const { data, errors } = await system.query<{
      submitHealthValue: {
        unit: string;
        value: number;
        reportedBy: string;
        person: { id: string };
      };
    }>(submitHealth(HAI_DUONG), {}, HAI_DUONG_OFFICER);
    expect(errors).toBeUndefined();
    expect(data!.submitHealthValue).toEqual({
      unit: HAI_DUONG,
      value: 75,
      reportedBy: "COMMUNE",
      person: { id: `person-${HAI_DUONG}` },
    });
    const month = await system.query<{ reportingUnit: UnitMonths }>(
      communeMonth,
      { code: HAI_DUONG, period: PERIOD },
      HAI_DUONG_OFFICER,
    );
    const health = month.data!.reportingUnit.healthObligations as { obligations: Obligation[] };
    expect(health.obligations.find((o) => o.indicator === "II.12")).toMatchObject({
      value: 75,
      reportedBy: "COMMUNE",
      onBehalf: false,
      status: "LATE",
    });
  });

  it("typed by the department stay possible, marked as entered on the commune's behalf", async () => {
    expect((await system.query(submitHealth(THANH_DONG), {}, "DOH")).errors).toBeUndefined();
    const month = await system.query<{ reportingUnit: UnitMonths }>(
      communeMonth,
      { code: THANH_DONG, period: PERIOD },
      THANH_DONG_OFFICER,
    );
    const health = month.data!.reportingUnit.healthObligations as { obligations: Obligation[] };
    expect(health.obligations.find((o) => o.indicator === "II.12")).toMatchObject({
      reportedBy: "DOH",
      onBehalf: true,
    });
  });

  it("of another commune are refused, in writing", async () => {
    const { errors } = await system.query(submitHealth(THANH_DONG), {}, HAI_DUONG_OFFICER);
    expect(codesOf(errors)).toEqual(["FORBIDDEN"]);
    expect(errors![0]!.message).toMatch(/a commune reports its own figures only: unit 10507/);
  });

  it("of a city-level indicator are refused", async () => {
    const listed = await system.query<{
      indicators: { code: string; reportingLevel?: string }[];
    }>(`{ indicators(agency: "PASC") { code ... on ProceduresIndicator { reportingLevel } } }`);
    const cityLevel = listed.data!.indicators.find((i) => i.reportingLevel === "CITY")!;
    expect(cityLevel).toBeDefined();
    const { errors } = await system.query(
      `mutation { submitProceduresValue(input: { indicator: "${cityLevel.code}", unit: "${HAI_DUONG}", period: "${PERIOD}", value: 1, numerator: 1, denominator: 2 }) { value } }`,
      {},
      HAI_DUONG_OFFICER,
    );
    expect(codesOf(errors)).toEqual(["FORBIDDEN"]);
    expect(errors![0]!.message).toMatch(/reported for the city by PASC, not by a commune/);
  });

  it("of another commune are not read; its own and the city's are, and never from another's kept answer", async () => {
    const valuesOf = `{ indicator(code: "II.12") { ... on HealthIndicator { values(from: "${PERIOD}", to: "${PERIOD}") { unit value } } } }`;
    type Values = { indicator: { values: { unit: string }[] } };
    const ioc = await system.query<Values>(valuesOf);
    expect(ioc.data!.indicator.values.map((v) => v.unit).sort()).toEqual([THANH_DONG, HAI_DUONG]);
    // asked twice by each commune: a kept answer is one commune's own
    for (const [caller, own] of [
      [HAI_DUONG_OFFICER, HAI_DUONG],
      [THANH_DONG_OFFICER, THANH_DONG],
      [HAI_DUONG_OFFICER, HAI_DUONG],
      [THANH_DONG_OFFICER, THANH_DONG],
    ] as const) {
      const { data, errors } = await system.query<Values>(valuesOf, {}, caller);
      expect(errors).toBeUndefined();
      expect(data!.indicator.values.map((v) => v.unit)).toEqual([own]);
    }
    const history = await system.query(
      `{ indicator(code: "II.12") { ... on HealthIndicator { history(unit: "${THANH_DONG}", period: "${PERIOD}") { value } } } }`,
      {},
      HAI_DUONG_OFFICER,
    );
    expect(codesOf(history.errors)).toEqual(["FORBIDDEN"]);
    const exported = await system.query(
      `{ healthDataValues(period: "${PERIOD}") { orgUnit } }`,
      {},
      HAI_DUONG_OFFICER,
    );
    expect(codesOf(exported.errors)).toEqual(["FORBIDDEN"]);
  });
});

describe("two-level review: the commune, then its agency, then the IOC", () => {
  const chair = communePerson(HAI_DUONG, ["commune-chair"]);
  const head = (agency: string): Caller => ({
    agency,
    person: { id: `${agency.toLowerCase()}.lanhdao`, name: `Lãnh đạo ${agency}` },
    roles: ["agency-head"],
  });
  const REVIEWS = `reviews { agency state reason steps { state by person { id } reason } }`;
  const submitCommune = `mutation { submitHealthCommuneMonth(unit: "${HAI_DUONG}", period: "${PERIOD}") { ${REVIEWS} } }`;
  const reviewCommune = (prefix: string, unit: string, decision: string, reason?: string) =>
    `mutation { review${prefix}CommuneMonth(input: { unit: "${unit}", period: "${PERIOD}", decision: ${decision}${reason ? `, reason: "${reason}"` : ""} }) { ${REVIEWS} } }`;
  type Reviewed = Record<
    string,
    { reviews: { agency: string; state: string; reason: string | null }[] }
  >;
  const stateOf = (data: Reviewed | undefined, field: string) => data?.[field]?.reviews[0];
  const submitDohMonth = `mutation { submitHealthMonth(period: "${PERIOD}") { state } }`;

  it("goes from the commune to the department, which returns, then accepts; then to the IOC", async () => {
    // the data officer enters, the chairman submits
    const officer = await system.query(submitCommune, {}, HAI_DUONG_OFFICER);
    expect(codesOf(officer.errors)).toEqual(["FORBIDDEN"]);
    expect(officer.errors![0]!.message).toMatch(/needs the role commune-chair/);
    const submitted = await system.query<Reviewed>(submitCommune, {}, chair);
    expect(submitted.errors).toBeUndefined();
    expect(stateOf(submitted.data, "submitHealthCommuneMonth")).toMatchObject({
      agency: "DOH",
      state: "SUBMITTED",
    });
    // submitted figures wait for the department: the commune cannot change them meanwhile
    const locked = await system.query(submitHealth(HAI_DUONG), {}, HAI_DUONG_OFFICER);
    expect(codesOf(locked.errors)).toEqual(["MONTH_UNDER_REVIEW"]);
    // the department's month waits for its communes
    const early = await system.query(submitDohMonth, {}, head("DOH"));
    expect(codesOf(early.errors)).toEqual(["COMMUNES_PENDING"]);
    expect(early.errors![0]!.extensions).toMatchObject({ communes: [HAI_DUONG] });

    // another department cannot decide on it
    const other = await system.query(
      reviewCommune("Health", HAI_DUONG, "ACCEPT"),
      {},
      head("DOET"),
    );
    expect(codesOf(other.errors)).toEqual(["FORBIDDEN"]);
    expect(other.errors![0]!.message).toMatch(
      /DOET asks communes for no figure through this subgraph/,
    );
    // returning needs a reason; with one, the commune corrects and submits again
    const bare = await system.query(reviewCommune("Health", HAI_DUONG, "RETURN"), {}, head("DOH"));
    expect(bare.errors?.[0]?.message).toMatch(/say why \(reason\)/);
    const returned = await system.query<Reviewed>(
      reviewCommune("Health", HAI_DUONG, "RETURN", "Mẫu số không khớp sổ khám bệnh"),
      {},
      head("DOH"),
    );
    expect(stateOf(returned.data, "reviewHealthCommuneMonth")).toMatchObject({
      state: "RETURNED",
      reason: "Mẫu số không khớp sổ khám bệnh",
    });
    const corrected = await system.query(
      `mutation { submitHealthValue(input: { indicator: "II.12", unit: "${HAI_DUONG}", period: "${PERIOD}", numerator: 30, denominator: 42 }) { version } }`,
      {},
      HAI_DUONG_OFFICER,
    );
    expect(corrected.errors).toBeUndefined();
    expect((await system.query(submitCommune, {}, chair)).errors).toBeUndefined();
    const accepted = await system.query<Reviewed>(
      reviewCommune("Health", HAI_DUONG, "ACCEPT"),
      {},
      head("DOH"),
    );
    expect(stateOf(accepted.data, "reviewHealthCommuneMonth")).toMatchObject({ state: "ACCEPTED" });

    // a commune that sent nothing is marked as not reporting, with a reason
    const unmarked = await system.query(
      reviewCommune("Health", "10532", "NOT_REPORTING"),
      {},
      head("DOH"),
    );
    expect(unmarked.errors?.[0]?.message).toMatch(/say why \(reason\)/);
    const marked = await system.query<Reviewed>(
      reviewCommune("Health", "10532", "NOT_REPORTING", "Phường đang sáp nhập trạm y tế"),
      {},
      head("DOH"),
    );
    expect(stateOf(marked.data, "reviewHealthCommuneMonth")).toMatchObject({
      state: "NOT_REPORTING",
    });

    // now the department's month goes to the IOC, whose review stays as it is
    const month = await system.query<{ submitHealthMonth: { state: string } }>(
      submitDohMonth,
      {},
      head("DOH"),
    );
    expect(month.errors).toBeUndefined();
    expect(month.data!.submitHealthMonth.state).toBe("SUBMITTED");
    const ioc = await system.query<{ reviewHealthMonth: { state: string } }>(
      `mutation { reviewHealthMonth(input: { agency: "DOH", period: "${PERIOD}", decision: ACCEPT }) { state } }`,
    );
    expect(ioc.data!.reviewHealthMonth.state).toBe("ACCEPTED");

    // the commune's month shows each step, with who took it
    const seen = await system.query<{
      reportingUnit: {
        healthObligations: Reviewed[string] & {
          reviews: {
            steps: {
              state: string;
              by: string;
              person: { id: string } | null;
              reason: string | null;
            }[];
          }[];
        };
      };
    }>(
      `{ reportingUnit(code: "${HAI_DUONG}") { healthObligations(period: "${PERIOD}") { ${REVIEWS} } } }`,
      {},
      chair,
    );
    expect(seen.data!.reportingUnit.healthObligations.reviews[0]!.steps).toEqual([
      { state: "SUBMITTED", by: "COMMUNE", person: { id: `person-${HAI_DUONG}` }, reason: null },
      {
        state: "RETURNED",
        by: "DOH",
        person: { id: "doh.lanhdao" },
        reason: "Mẫu số không khớp sổ khám bệnh",
      },
      { state: "SUBMITTED", by: "COMMUNE", person: { id: `person-${HAI_DUONG}` }, reason: null },
      { state: "ACCEPTED", by: "DOH", person: { id: "doh.lanhdao" }, reason: null },
    ]);
    // and the audit trail names every person who took a step
    const audit = await system.query<{
      healthAuditTrail: { action: string; person: { id: string } | null }[];
    }>(`{ healthAuditTrail(limit: 50) { action person { id } } }`);
    const steps = audit.data!.healthAuditTrail.filter((entry) =>
      entry.action.startsWith("commune."),
    );
    expect(steps.map((entry) => `${entry.action} ${entry.person?.id}`).reverse()).toEqual([
      `commune.submit person-${HAI_DUONG}`,
      "commune.return doh.lanhdao",
      `commune.submit person-${HAI_DUONG}`,
      "commune.accept doh.lanhdao",
      "commune.not-reporting doh.lanhdao",
    ]);
  });
});

describe("a commune's token", () => {
  it("without the commune's code is refused at the gateway", async () => {
    const { errors } = await system.query(
      `{ agencies { code } }`,
      {},
      {
        agency: "COMMUNE",
        person: { id: "nobody", name: "Không xã" },
        roles: ["commune-officer"],
      },
    );
    expect(errors?.[0]?.extensions).toMatchObject({
      code: "UNAUTHENTICATED",
      reason: "COMMUNE_MISSING",
    });
  });
});

describe("a commune's month while a subgraph is down", () => {
  it(
    "still shows every other agency's part, and names the one missing",
    { timeout: 60_000 },
    async () => {
      await system.services.education!.stop();
      try {
        const { data, errors } = await system.query<{ reportingUnit: UnitMonths }>(
          communeMonth,
          // a month not asked before: nothing kept answers it
          { code: HAI_DUONG, period: "2026-08" },
          HAI_DUONG_OFFICER,
        );
        expect(errors?.map((e) => e.extensions?.serviceName ?? e.extensions?.subgraph)).toContain(
          "education",
        );
        const unit = data!.reportingUnit;
        expect(unit.educationObligations).toBeNull();
        const health = unit.healthObligations as { obligations: Obligation[] };
        expect(health.obligations.map((o) => o.indicator)).toContain("II.12");
      } finally {
        await system.restart("education");
      }
    },
  );
});
