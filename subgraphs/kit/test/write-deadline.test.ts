// A write that reaches the subgraph after the gateway's deadline for it is refused before it runs.
import { ApolloServer, HeaderMap } from "@apollo/server";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { describe, expect, it } from "vitest";
import { WRITE_DEADLINE_HEADER, writeDeadlinePlugin } from "../src/write-deadline.js";

const NOW = 1_800_000_000_000;

function subgraph() {
  const calls = { read: 0, write: 0 };
  const server = new ApolloServer({
    schema: makeExecutableSchema({
      typeDefs: `type Query { figure: Int } type Mutation { write: Int }`,
      resolvers: {
        Query: { figure: () => ++calls.read },
        Mutation: { write: () => ++calls.write },
      },
    }),
    plugins: [writeDeadlinePlugin(() => NOW)],
  });
  const ask = async (query: string, deadline?: string) => {
    const headers = new HeaderMap();
    if (deadline !== undefined) headers.set(WRITE_DEADLINE_HEADER, deadline);
    const response = await server.executeOperation({
      query,
      http: { method: "POST", headers, search: "", body: {} },
    });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return response.body.singleResult;
  };
  return { ask, calls };
}

describe("a write's deadline", () => {
  it("refuses a write that arrives after it, before it runs, with a code and when to retry", async () => {
    const { ask, calls } = subgraph();
    const answer = await ask(`mutation { write }`, String(NOW - 250));
    expect(answer.errors).toEqual([
      {
        message:
          "the write reached the subgraph 250 ms after the gateway's deadline for it: nothing was written; try again in 1 s",
        extensions: { code: "WRITE_DEADLINE_PASSED", retryAfterSeconds: 1 },
      },
    ]);
    expect(calls.write).toBe(0);
  });

  it("lets a write in time through, and one that carries no deadline", async () => {
    const { ask, calls } = subgraph();
    expect((await ask(`mutation { write }`, String(NOW + 1))).data).toEqual({ write: 1 });
    expect((await ask(`mutation { write }`)).data).toEqual({ write: 2 });
    expect((await ask(`mutation { write }`, "soon")).data).toEqual({ write: 3 });
    expect(calls.write).toBe(3);
  });

  it("never holds a read back, however late", async () => {
    const { ask } = subgraph();
    expect((await ask(`{ figure }`, String(NOW - 60_000))).data).toEqual({ figure: 1 });
  });
});
