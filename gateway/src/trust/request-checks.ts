// Requests refused before an operation runs, each with a 4xx and a code (never a 500): a POST whose
// body is not JSON, and a document in which the operation the request names is not found.
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler, Response } from "express";
import { GraphQLError, Kind } from "graphql";

/**
 * A POST must send its operation as JSON (GraphQL over HTTP): any other body, or none, is 415
 * UNSUPPORTED_MEDIA_TYPE. This also refuses the form and text bodies a browser could send cross-site.
 */
export function requireJsonBody(
  refuse: (res: Response, status: number, code: string, message: string) => void,
): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || req.is("application/json")) return next();
    const given = req.headers["content-type"];
    refuse(
      res,
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `a POST must send its operation as JSON with Content-Type: application/json (got ${given ? JSON.stringify(given.slice(0, 80)) : "none"})`,
    );
  };
}

/**
 * A document whose operation cannot be picked (the name asked for is not in it, or it holds several
 * and none is named) is the client's mistake: 400 OPERATION_RESOLUTION_FAILURE, before the gateway
 * plans anything (its planner would fail it as an internal error).
 */
export const operationResolutionPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, document, request }) {
        if (operation) return;
        const names = document.definitions.flatMap((d) =>
          d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value ?? "(unnamed)"] : [],
        );
        const message = request.operationName
          ? `the document has no operation named "${request.operationName}" (it has ${names.join(", ") || "none"})`
          : `the document has ${names.length} operations (${names.join(", ")}): name one in operationName`;
        throw new GraphQLError(message, {
          extensions: { code: "OPERATION_RESOLUTION_FAILURE", http: { status: 400 } },
        });
      },
    };
  },
};
