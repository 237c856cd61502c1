// `npm run plan -- gateway/operations/1-city-scorecard.graphql`: prints the gateway's query plan for
// an operation over the checked-in supergraph: which subgraphs are asked, in what order.
import { readFileSync } from "node:fs";
import { operationFromDocument, Supergraph } from "@apollo/federation-internals";
import { prettyFormatQueryPlan, QueryPlanner } from "@apollo/query-planner";
import { parse } from "graphql";
import { supergraphPath } from "./lib/composition.js";

const file = process.argv[2];
if (!file) {
  console.error("usage: npm run plan -- OPERATION.graphql");
  process.exit(2);
}
const supergraph = Supergraph.build(readFileSync(supergraphPath, "utf8"));
const operation = operationFromDocument(
  supergraph.schema,
  parse(readFileSync(file, "utf8")) as never,
);
console.log(prettyFormatQueryPlan(new QueryPlanner(supergraph).buildQueryPlan(operation)));
