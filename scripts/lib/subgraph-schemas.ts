// Every subgraph's schema: built by this repository's factories (no server) and published as a file,
// schema/subgraphs/<name>.graphql, which is what composition reads. A subgraph kept in another
// repository (or written in another language) contributes its file, not code.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { printSubgraphSchema } from "@apollo/subgraph";
import { subgraphNamed, subgraphs, type SubgraphSpec } from "@p06/catalogue";
import type { GraphQLSchema } from "graphql";
import { repoRoot } from "./ferretdb.js";

/** A subgraph's schema from its package's `buildSchema()`; null for one not built in this repository. */
async function builtSchema(spec: SubgraphSpec): Promise<GraphQLSchema | null> {
  if (!existsSync(join(repoRoot, "subgraphs", spec.name, "package.json"))) return null;
  const module = (await import(spec.packageName)) as { buildSchema?: () => GraphQLSchema };
  if (typeof module.buildSchema !== "function") {
    throw new Error(`${spec.packageName} does not export buildSchema(), which composition calls`);
  }
  return module.buildSchema();
}

export interface SubgraphSdl {
  name: string;
  /** The URL the supergraph records; the gateway overrides it from its environment. */
  url: string;
  sdl: string;
}

/** The URL the supergraph records for a subgraph (the gateway overrides it from its environment). */
const defaultUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

/** Where a subgraph's SDL is published. */
export const publishedSdlPath = (name: string) => join(repoRoot, subgraphNamed(name).schemaFile);

/** The subgraphs this repository builds: their SDL from their factories, as `npm run compose` publishes it. */
export async function subgraphSdls(): Promise<SubgraphSdl[]> {
  const built = await Promise.all(subgraphs.map(builtSchema));
  return subgraphs.flatMap((spec, i) => {
    const schema = built[i];
    return schema
      ? [{ name: spec.name, url: defaultUrl(spec.port), sdl: printSubgraphSchema(schema) }]
      : [];
  });
}

/** Every subgraph's published SDL file: what composition reads. */
export function publishedSdls(): SubgraphSdl[] {
  return subgraphs.map((spec) => {
    const path = publishedSdlPath(spec.name);
    if (!existsSync(path)) {
      throw new Error(
        `subgraph ${spec.name} has no published schema at schema/subgraphs/${spec.name}.graphql: run \`npm run compose\` (a subgraph built here) or add its SDL file`,
      );
    }
    return { name: spec.name, url: defaultUrl(spec.port), sdl: readFileSync(path, "utf8") };
  });
}
