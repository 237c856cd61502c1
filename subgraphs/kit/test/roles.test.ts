// Each change of the values module checks the caller's role before anything else: a caller without
// the role the change needs is refused FORBIDDEN, told which role that is, and nothing of the
// request is looked at (its figures are never reached); a caller with the role goes on.
import { describe, expect, it } from "vitest";
import { authorize, DUTIES, rolesFor, type Role } from "../src/roles.js";
import type { KitContext } from "../src/values/context.js";
import { ask, guarded, schema } from "./support/guarded-values.js";

/** A caller's context whose figures throw if a resolver reaches them before the role check. */
const callerWith = (caller: string, roles: Role[]): KitContext =>
  guarded({ caller, roles, person: { id: "tester", name: "Tester" } }, "a refused request");

const figure = { indicator: "II.12", unit: "10507", period: "2026-10" };

/** Every mutation of the values module, with good arguments, and the caller it is refused to. */
const refusals: Record<
  string,
  [query: string, variables: Record<string, unknown>, caller: [string, Role[]], needs: Role[]]
> = {
  submitHealthValue: [
    `mutation ($input: DataValueInput!) { submitHealthValue(input: $input) { version } }`,
    { input: { ...figure, numerator: 1, denominator: 2 } },
    ["DOH", ["agency-head"]],
    ["data-officer"],
  ],
  submitHealthReport: [
    `mutation ($input: MonthlyReportInput!) { submitHealthReport(input: $input) { created } }`,
    {
      input: {
        period: "2026-10",
        values: [{ indicator: "II.12", unit: "10507", numerator: 1, denominator: 2 }],
      },
    },
    ["DOH", ["agency-head"]],
    ["data-officer"],
  ],
  importHealthReport: [
    `mutation ($input: ImportReportInput!) { importHealthReport(input: $input) { created } }`,
    { input: { period: "2026-10", format: "CSV", contentBase64: "bm90IGEgcmVwb3J0" } },
    ["IOC", ["ioc-reviewer", "ioc-viewer"]],
    // the IOC holds none of the roles that may: every one is named
    ["data-officer", "commune-officer"],
  ],
  submitHealthMonth: [
    `mutation ($period: String!) { submitHealthMonth(period: $period) { state } }`,
    { period: "2026-10" },
    ["DOH", ["data-officer"]],
    ["agency-head"],
  ],
  reviewHealthMonth: [
    `mutation ($input: MonthReviewInput!) { reviewHealthMonth(input: $input) { state } }`,
    { input: { agency: "DOH", period: "2026-10", decision: "ACCEPT" } },
    ["IOC", ["ioc-viewer"]],
    ["ioc-reviewer"],
  ],
  submitHealthCommuneMonth: [
    `mutation { submitHealthCommuneMonth(unit: "10507", period: "2026-10") { unit } }`,
    {},
    ["DOH", ["agency-head"]],
    ["commune-chair"],
  ],
  reviewHealthCommuneMonth: [
    `mutation ($input: CommuneReviewInput!) { reviewHealthCommuneMonth(input: $input) { unit } }`,
    { input: { unit: "10507", period: "2026-10", decision: "ACCEPT" } },
    ["DOH", ["data-officer"]],
    ["agency-head"],
  ],
  confirmHealthFigure: [
    `mutation ($input: ConfirmFigureInput!) { confirmHealthFigure(input: $input) { version } }`,
    { input: { ...figure, comment: "checked with the wards" } },
    ["DOH", ["data-officer"]],
    ["agency-head"],
  ],
};

describe("a caller without the role a change needs", () => {
  it("is checked on every mutation of the values module", () => {
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.sort()).toEqual(Object.keys(refusals).sort());
  });

  it.each(Object.entries(refusals))(
    "gets FORBIDDEN for %s, naming the role it needs",
    async (_, [query, variables, [caller, roles], needs]) => {
      const { errors } = await ask(query, variables, callerWith(caller, roles));
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions).toEqual({ code: "FORBIDDEN", roles: needs });
      expect(errors![0]!.message).toMatch(
        new RegExp(`needs the role ${needs.join(" or ")}; this caller \\(${caller}\\) holds`),
      );
    },
  );
});

describe("authorize", () => {
  it("gives the caller back to a role that may do the duty", () => {
    expect(authorize({ caller: "DOH", roles: ["data-officer"] }, "enterFigures")).toBe("DOH");
    expect(authorize({ caller: "DOH", roles: ["agency-head"] }, "updateTask")).toBe("DOH");
    expect(authorize({ caller: "IOC", roles: ["ioc-reviewer"] }, "reviewMonth")).toBe("IOC");
  });

  it("tells an anonymous caller to sign in, and names the roles every duty needs", () => {
    expect(() => authorize({ caller: null }, "enterFigures")).toThrow(
      expect.objectContaining({
        message: "this change needs a calling agency or the IOC: sign in",
        extensions: { code: "UNAUTHENTICATED" },
      }),
    );
    for (const [duty, { roles }] of Object.entries(DUTIES)) {
      // an agency is told of the agency's roles that may, else of every role that may
      const own = roles.filter((role) => rolesFor("DOH").includes(role));
      const named = own.length ? own : roles;
      expect(() => authorize({ caller: "DOH", roles: [] }, duty as keyof typeof DUTIES)).toThrow(
        `needs the role ${named.join(" or ")}; this caller (DOH) holds none`,
      );
    }
  });

  it("names a commune's person the commune's roles", () => {
    expect(() =>
      authorize({ caller: "COMMUNE", roles: ["commune-chair"] }, "enterFigures"),
    ).toThrow(
      "entering figures needs the role commune-officer; this caller (COMMUNE) holds commune-chair",
    );
    expect(authorize({ caller: "COMMUNE", roles: ["commune-officer"] }, "enterFigures")).toBe(
      "COMMUNE",
    );
  });

  it("leaves reading to everyone: an IOC viewer holds no role that changes anything", () => {
    for (const duty of Object.keys(DUTIES) as (keyof typeof DUTIES)[]) {
      expect(() => authorize({ caller: "IOC", roles: ["ioc-viewer"] }, duty)).toThrow(
        /needs the role/,
      );
    }
  });
});
