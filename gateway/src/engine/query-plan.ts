// The query plan of an operation without running it, for the playground's "Query plan" panel: which
// subgraphs the gateway would ask, in what order. Planned by the gateway's own planner
// (@apollo/query-planner, over the supergraph it serves, the latest in dev mode), printed by the
// planner's prettyFormatQueryPlan, with an outline beside it for reading at a glance.
//
// A plan request goes through Apollo Server's own pipeline, exactly as a request to /graphql does: the
// caller's token, parsing under the token limit, validation with the depth, alias and directive limits
// (and no introspection where it is off), the operation picked, the cost limit. Only where execution
// would start, `plugin` answers with the plan instead: a caller learns the plan of what they may ask,
// and nothing of what they may not.
import { randomUUID } from "node:crypto";
import type { ApolloGateway } from "@apollo/gateway";
import { operationFromDocument } from "@apollo/federation-internals";
import {
  prettyFormatQueryPlan,
  type PlanNode,
  type QueryPlanner,
  type QueryPlan,
  type SubscriptionNode,
} from "@apollo/query-planner";
import { HeaderMap, type ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
import { Kind, parse, type DocumentNode, type SelectionSetNode } from "graphql";
import { LRUCache } from "lru-cache";
import type { Authenticate } from "../trust/auth.js";
import type { ExecutionNotes, GatewayContext } from "./subgraph-source.js";

/** One step of a plan, as the playground draws it. */
export interface PlanStep {
  kind: "Sequence" | "Parallel" | "Fetch" | "Flatten" | "Defer" | "Condition" | "Subscription";
  /** Fetch: the subgraph asked, and what it is asked for (`Type.field` for entities). */
  service?: string;
  fields?: string[];
  /** Flatten: where in the answer the fetched entities go (`@` for each item of a list). */
  path?: string;
  /** Condition: the variable it turns on. */
  condition?: string;
  /** The steps inside, in order (for a Condition: if, then else; for a Defer: primary, then deferred). */
  steps?: PlanStep[];
}

/** What a plan request answers, in `extensions.queryPlan`. */
export interface PlanAnswer {
  /** The subgraphs asked, in the order the plan first asks each, with how many fetches each. */
  subgraphs: { name: string; fetches: number }[];
  /** The plan as a tree of steps (null: nothing to fetch, e.g. only `__typename`). */
  outline: PlanStep | null;
  /** The plan as @apollo/query-planner prints it (what `npm run plan` prints). */
  text: string;
}

/** What a fetch asks its subgraph for: its root fields, or `Type.field` inside `_entities`. */
function fetchFields(operation: string): string[] {
  let document: DocumentNode;
  try {
    document = parse(operation);
  } catch {
    return [];
  }
  const fields: string[] = [];
  const walk = (selectionSet: SelectionSetNode, type: string | null) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === "__typename") continue;
        if (name === "_entities" && selection.selectionSet) walk(selection.selectionSet, null);
        else fields.push(type ? `${type}.${name}` : name);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, selection.typeCondition?.name.value ?? type);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) walk(definition.selectionSet, null);
  }
  return [...new Set(fields)];
}

/** The plan's tree as steps (the Fetch operations summarised as the fields they ask). */
export function outlineOf(node: PlanNode | SubscriptionNode): PlanStep {
  switch (node.kind) {
    case "Sequence":
    case "Parallel":
      return { kind: node.kind, steps: node.nodes.map(outlineOf) };
    case "Fetch":
      return { kind: "Fetch", service: node.serviceName, fields: fetchFields(node.operation) };
    case "Flatten":
      return { kind: "Flatten", path: node.path.join("."), steps: [outlineOf(node.node)] };
    case "Condition":
      return {
        kind: "Condition",
        condition: node.condition,
        steps: [node.ifClause, node.elseClause].flatMap((clause) =>
          clause ? [outlineOf(clause)] : [],
        ),
      };
    case "Defer":
      return {
        kind: "Defer",
        steps: [node.primary.node, ...node.deferred.map((deferred) => deferred.node)].flatMap(
          (step) => (step ? [outlineOf(step)] : []),
        ),
      };
    case "Subscription":
      return {
        kind: "Subscription",
        steps: [outlineOf(node.primary), ...(node.rest ? [outlineOf(node.rest)] : [])],
      };
  }
}

/** Every subgraph the plan asks, in the order it first asks each, with its number of fetches. */
function subgraphsOf(step: PlanStep | null): PlanAnswer["subgraphs"] {
  const counts = new Map<string, number>();
  const visit = (s: PlanStep) => {
    if (s.service) counts.set(s.service, (counts.get(s.service) ?? 0) + 1);
    s.steps?.forEach(visit);
  };
  if (step) visit(step);
  return [...counts].map(([name, fetches]) => ({ name, fetches }));
}

export function planAnswer(plan: QueryPlan): PlanAnswer {
  const outline = plan.node ? outlineOf(plan.node) : null;
  return { subgraphs: subgraphsOf(outline), outline, text: prettyFormatQueryPlan(plan) };
}

export class QueryPlans {
  /** The plans made, by planner: a new supergraph (dev mode) brings a new planner, and new plans. */
  private readonly plans = new WeakMap<QueryPlanner, LRUCache<string, PlanAnswer>>();
  /** The requests a plan answers, by their notes (shared by reference, unlike the context). */
  private readonly planOnly = new WeakSet<ExecutionNotes>();

  constructor(private readonly gateway: ApolloGateway) {}

  /** The plan of the document's operation (picked by name where it holds several). */
  plan(document: DocumentNode, operationName: string | undefined, key: string): PlanAnswer {
    // the very planner the gateway plans with (its `__testing` accessor is the public way to it)
    const planner = this.gateway.__testing().queryPlanner;
    if (!planner) throw new Error("the gateway has no supergraph yet");
    let plans = this.plans.get(planner);
    if (!plans) this.plans.set(planner, (plans = new LRUCache({ max: 200 })));
    const kept = plans.get(key);
    if (kept) return kept;
    // as @apollo/gateway plans: the operation over the supergraph's API schema
    const operation = operationFromDocument(planner.supergraph.apiSchema(), document as never, {
      operationName,
    });
    const answer = planAnswer(planner.buildQueryPlan(operation));
    plans.set(key, answer);
    return answer;
  }

  /** Answers a plan request with its plan where execution would start: nothing is run. */
  readonly plugin: ApolloServerPlugin<GatewayContext> = {
    requestDidStart: async ({ contextValue }) => {
      if (!contextValue.notes || !this.planOnly.has(contextValue.notes)) return;
      return {
        responseForOperation: async ({ document, request, queryHash }) => {
          const operationName = request.operationName ?? undefined;
          const queryPlan = this.plan(
            document,
            operationName,
            `${operationName ?? ""}\n${queryHash}`,
          );
          return {
            http: { status: 200, headers: new HeaderMap([["cache-control", "no-store"]]) },
            body: { kind: "single", singleResult: { extensions: { queryPlan } } },
          };
        },
      };
    },
  };

  /**
   * POST { query, operationName, variables } as to /graphql (after the JSON body checks): the same
   * answer /graphql would give for a refused request, else `{ extensions: { queryPlan } }`.
   */
  handler(apollo: ApolloServer<GatewayContext>, authenticate: Authenticate): RequestHandler {
    return async (req, res, next) => {
      try {
        let claims = null;
        let authError: unknown;
        try {
          claims = await authenticate(req.headers.authorization);
        } catch (error) {
          // answered by Apollo Server, as /graphql answers it: a 401 GraphQL error
          authError = error;
        }
        const notes: ExecutionNotes = { reads: new Map() };
        this.planOnly.add(notes);
        const requestId = randomUUID();
        const headers = new HeaderMap();
        for (const [name, value] of Object.entries(req.headers)) {
          if (value !== undefined)
            headers.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: "POST", headers, search: "", body: req.body },
          context: async () => {
            if (authError) throw authError;
            return { requestId, claims, notes };
          },
        });
        let text = "";
        if (response.body.kind === "complete") text = response.body.string;
        else for await (const chunk of response.body.asyncIterator) text += chunk;
        res.status(response.status ?? 200);
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.setHeader("x-request-id", requestId);
        res.send(text);
      } catch (error) {
        next(error);
      }
    };
  }
}
