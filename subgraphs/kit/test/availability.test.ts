// While the database is away a subgraph refuses every write before it runs and marks its answers
// possibly stale (the database going away for real: test/database-outage.e2e.ts).
import { ApolloServer } from "@apollo/server";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { describe, expect, it } from "vitest";
import {
  availabilityPlugin,
  POSSIBLY_STALE_HEADER,
  type DatabaseWatch,
} from "../src/availability.js";

function subgraph(away: boolean) {
  const calls = { read: 0, write: 0 };
  const database: DatabaseWatch = {
    available: () => !away,
    awaySince: () => (away ? new Date() : null),
    close: () => {},
  };
  const server = new ApolloServer({
    schema: makeExecutableSchema({
      typeDefs: `type Query { figure: Int } type Mutation { write: Int }`,
      resolvers: {
        Query: { figure: () => ++calls.read },
        Mutation: { write: () => ++calls.write },
      },
    }),
    plugins: [availabilityPlugin(database)],
  });
  const ask = async (query: string) => {
    const response = await server.executeOperation({ query });
    if (response.body.kind !== "single") throw new Error("expected a single result");
    return {
      ...response.body.singleResult,
      stale: response.http.headers.get(POSSIBLY_STALE_HEADER),
    };
  };
  return { ask, calls };
}

describe("the database away", () => {
  it("refuses a write before it runs, with a code and when to try again", async () => {
    const { ask, calls } = subgraph(true);
    const answer = await ask(`mutation { write }`);
    expect(answer.errors).toEqual([
      {
        message: "the database is unavailable: nothing was written; try again in 2 s",
        extensions: { code: "DATABASE_UNAVAILABLE", retryAfterSeconds: 2 },
      },
    ]);
    expect(calls.write).toBe(0);
  });

  it("answers a read from memory, marked possibly stale", async () => {
    const { ask } = subgraph(true);
    expect(await ask(`{ figure }`)).toEqual({
      data: { figure: 1 },
      extensions: { possiblyStale: true },
      stale: "1",
    });
  });

  it("lets writes through and marks nothing while it is there", async () => {
    const { ask } = subgraph(false);
    expect(await ask(`mutation { write }`)).toEqual({ data: { write: 1 }, stale: undefined });
  });
});
