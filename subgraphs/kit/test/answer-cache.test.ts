// A subgraph's answers are reused only at the same data version, for the same caller, query and
// variables; never an answer with errors, never a mutation; an answer that read other subgraphs only
// while what it read is as new as the gateway knows.
import { ApolloServer } from "@apollo/server";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { describe, expect, it, vi } from "vitest";
import { answerCachePlugin, stringifyAnswer } from "../src/answer-cache.js";
import type { Stamps } from "../src/read-versions.js";

function subgraph() {
  let version = 1;
  const calls = { figure: 0, broken: 0, write: 0 };
  const schema = makeExecutableSchema({
    typeDefs: `type Query { figure(unit: String!): Int broken: Int } type Mutation { write: Int }`,
    resolvers: {
      Query: {
        figure: () => ++calls.figure,
        broken: () => {
          calls.broken += 1;
          throw new Error("no figure");
        },
      },
      Mutation: { write: () => ++calls.write },
    },
  });
  const server = new ApolloServer<{ caller: string | null }>({
    schema,
    plugins: [
      answerCachePlugin({
        version: () => version,
        callerOf: (context) => (context as { caller: string | null }).caller,
      }),
    ],
  });
  const ask = async (query: string, variables: Record<string, unknown> = {}, caller = "IOC") => {
    const response = await server.executeOperation(
      { query, variables },
      { contextValue: { caller } },
    );
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return response.body.singleResult;
  };
  return { ask, calls, advance: () => (version += 1) };
}

const FIGURE = `query ($unit: String!) { figure(unit: $unit) }`;

describe("the subgraph's answer cache", () => {
  it("answers the same read at the same version once, and again after a write advanced it", async () => {
    const { ask, calls, advance } = subgraph();
    expect((await ask(FIGURE, { unit: "10507" })).data).toEqual({ figure: 1 });
    expect((await ask(FIGURE, { unit: "10507" })).data).toEqual({ figure: 1 });
    expect(calls.figure).toBe(1);
    advance();
    expect((await ask(FIGURE, { unit: "10507" })).data).toEqual({ figure: 2 });
  });

  it("keys on the variables and the caller", async () => {
    const { ask, calls } = subgraph();
    await ask(FIGURE, { unit: "10507" });
    await ask(FIGURE, { unit: "10525" });
    await ask(FIGURE, { unit: "10507" }, "DOH");
    expect(calls.figure).toBe(3);
  });

  it("serialises a kept answer once: computed and given again, it is sent as made then", async () => {
    const { ask } = subgraph();
    const computed = await ask(FIGURE, { unit: "10507" });
    const given = await ask(FIGURE, { unit: "10507" });
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      // what Apollo Server hands its stringifyResult (runHttpQuery's orderExecutionResultFields)
      for (const { data } of [computed, given]) {
        expect(stringifyAnswer({ errors: undefined, data, extensions: undefined })).toBe(
          '{"data":{"figure":1}}\n',
        );
      }
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    // anything else, as Apollo Server serialises it
    const errors = [{ message: "no figure" }];
    expect(stringifyAnswer({ data: { figure: 1 }, errors })).toBe(
      `${JSON.stringify({ data: { figure: 1 }, errors })}\n`,
    );
  });

  it("never keeps an answer with errors, nor a mutation's", async () => {
    const { ask, calls } = subgraph();
    await ask(`{ broken }`);
    await ask(`{ broken }`);
    expect(calls.broken).toBe(2);
    expect((await ask(`mutation { write }`)).data).toEqual({ write: 1 });
    expect((await ask(`mutation { write }`)).data).toEqual({ write: 2 });
  });
});

describe("an answer that read other subgraphs", () => {
  /** A plan-like subgraph: its answer read health at the version `health` says, and names it. */
  function reader() {
    let health = { version: 3, epoch: 0 };
    let calls = 0;
    const schema = makeExecutableSchema({
      typeDefs: `type Query { review: Int }`,
      resolvers: {
        Query: {
          review: (_: unknown, __: unknown, context: Reads) => {
            context.readVersions = { health };
            return ++calls;
          },
        },
      },
    });
    let seen: Stamps | undefined;
    const server = new ApolloServer<Context>({
      schema,
      plugins: [
        answerCachePlugin({
          version: () => 1,
          callerOf: () => "IOC",
          knownOf: (context) => (context as Context).knownVersions,
        }),
        // what the answer says it read, as the server would send it (Apollo copies the context)
        {
          async requestDidStart() {
            return {
              async willSendResponse({ contextValue }) {
                seen = contextValue.readVersions;
              },
            };
          },
        },
      ],
    });
    const ask = async (knownVersions: Stamps | null) => {
      const response = await server.executeOperation(
        { query: "{ review }" },
        { contextValue: { knownVersions } },
      );
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return { data: response.body.singleResult.data, reads: seen };
    };
    return { ask, read: (version: number) => (health = { version, epoch: 0 }) };
  }
  type Reads = { readVersions?: Stamps };
  type Context = Reads & { knownVersions: Stamps | null };
  const knownAt = (version: number) => ({ health: { version, epoch: 0 } });

  it("is given again, with what it read, while that is as new as the gateway knows", async () => {
    const { ask } = reader();
    expect(await ask(knownAt(3))).toEqual({ data: { review: 1 }, reads: knownAt(3) });
    expect(await ask(knownAt(3))).toEqual({ data: { review: 1 }, reads: knownAt(3) });
    expect(await ask(knownAt(2))).toEqual({ data: { review: 1 }, reads: knownAt(3) });
  });

  it("is worked out again once the gateway knows a newer version, or says nothing", async () => {
    const { ask, read } = reader();
    await ask(knownAt(3));
    read(4);
    expect(await ask(knownAt(4))).toEqual({ data: { review: 2 }, reads: knownAt(4) });
    expect(await ask(knownAt(4))).toEqual({ data: { review: 2 }, reads: knownAt(4) });
    expect((await ask(null)).data).toEqual({ review: 3 });
  });
});
