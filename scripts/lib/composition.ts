// Composition of the supergraph, and the checks CI runs on it: composition succeeds, the checked-in
// supergraph is current, and no operation of the repository's client set breaks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { composeServices } from "@apollo/composition";
import { printSchema as printFederationSchema, Supergraph } from "@apollo/federation-internals";
import {
  buildSchema,
  Kind,
  parse,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
} from "graphql";
import { repoRoot } from "./ferretdb.js";
import type { SubgraphSdl } from "./subgraph-schemas.js";

export const supergraphPath = join(repoRoot, "schema", "supergraph.graphql");
export const operationsDir = join(repoRoot, "gateway", "operations");

export class CompositionError extends Error {}

/** Composes the subgraphs; every composition error is in the thrown message, one a line. */
export function composeSupergraph(subgraphs: SubgraphSdl[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(
      `composition failed with ${result.errors.length} error(s):\n` +
        result.errors.map((e) => `  - ${e.message}`).join("\n"),
    );
  }
  return result.supergraphSdl;
}

export interface ClientOperation {
  file: string;
  document: DocumentNode;
}

/** The repository's client operations: the IOC's questions in gateway/operations/*.graphql. */
export function clientOperations(dir = operationsDir): ClientOperation[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".graphql"))
    .sort()
    .map((name) => ({ file: name, document: parse(readFileSync(join(dir, name), "utf8")) }));
}

/** The API schema clients see (no join directives), rebuilt from its SDL with this module's graphql: federation-internals may load another copy. */
export const apiSchemaOf = (supergraphSdl: string): GraphQLSchema =>
  buildSchema(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));

/** Which subgraphs resolve a field, by the supergraph's join__field / join__type directives. */
function ownersOf(supergraphSdl: string): Map<string, string[]> {
  const document = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const owners = new Map<string, string[]>();
  const graphsOf = (
    directives:
      | readonly {
          name: { value: string };
          arguments?: readonly {
            name: { value: string };
            value: { kind: string } & { value?: string };
          }[];
        }[]
      | undefined,
    name: string,
  ) =>
    (directives ?? [])
      .filter((d) => d.name.value === name)
      .flatMap(
        (d) =>
          d.arguments?.filter((a) => a.name.value === "graph").map((a) => String(a.value.value)) ??
          [],
      );
  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === "join__Graph") {
      for (const value of definition.values ?? []) {
        const directive = value.directives?.find((d) => d.name.value === "join__graph");
        const name = directive?.arguments?.find((a) => a.name.value === "name");
        if (name?.value.kind === Kind.STRING) graphNames.set(value.name.value, name.value.value);
      }
    }
  }
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind !== Kind.INTERFACE_TYPE_DEFINITION
    )
      continue;
    const typeGraphs = graphsOf(definition.directives as never, "join__type");
    for (const field of definition.fields ?? []) {
      const fieldGraphs = graphsOf(field.directives as never, "join__field");
      const graphs = fieldGraphs.length ? fieldGraphs : typeGraphs;
      owners.set(
        `${definition.name.value}.${field.name.value}`,
        graphs.map((g) => graphNames.get(g) ?? g),
      );
    }
  }
  return owners;
}

/**
 * Every field and argument an operation uses in the previous supergraph, checked against the new one:
 * a removed or retyped one breaks the client, and the message names the subgraph that served it.
 */
export function breakingChanges(
  previousSupergraph: string,
  nextSupergraph: string,
  operations: ClientOperation[],
): string[] {
  const previous = apiSchemaOf(previousSupergraph);
  const next = apiSchemaOf(nextSupergraph);
  const owners = ownersOf(previousSupergraph);
  const problems: string[] = [];
  for (const { file, document } of operations) {
    const invalid = validate(previous, document);
    if (invalid.length) {
      problems.push(`${file}: not valid against the checked-in supergraph: ${invalid[0]!.message}`);
      continue;
    }
    const typeInfo = new TypeInfo(previous);
    const seen = new Set<string>();
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          const parent = typeInfo.getParentType();
          const field = typeInfo.getFieldDef();
          if (!parent || !field || field.name.startsWith("__")) return;
          const coordinate = `${parent.name}.${field.name}`;
          if (seen.has(coordinate)) return;
          seen.add(coordinate);
          const from = `subgraph ${(owners.get(coordinate) ?? ["?"]).join(", ")}`;
          const nextParent = next.getType(parent.name);
          const nextField =
            nextParent && "getFields" in nextParent
              ? nextParent.getFields()[field.name]
              : undefined;
          if (!nextField) {
            problems.push(
              `${file}: uses ${coordinate} (${from}), which the new supergraph removes`,
            );
            return;
          }
          if (String(nextField.type) !== String(field.type)) {
            problems.push(
              `${file}: uses ${coordinate} (${from}), retyped from ${String(field.type)} to ${String(nextField.type)}`,
            );
          }
          for (const arg of field.args) {
            const nextArg =
              "args" in nextField ? nextField.args.find((a) => a.name === arg.name) : undefined;
            if (!nextArg)
              problems.push(
                `${file}: uses ${coordinate}(${arg.name}:) (${from}), which the new supergraph removes`,
              );
            else if (String(nextArg.type) !== String(arg.type))
              problems.push(
                `${file}: uses ${coordinate}(${arg.name}:) (${from}), retyped from ${String(arg.type)} to ${String(nextArg.type)}`,
              );
          }
        },
      }),
    );
    const stillValid = validate(next, document);
    if (stillValid.length && !problems.some((p) => p.startsWith(`${file}:`))) {
      problems.push(`${file}: no longer valid: ${stillValid[0]!.message}`);
    }
  }
  return problems;
}
