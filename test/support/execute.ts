// Runs operations against a subgraph schema in process, the way the gateway would send them.
import type { IncomingHttpHeaders } from "node:http";
import { ApolloServer, type BaseContext } from "@apollo/server";
import type { GraphQLSchema } from "graphql";

export interface ExecutionResult<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export function inProcessServer<Context extends BaseContext>(
  schema: GraphQLSchema,
  context: (request: { headers: IncomingHttpHeaders }) => Context,
) {
  const server = new ApolloServer<Context>({ schema });
  return {
    async execute<Data = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
      headers: IncomingHttpHeaders = {},
    ): Promise<ExecutionResult<Data>> {
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: context({ headers }) },
      );
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return response.body.singleResult as ExecutionResult<Data>;
    },
  };
}
