// Runs operations against a subgraph schema in process, the way the gateway would send them.
import { ApolloServer, type BaseContext } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import { rolesFor, type RequestIdentity, type Role } from "@p06/subgraph-kit";

export interface ExecutionResult<Data = Record<string, unknown>> {
  data?: Data | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export function inProcessServer<Context extends BaseContext>(
  schema: GraphQLSchema,
  context: (request: RequestIdentity) => Context,
) {
  const server = new ApolloServer<Context>({ schema });
  return {
    async execute<Data = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
      /**
       * The caller, named the way the gateway's verified claims name it (the agency or IOC), with
       * every role acting for it may hold unless `roles` names some.
       */
      as: { "x-p06-agency"?: string; roles?: Role[] } = {},
    ): Promise<ExecutionResult<Data>> {
      const caller = as["x-p06-agency"] ?? null;
      const roles = as.roles ?? (caller ? [...rolesFor(caller)] : []);
      const response = await server.executeOperation(
        { query, variables },
        { contextValue: context({ caller, roles }) },
      );
      if (response.body.kind !== "single") throw new Error("expected a single result");
      return response.body.singleResult as ExecutionResult<Data>;
    },
  };
}
