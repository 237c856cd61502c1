// Every subgraph's schema: built by this repository's factories (no server) and published as a file,
// schema/subgraphs/<name>.graphql, which is what composition reads. A subgraph kept in another
// repository (or written in another language) contributes its file, not code.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchema } from "graphql";
import { buildEducationSubgraph } from "@p06/education";
import { buildHealthSubgraph } from "@p06/health";
import { buildIdentitySubgraph } from "@p06/identity";
import { buildPlanSchema } from "@p06/plan";
import { buildProceduresSubgraph } from "@p06/procedures";
import { buildSocialSecuritySubgraph } from "@p06/social-security";
import { repoRoot } from "./ferretdb.js";
import { subgraphs } from "./subgraphs.js";

const builders: Record<string, () => GraphQLSchema> = {
  plan: () => buildPlanSchema(),
  identity: () => buildIdentitySubgraph().schema,
  procedures: () => buildProceduresSubgraph().schema,
  health: () => buildHealthSubgraph().schema,
  education: () => buildEducationSubgraph().schema,
  "social-security": () => buildSocialSecuritySubgraph().schema,
};

export interface SubgraphSdl {
  name: string;
  /** The URL the supergraph records; the gateway overrides it from its environment. */
  url: string;
  sdl: string;
}

/** The URL the supergraph records for a subgraph (the gateway overrides it from its environment). */
const defaultUrl = (port: number) => `http://127.0.0.1:${port}/graphql`;

/** Where a subgraph's SDL is published. */
export const publishedSdlPath = (name: string) =>
  join(repoRoot, "schema", "subgraphs", `${name}.graphql`);

/** The subgraphs this repository builds: their SDL from their factories, as `npm run compose` publishes it. */
export function subgraphSdls(): SubgraphSdl[] {
  return subgraphs.flatMap((spec) => {
    const build = builders[spec.name];
    return build
      ? [{ name: spec.name, url: defaultUrl(spec.port), sdl: printSubgraphSchema(build()) }]
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
