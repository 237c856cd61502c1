// The last month an answer depends on (read-scope.ts): said by every root field, or the answer has
// none. A subgraph's kept answer of October is given again after a write to November, never after
// one to October, and never when some field of it read every month.
import { ApolloServer } from "@apollo/server";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { answerCachePlugin } from "../src/answer-cache.js";
import { allAt, withChange, type Steps } from "../src/changes/steps.js";
import {
  answerScope,
  anyMonth,
  noMonth,
  readsMonthsUpTo,
  readsUpTo,
  type ScopedReads,
} from "../src/read-scope.js";

function subgraph() {
  let version = 1;
  let steps: Steps = allAt(1);
  const calls = { month: 0 };
  const schema = makeExecutableSchema({
    typeDefs: `type Query { month(period: String!): Month units: [String!]! series: [Int!]! }
      type Month { figure: Int! series: [Int!]! history(period: String): [Int!]! }`,
    resolvers: {
      Query: {
        month: (_: unknown, { period }: { period: string }, ctx: unknown, info) => {
          readsUpTo(ctx, info, period);
          calls.month += 1;
          return {};
        },
        units: noMonth(() => ["10507"]),
        series: () => [1, 2],
      },
      Month: {
        figure: () => calls.month,
        series: anyMonth(() => [1, 2]),
        history: (_: unknown, { period }: { period?: string }, ctx: unknown, info) => {
          readsMonthsUpTo(ctx, info, period);
          return [1];
        },
      },
    },
  });
  const server = new ApolloServer<ScopedReads>({
    schema,
    plugins: [
      answerCachePlugin({ version: () => version, steps: () => steps, callerOf: () => "IOC" }),
    ],
  });
  const ask = async (query: string) => {
    const response = await server.executeOperation({ query }, { contextValue: {} });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return response.body.singleResult.data;
  };
  const write = (month: string) => {
    version += 1;
    steps = withChange(steps, month, version);
  };
  return { ask, calls, write };
}

const OCTOBER = `{ month(period: "2026-10") { figure } units }`;

describe("an answer's last month", () => {
  it("keeps October's answer through a write to November, not through one to October", async () => {
    const { ask, calls, write } = subgraph();
    await ask(OCTOBER);
    write("2026-11");
    await ask(OCTOBER);
    expect(calls.month).toBe(1);
    write("2026-10");
    await ask(OCTOBER);
    expect(calls.month).toBe(2);
    // a change that may touch any month (a plan edit) reaches every answer
    write("");
    await ask(OCTOBER);
    expect(calls.month).toBe(3);
  });

  it("has none when a root field did not say, or a field under it read every month", async () => {
    const { ask, calls, write } = subgraph();
    for (const query of [
      `{ month(period: "2026-10") { figure } series }`,
      `{ month(period: "2026-10") { figure series } }`,
    ]) {
      const before = calls.month;
      await ask(query);
      write("2026-11");
      await ask(query);
      expect({ query, computed: calls.month - before }).toEqual({ query, computed: 2 });
    }
  });

  it("reads up to a later month when a field under the root says so", async () => {
    const { ask, calls, write } = subgraph();
    const query = `{ month(period: "2026-10") { figure history(period: "2026-11") } }`;
    await ask(query);
    write("2026-12");
    await ask(query);
    expect(calls.month).toBe(1);
    // November is read: a write to it reaches the answer
    write("2026-11");
    await ask(query);
    expect(calls.month).toBe(2);
    // a field naming no month reads every month
    const anyMonthQuery = `{ month(period: "2026-10") { history } }`;
    await ask(anyMonthQuery);
    write("2026-12");
    await ask(anyMonthQuery);
    expect(calls.month).toBe(4);
  });

  it("leaves out a root field that @skip or @include leaves out, and only that", () => {
    const operation = parse(
      `query ($plan: Boolean! = false, $health: Boolean!) {
        health: month(period: "2026-10") @include(if: $health) { figure }
        plan: month(period: "2026-11") @include(if: $plan) { figure }
        units @skip(if: false)
        series @skip(if: true)
      }`,
    ).definitions[0] as OperationDefinitionNode;
    const said = (...keys: string[]): ScopedReads => ({
      readScope: new Map(
        keys.map((key) => [key, { upTo: key === "units" ? "" : "2026-10", times: 1 }]),
      ),
    });
    // $plan defaults to false, `series` is skipped: neither resolves, neither need say
    expect(answerScope(said("health", "units"), operation, { health: true })).toBe("2026-10");
    expect(answerScope(said("units"), operation, { health: false })).toBe("");
    // a field asked must say, whether it is included by a variable or by default
    expect(answerScope(said("units"), operation, { health: true })).toBeNull();
    expect(
      answerScope(said("health", "units"), operation, { health: true, plan: true }),
    ).toBeNull();
    // a condition that cannot be told ($health not given, no default): the field counts as asked
    expect(answerScope(said("units"), operation, {})).toBeNull();
  });

  it("counts every entity of _entities: each must say", () => {
    const operation = parse(
      `query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
    ).definitions[0] as OperationDefinitionNode;
    expect(operation.kind).toBe(Kind.OPERATION_DEFINITION);
    const said = (times: number): ScopedReads => ({
      readScope: new Map([["_entities", { upTo: "2026-10", times }]]),
    });
    const variables = { r: [{ period: "2026-10" }, { period: "2026-09" }] };
    expect(answerScope(said(2), operation, variables)).toBe("2026-10");
    expect(answerScope(said(1), operation, variables)).toBeNull();
  });
});
