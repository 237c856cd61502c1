// The plan's own changes check the caller's role before anything else: a task's status is an
// agency's data officer's or head's to update, an explanation its head's to answer; a text target's
// number, a request for an explanation and a commune's implementation plan are the IOC reviewer's. A caller without the role is refused
// FORBIDDEN, told which role it needs, before the plan's state is looked at.
import { ApolloServer } from "@apollo/server";
import type { Role } from "@p06/subgraph-kit";
import { describe, expect, it } from "vitest";
import { buildPlanSchema, type PlanContext } from "../src/schema.js";

const server = new ApolloServer<PlanContext>({ schema: buildPlanSchema() });

/** Throws if a resolver reaches past the caller into the plan's state. */
const untouchable = <T extends object>(what: string) =>
  new Proxy({} as T, {
    get: (_, name) => {
      throw new Error(`a refused request reached the ${what} (${String(name)})`);
    },
  });

const callerWith = (caller: string, roles: Role[]): PlanContext => ({
  caller,
  roles,
  commune: null,
  person: { id: "tester", name: "Tester" },
  values: untouchable("figures"),
  models: untouchable("collections"),
  state: untouchable("state"),
  loaders: untouchable("loaders"),
  agencyFigures: untouchable("agencies' figures"),
  knownVersions: null,
  requestId: null,
  reviews: untouchable("reviews"),
  requestReviews: new Map(),
  requestSeries: new Map(),
});

const refusals: Record<
  string,
  [query: string, variables: Record<string, unknown>, caller: [string, Role[]], needs: Role[]]
> = {
  updateTaskStatus: [
    `mutation ($input: TaskStatusInput!) { updateTaskStatus(input: $input) { code } }`,
    { input: { code: "I.1", status: "IN_PROGRESS" } },
    ["IOC", ["ioc-viewer", "ioc-reviewer"]],
    ["data-officer", "agency-head"],
  ],
  setAssignedTarget: [
    `mutation ($input: AssignedTargetInput!) { setAssignedTarget(input: $input) { code } }`,
    { input: { indicator: "V.2", year: 2026, value: 3 } },
    ["IOC", ["ioc-viewer"]],
    ["ioc-reviewer"],
  ],
  requestExplanation: [
    `mutation ($input: ExplanationRequestInput!) { requestExplanation(input: $input) { id } }`,
    {
      input: {
        subject: "INDICATOR",
        code: "II.12",
        agency: "DOH",
        question: "Why is II.12 behind?",
        dueDate: "2030-01-10",
      },
    },
    ["IOC", ["ioc-viewer"]],
    ["ioc-reviewer"],
  ],
  recordCommunePlan: [
    `mutation ($input: CommunePlanInput!) { recordCommunePlan(input: $input) { issuedOn } }`,
    { input: { unit: "10507", issuedOn: "2026-06-12", documentNumber: "41/KH-UBND" } },
    ["IOC", ["ioc-viewer"]],
    ["ioc-reviewer"],
  ],
  answerExplanation: [
    `mutation ($input: ExplanationAnswerInput!) { answerExplanation(input: $input) { id } }`,
    { input: { id: "a-request", explanation: "late data", remedy: "weekly checks" } },
    ["DOH", ["data-officer"]],
    ["agency-head"],
  ],
};

describe("a caller without the role a plan change needs", () => {
  it("is checked on every mutation the plan defines itself", () => {
    const own = Object.keys(buildPlanSchema().getMutationType()?.getFields() ?? {}).filter(
      // the values module's, tested in the kit (roles.test.ts)
      (name) => !/^(submit|import|review|confirm)Plan/.test(name),
    );
    expect(own.sort()).toEqual(Object.keys(refusals).sort());
  });

  it.each(Object.entries(refusals))(
    "gets FORBIDDEN for %s, naming the role it needs",
    async (_, [query, variables, [caller, roles], needs]) => {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: callerWith(caller, roles) },
      );
      if (response.body.kind !== "single") throw new Error("expected a single result");
      const { errors } = response.body.singleResult;
      expect(errors).toHaveLength(1);
      expect(errors![0]!.extensions).toEqual({ code: "FORBIDDEN", roles: needs });
      expect(errors![0]!.message).toContain(`needs the role ${needs.join(" or ")}`);
    },
  );
});
