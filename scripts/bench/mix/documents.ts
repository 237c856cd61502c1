// The web application's own documents, generated from gateway/operations/web-*.graphql, and
// the body its client posts.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../lib/ferretdb.js";
import { generateWebTypes } from "../../lib/web.js";

const OPERATIONS = [
  "WebOverview",
  "WebIndicator",
  "WebExplanations",
  "WebFigureVersions",
  "WebAgency",
  "WebCommunes",
  "WebCommune",
  "WebLateReporting",
  "WebTasks",
  "WebMonthReview",
  "WebAgencyMonth",
  "WebReminders",
  "WebIndicatorFigures",
  "WebDataValues",
  "WebSubmitReport",
] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * The documents exactly as the web application sends them: its typed documents, generated (GraphQL
 * Code Generator, as `npm run check-types` and the web build do) from gateway/operations/web-*.graphql.
 */
export async function webDocuments(): Promise<Record<Operation, string>> {
  await generateWebTypes();
  const generated = (await import(
    pathToFileURL(join(repoRoot, "gateway/web/src/graphql/generated/graphql.ts")).href
  )) as Record<string, unknown>;
  return Object.fromEntries(
    OPERATIONS.map((operation) => {
      const document = generated[`${operation}Document`];
      if (!document) throw new Error(`the web application has no ${operation}Document`);
      return [operation, String(document)];
    }),
  ) as Record<Operation, string>;
}

/** The body the web application's client posts (graphql/client.ts). */
export const bodyOf = (
  documents: Record<Operation, string>,
  operation: Operation,
  variables: unknown,
) => JSON.stringify({ query: documents[operation], operationName: operation, variables });
