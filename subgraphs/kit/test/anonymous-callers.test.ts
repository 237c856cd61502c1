// An anonymous caller is told to sign in before anything else of its request is looked at: every
// mutation of the values module answers UNAUTHENTICATED, naming a change, however wrong its arguments
// (an unknown agency, a malformed month); a read that is not open to all names a read.
import { describe, expect, it } from "vitest";
import { ask as askAs, guarded, schema } from "./support/guarded-values.js";

/** An anonymous request: its figures throw if a resolver reaches them before the check. */
const ask = (query: string, variables: Record<string, unknown>) =>
  askAs(query, variables, guarded({ caller: null, person: null }, "an anonymous request"));

// each with arguments that are wrong in another way too: the sign-in comes first
const changes: Record<string, [query: string, variables: Record<string, unknown>]> = {
  submitHealthValue: [
    `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
    { input: { indicator: "IX.9", unit: "00000", period: "2026-5", numerator: 3, denominator: 2 } },
  ],
  submitHealthReport: [
    `mutation ($input: MonthlyReportInput!) { submitHealthReport(input: $input) { created } }`,
    { input: { period: "2026-5", values: [{ indicator: "IX.9", unit: "00000", value: 1 }] } },
  ],
  importHealthReport: [
    `mutation ($input: ImportReportInput!) { importHealthReport(input: $input) { created } }`,
    { input: { period: "2026-5", format: "CSV", contentBase64: "bm90IGEgcmVwb3J0" } },
  ],
  submitHealthMonth: [
    `mutation ($period: String!) { submitHealthMonth(period: $period) { state } }`,
    { period: "2026-5" },
  ],
  reviewHealthMonth: [
    `mutation ($input: MonthReviewInput!) { reviewHealthMonth(input: $input) { state } }`,
    { input: { agency: "NOBODY", period: "2026-5", decision: "ACCEPT" } },
  ],
  submitHealthCommuneMonth: [
    `mutation { submitHealthCommuneMonth(unit: "00000", period: "2026-5") { unit } }`,
    {},
  ],
  reviewHealthCommuneMonth: [
    `mutation ($input: CommuneReviewInput!) { reviewHealthCommuneMonth(input: $input) { unit } }`,
    { input: { unit: "00000", period: "2026-5", decision: "ACCEPT" } },
  ],
  confirmHealthFigure: [
    `mutation ($input: ConfirmFigureInput!) { confirmHealthFigure(input: $input) { version } }`,
    { input: { indicator: "IX.9", unit: "00000", period: "2026-5", comment: "" } },
  ],
};

const reads: Record<string, [query: string, variables: Record<string, unknown>]> = {
  healthMonth: [
    `query ($agency: ID!, $period: String!) { healthMonth(agency: $agency, period: $period) { state } }`,
    { agency: "NOBODY", period: "2026-5" },
  ],
  healthAuditTrail: [
    `query ($from: String) { healthAuditTrail(from: $from) { action } }`,
    { from: "not a time" },
  ],
};

const UNAUTHENTICATED = (what: "read" | "change") => [
  {
    message: `this ${what} needs a calling agency or the IOC: sign in`,
    path: expect.any(Array),
    locations: expect.any(Array),
    extensions: { code: "UNAUTHENTICATED" },
  },
];

describe("an anonymous caller", () => {
  it("is checked on every mutation of the values module", () => {
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.sort()).toEqual(Object.keys(changes).sort());
  });

  it.each(Object.entries(changes))(
    "gets UNAUTHENTICATED for %s, told it is a change",
    async (_, [query, variables]) => {
      const { errors } = await ask(query, variables);
      expect(errors).toEqual(UNAUTHENTICATED("change"));
    },
  );

  it.each(Object.entries(reads))(
    "gets UNAUTHENTICATED for %s, told it is a read",
    async (_, [query, variables]) => {
      const { errors } = await ask(query, variables);
      expect(errors).toEqual(UNAUTHENTICATED("read"));
    },
  );
});
