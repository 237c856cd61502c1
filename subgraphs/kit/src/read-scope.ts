// The last month an answer depends on. A root field that reads nothing after a month says so as it
// resolves (readsUpTo); an answer whose every root field (and every entity of `_entities`) said so
// carries READ_SCOPE_HEADER, and stays fresh through writes to later months (changes/steps.ts). A
// field that says nothing may read any month: its answer has no scope and is fresh only until the
// next write. Saying too little costs only reuse; saying too much would serve stale data, so a root
// says a month only for what its subtree reads without saying; a field under it that reads a later
// month, or every month, says so (readsMonthsUpTo, readsAnyMonth).
import type { FieldNode, GraphQLResolveInfo, OperationDefinitionNode } from "graphql";
import { Kind } from "graphql";
import { isMonth } from "./changes/steps.js";

/** What a request's context carries: each root response key's last month, and how often it said. */
export interface ScopedReads {
  readScope?: Map<string, RootScope>;
  /** Set when the answer comes kept: the scope it was kept with (null: none). */
  keptScope?: string | null;
}

interface RootScope {
  upTo: string;
  times: number;
  /** A field under it read every month (readsAnyMonth). */
  anyMonth?: boolean;
}

/** A resolver that reads every month: it says so (readsAnyMonth) before it resolves. */
export const anyMonth =
  <P, A, C, R>(resolve: (parent: P, args: A, context: C, info: GraphQLResolveInfo) => R) =>
  (parent: P, args: A, context: C, info: GraphQLResolveInfo): R => {
    readsAnyMonth(context, info);
    return resolve(parent, args, context, info);
  };

/** A root resolver that reads no month's data (the catalogue, the plan's state): it says so. */
export const noMonth =
  <P, A, C, R>(resolve: (parent: P, args: A, context: C, info: GraphQLResolveInfo) => R) =>
  (parent: P, args: A, context: C, info: GraphQLResolveInfo): R => {
    readsUpTo(context, info, NO_MONTH);
    return resolve(parent, args, context, info);
  };

/** The month before every month: what a field reading no month's data says (only any-month changes). */
export const NO_MONTH = "";

/**
 * Says that what this resolver gives, with everything under it, reads no month after `upTo`
 * (NO_MONTH: none at all). A root field (or an entity reference) says it for its whole answer; a
 * field under one that reads up to a later month says so too, and the root's answer then reads up
 * to that month.
 */
export function readsUpTo(context: unknown, info: GraphQLResolveInfo, upTo: string): void {
  // not a month (a bad argument about to be refused): nothing said
  if (upTo !== NO_MONTH && !isMonth(upTo)) return;
  const reads = ((context as ScopedReads).readScope ??= new Map());
  const root = info.path.prev === undefined;
  const key = rootKeyOf(info);
  const said = reads.get(key);
  reads.set(key, {
    ...said,
    upTo: said && said.upTo > upTo ? said.upTo : upTo,
    // only the root's own saying counts as said (once, or once an entity)
    times: (said?.times ?? 0) + (root ? 1 : 0),
  });
}

/**
 * Says, from a field under a root, that it reads no month after `upTo`, or every month when it names
 * none (null, or not a month).
 */
export function readsMonthsUpTo(
  context: unknown,
  info: GraphQLResolveInfo,
  upTo: string | null | undefined,
): void {
  if (typeof upTo === "string" && isMonth(upTo)) readsUpTo(context, info, upTo);
  else readsAnyMonth(context, info);
}

/** Says that a field reads every month (a whole series): its root field's answer has no scope. */
export function readsAnyMonth(context: unknown, info: GraphQLResolveInfo): void {
  const reads = ((context as ScopedReads).readScope ??= new Map());
  const key = rootKeyOf(info);
  reads.set(key, { ...(reads.get(key) ?? { upTo: NO_MONTH, times: 0 }), anyMonth: true });
}

/** The response key of the root field a resolver is under. */
function rootKeyOf(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

/**
 * The last month the answer to `operation` depends on, or null when some root field (or entity)
 * did not say.
 */
export function answerScope(
  context: unknown,
  operation: OperationDefinitionNode | undefined,
  variables: Record<string, unknown> | undefined,
): string | null {
  const scoped = context as ScopedReads;
  if (scoped.keptScope !== undefined) return scoped.keptScope;
  if (!operation || !scoped.readScope) return null;
  let upTo: string | null = null;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) return null;
    const name = selection.name.value;
    // a root field left out by @skip or @include reads nothing (an agency's page names the field of
    // every agency's subgraph, and includes its own)
    if (name === "__typename" || leftOut(selection, operation, variables)) continue;
    const said = scoped.readScope.get(selection.alias?.value ?? name);
    if (!said || said.anyMonth || said.times !== expectedTimes(selection, variables)) return null;
    if (upTo === null || said.upTo > upTo) upTo = said.upTo;
  }
  return upTo;
}

/**
 * Whether @skip or @include certainly leaves a field out. Where its condition cannot be told (a
 * variable neither given nor defaulted), the field counts as asked, and must say what it read.
 */
function leftOut(
  field: FieldNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): boolean {
  for (const directive of field.directives ?? []) {
    const name = directive.name.value;
    if (name !== "skip" && name !== "include") continue;
    const condition = directive.arguments?.find((a) => a.name.value === "if")?.value;
    let value: unknown;
    if (condition?.kind === Kind.BOOLEAN) value = condition.value;
    else if (condition?.kind === Kind.VARIABLE) {
      const variable = condition.name.value;
      const declared = operation.variableDefinitions?.find(
        (d) => d.variable.name.value === variable,
      );
      value =
        variables && variable in variables
          ? variables[variable]
          : declared?.defaultValue?.kind === Kind.BOOLEAN
            ? declared.defaultValue.value
            : undefined;
    }
    if (typeof value === "boolean" && (name === "skip") === value) return true;
  }
  return false;
}

/** A root field resolves once; `_entities` once for each representation (each must say). */
function expectedTimes(field: FieldNode, variables: Record<string, unknown> | undefined): number {
  if (field.name.value !== "_entities") return 1;
  const argument = field.arguments?.find((a) => a.name.value === "representations");
  const value =
    argument?.value.kind === Kind.VARIABLE ? variables?.[argument.value.name.value] : undefined;
  return Array.isArray(value) ? value.length : -1;
}

/** A scope as READ_SCOPE_HEADER and the read versions' `@` write it: `*` for NO_MONTH. */
export const formatScope = (upTo: string) => upTo || "*";

/** A scope from its header, or undefined (any month) when missing or malformed. */
export function parseScope(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === "*") return NO_MONTH;
  return typeof text === "string" && isMonth(text) ? text : undefined;
}
