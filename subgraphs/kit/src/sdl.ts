import { readFileSync } from "node:fs";
import { parse, type DocumentNode } from "graphql";

/** Parses a subgraph's SDL file (its contract with the city), given as a URL beside the caller. */
export function loadTypeDefs(file: URL): DocumentNode {
  return parse(readFileSync(file, "utf8"));
}
