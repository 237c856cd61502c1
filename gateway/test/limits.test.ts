// The cost limit counts what an operation's arguments ask for: one unit's figures, a range of months,
// a page; an abstract type costs its most costly type, not all of them added up. Priced over the
// checked-in supergraph, as the gateway serves it.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { ApolloGateway } from "@apollo/gateway";
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { defaultSupergraphPath } from "../src/config.js";
import { operationCost, rateLimitKey, sizeOf } from "../src/trust/limits.js";
import type { Claims } from "@p06/subgraph-kit";

// Apollo's packages load graphql's CommonJS build: one instance for both, as under Node
vi.mock("graphql", () => createRequire(import.meta.url)("graphql"));

const MAX_COST = 100_000;
let gateway: ApolloGateway;
let schema: GraphQLSchema;

beforeAll(async () => {
  gateway = new ApolloGateway({ supergraphSdl: readFileSync(defaultSupergraphPath, "utf8") });
  ({ schema } = await gateway.load());
});

afterAll(async () => {
  await gateway?.stop();
});

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
  return operationCost(schema, operation, fragments, variables);
}

const MONTH_OF_FIGURES = `period value breakdown { category value }`;

describe("the cost of an operation", () => {
  it("prices one unit's figures for two months as two figures, not every figure", () => {
    // one per field; a list's selection once per item it can hold
    const twoFigures = 1 + 2 * (1 + 1 + (1 + 5 * 2));
    expect(
      cost(
        `{ healthIndicators { values(unit: "10507", from: "2026-09", to: "2026-10") { ${MONTH_OF_FIGURES} } } }`,
      ),
    ).toBe(1 + 56 * twoFigures);
    // the same with variables
    expect(
      cost(
        `query ($unit: ID, $from: String, $to: String) {
          healthIndicators { values(unit: $unit, from: $from, to: $to) { ${MONTH_OF_FIGURES} } }
        }`,
        { unit: "10507", from: "2026-09", to: "2026-10" },
      ),
    ).toBe(1 + 56 * twoFigures);
    // every unit's: 115 figures a month; no range: the page the default limit (500) allows
    expect(cost(`{ healthIndicators { values(from: "2026-10", to: "2026-10") { period } } }`)).toBe(
      1 + 56 * (1 + 115 * 1),
    );
    expect(cost(`{ healthIndicators { values { period } } }`)).toBe(1 + 56 * (1 + 500 * 1));
    expect(cost(`{ healthIndicators { values(limit: 10) { period } } }`)).toBe(1 + 56 * (1 + 10));
    // months the plan cannot have are no figures
    expect(cost(`{ healthIndicators { values(from: "2026-10", to: "2026-01") { period } } }`)).toBe(
      1 + 56 * 1,
    );
  });

  it("prices a list that only grows at its page", () => {
    expect(cost(`{ healthAuditTrail(limit: 5) { actor } }`)).toBe(1 + 5);
    expect(cost(`{ healthAuditTrail { actor } }`)).toBe(1 + 100);
    expect(
      cost(`{ task(code: "II.2") { updates { note } first: updates(limit: 1) { note } } }`),
    ).toBe(1 + (1 + 100) + (1 + 1));
  });

  it("prices the plan's lists at their sizes, filtered as the arguments ask", () => {
    expect(cost(`{ agencies { code name } }`)).toBe(1 + 21 * 2);
    expect(cost(`{ indicators { code } }`)).toBe(1 + 56);
    expect(cost(`{ indicators(group: "VI") { code } }`)).toBe(1 + 4);
    expect(cost(`{ indicators(agency: "DOH") { code } }`)).toBeLessThan(1 + 56);
  });

  it("prices nothing that @skip or @include leaves out", () => {
    const month = (field: string, flag: string) =>
      `${field}(agency: "DOH", period: "2026-10") @include(if: $${flag}) { obligations(limit: 5000) { indicator unit status } }`;
    const query = `query ($health: Boolean!, $plan: Boolean!) { ${month("healthMonth", "health")} ${month("planMonth", "plan")} }`;
    const both = cost(query, { health: true, plan: true });
    const one = cost(query, { health: true, plan: false });
    expect(one).toBe(cost(`{ ${month("healthMonth", "x").replace(" @include(if: $x)", "")} }`));
    expect(both).toBe(2 * one);
    expect(cost(query.replaceAll("@include", "@skip"), { health: true, plan: true })).toBe(0);
  });

  it("prices a type condition at its most costly branch, not at the branches added up", () => {
    const branch = (type: string) =>
      `... on ${type} { values(unit: "10507", from: "2026-09", to: "2026-10") { ${MONTH_OF_FIGURES} } }`;
    const one = cost(`{ indicators(agency: "DOH") { code ${branch("HealthIndicator")} } }`);
    const five = cost(
      `{ indicators(agency: "DOH") { code ${[
        "Health",
        "Identity",
        "Procedures",
        "Education",
        "SocialSecurity",
      ]
        .map((agency) => branch(`${agency}Indicator`))
        .join(" ")} } }`,
    );
    expect(five).toBe(one);
    // a named fragment is a type condition too
    expect(
      cost(
        `{ indicators(agency: "DOH") { code ...H ...I } }
        fragment H on HealthIndicator { values(unit: "10507", from: "2026-09", to: "2026-10") { ${MONTH_OF_FIGURES} } }
        fragment I on IdentityIndicator { values(unit: "10507", from: "2026-09", to: "2026-10") { ${MONTH_OF_FIGURES} } }`,
      ),
    ).toBe(one);
    // fields of the interface itself count on every branch
    expect(cost(`{ indicators { code series { period value } } }`)).toBe(1 + 56 * (1 + 1 + 72 * 2));
  });

  it("still refuses what would answer far too much", () => {
    expect(
      cost(
        `{ indicators { ... on IdentityIndicator { values { unit period value breakdown { category value } } } } }`,
      ),
    ).toBeGreaterThan(MAX_COST);
    expect(cost(`{ healthIndicators { values(limit: 5000) { period } } }`)).toBeGreaterThan(
      MAX_COST,
    );
  });

  it("lets every client operation through (the IOC's six and the dashboard's), with its example variables", () => {
    const dir = new URL("../operations/", import.meta.url);
    const names = readdirSync(dir).filter((name) => name.endsWith(".graphql"));
    expect(names).toEqual(
      expect.arrayContaining(["1-city-scorecard.graphql", "6-tasks-due.graphql"]),
    );
    expect(names.length).toBeGreaterThan(6);
    for (const name of names) {
      const query = readFileSync(new URL(name, dir), "utf8");
      const variables = JSON.parse(
        readFileSync(new URL(name.replace(/\.graphql$/, ".variables.json"), dir), "utf8"),
      );
      expect(cost(query, variables), name).toBeLessThan(MAX_COST);
    }
  });

  it("knows the size of every list of the supergraph", () => {
    const unknown: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        const listed = isListType(getNullableType(field.type));
        if (listed && isCompositeType(getNamedType(field.type))) {
          if (sizeOf(type.name, field.name) === undefined)
            unknown.push(`${type.name}.${field.name}`);
        }
      }
    }
    expect(unknown).toEqual([]);
  });
});

describe("the rate limit's key", () => {
  it("counts a person's requests against their own budget, never their agency's", () => {
    const ioc: Claims = { sub: "IOC", roles: ["ioc-viewer"] };
    const a: Claims = {
      sub: "DOH",
      roles: ["data-officer"],
      person: { id: "nguyen.van.a", name: "A" },
    };
    const b = { ...a, person: { id: "tran.thi.b", name: "B" } };
    expect(rateLimitKey({ claims: a }, "1.2.3.4")).toBe("person:nguyen.van.a");
    expect(rateLimitKey({ claims: b }, "1.2.3.4")).toBe("person:tran.thi.b");
    // a service account is its agency's machine: the agency's own budget, apart from its people's
    expect(rateLimitKey({ claims: { sub: "DOH", roles: ["data-officer"] } }, "1.2.3.4")).toBe(
      "agency:DOH",
    );
    expect(rateLimitKey({ claims: ioc }, "1.2.3.4")).toBe("agency:IOC");
    // a person whose id is an agency's code is still a person
    expect(rateLimitKey({ claims: { ...a, person: { id: "DOH", name: "D" } } }, "x")).toBe(
      "person:DOH",
    );
    expect(rateLimitKey({ claims: null }, "1.2.3.4")).toBe("ip:1.2.3.4");
    expect(rateLimitKey(undefined, "1.2.3.4")).toBe("ip:1.2.3.4");
  });
});
