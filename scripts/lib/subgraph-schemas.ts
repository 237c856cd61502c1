// Every subgraph's schema, built from its factory (no server): what composition reads.
import { printSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLSchema } from "graphql";
import { buildEducationSubgraph } from "@p06/education";
import { buildHealthSubgraph } from "@p06/health";
import { buildIdentitySubgraph } from "@p06/identity";
import { buildPlanSchema } from "@p06/plan";
import { buildProceduresSubgraph } from "@p06/procedures";
import { buildSocialSecuritySubgraph } from "@p06/social-security";
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

export function subgraphSdls(): SubgraphSdl[] {
  return subgraphs.map((spec) => {
    const build = builders[spec.name];
    if (!build) throw new Error(`no schema factory for subgraph ${spec.name}`);
    return {
      name: spec.name,
      url: `http://127.0.0.1:${spec.port}/graphql`,
      sdl: printSubgraphSchema(build()),
    };
  });
}
