// A subgraph keeps its answers to reads while its data version holds: the same query, variables and
// caller at the same version is the same answer, so it is computed once. Every IOC screen asks the
// same agency figures of a review; the plan gets the same representations back until a write. No
// time limit: an answer is reused only while provably fresh, and bounded in memory by size.
import { createHash } from "node:crypto";
import {
  HeaderMap,
  type ApolloServerPlugin,
  type BaseContext,
  type GraphQLRequestContext,
  type GraphQLRequestListener,
} from "@apollo/server";
import type { FormattedExecutionResult } from "graphql";
import { LRUCache } from "lru-cache";
import { lastChangeUpTo, type Steps } from "./changes/steps.js";
import { answerScope, type ScopedReads } from "./read-scope.js";
import { stillHolds, type Stamps } from "./read-versions.js";

export interface AnswerCacheOptions {
  /** The subgraph's data version now. */
  version: () => number;
  /**
   * Where its changes fell (changes/steps.ts): an answer that reads no month after one is given again
   * after writes to later months. None: every answer holds only at its own version.
   */
  steps?: () => Steps;
  /** Who is asking (answers may differ by caller). */
  callerOf: (context: BaseContext) => string | null;
  /**
   * The other subgraphs' versions the gateway knows (read-versions.ts): an answer that read them is
   * given again only if what it read is at least as new; null when none were sent.
   */
  knownOf?: (context: BaseContext) => Stamps | null;
  /** Bytes of answers kept at most (default 64 MB). */
  maxBytes?: number;
  /** False: keep nothing (default: SUBGRAPH_ANSWER_CACHE, on unless "0"), to measure work done cold. */
  enabled?: boolean;
}

type SingleResult = FormattedExecutionResult;

/** The other subgraphs' versions an answer read (server.ts), kept and given again with it. */
type Reads = { readVersions?: Stamps };

/** Whether an answer that read `reads` is still as new as the gateway knows (none sent: not known). */
function newEnough(reads: Stamps, known: Stamps | null): boolean {
  if (!known) return false;
  return Object.entries(known).every(([subgraph, stamp]) => {
    const read = reads[subgraph];
    return !read || stillHolds(read, stamp);
  });
}

/**
 * Answers' JSON, made once when an answer is kept (its size), by its data: Apollo Server's
 * `stringifyResult` (stringifyAnswer) sends it as made, for the answer computed and every time it is
 * given again, instead of serialising the same data again.
 */
const serialized = new WeakMap<object, string>();

/** Apollo Server's `stringifyResult`: an answer's JSON, as made once when it was kept. */
export function stringifyAnswer(result: FormattedExecutionResult): string {
  const { data, errors, extensions } = result;
  const made = data && !errors && !extensions ? serialized.get(data) : undefined;
  // Apollo Server's own form (prettyJSONStringify)
  return made ?? `${JSON.stringify(result)}\n`;
}

function keyOf(request: GraphQLRequestContext<BaseContext>["request"], caller: string | null) {
  return createHash("sha1")
    .update(caller ?? "")
    .update("\n")
    .update(request.operationName ?? "")
    .update("\n")
    .update(request.query ?? "")
    .update("\n")
    .update(JSON.stringify(request.variables ?? {}))
    .digest("base64");
}

export function answerCachePlugin(options: AnswerCacheOptions): ApolloServerPlugin<BaseContext> {
  if (!(options.enabled ?? process.env.SUBGRAPH_ANSWER_CACHE !== "0")) return {};
  const answers = new LRUCache<
    string,
    {
      version: number;
      result: SingleResult;
      size: number;
      readVersions?: Stamps;
      /** The last month it read (read-scope.ts), when it said. */
      upTo?: string;
    }
  >({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry) => entry.size,
  });
  return {
    async requestDidStart({ request, contextValue }): Promise<GraphQLRequestListener<BaseContext>> {
      const version = options.version();
      const key = keyOf(request, options.callerOf(contextValue));
      let given = false;
      return {
        async responseForOperation({ operation }) {
          if (operation.operation !== "query") return null;
          const hit = answers.get(key);
          if (!hit) return null;
          const holds =
            hit.version === version ||
            (hit.upTo !== undefined &&
              options.steps !== undefined &&
              lastChangeUpTo(options.steps(), hit.upTo) <= hit.version);
          if (!holds) return null;
          if (hit.readVersions) {
            if (!newEnough(hit.readVersions, options.knownOf?.(contextValue) ?? null)) return null;
            (contextValue as Reads).readVersions = hit.readVersions;
          }
          (contextValue as ScopedReads).keptScope = hit.upTo ?? null;
          given = true;
          return {
            body: { kind: "single", singleResult: hit.result },
            http: { headers: new HeaderMap() },
          };
        },
        async willSendResponse({ operation, response, request: sent }) {
          if (operation?.operation !== "query" || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          // an answer with errors, or read while a write landed, is not kept
          if (given || result.errors?.length || options.version() !== version) return;
          const { readVersions } = contextValue as Reads;
          // an answer that read other subgraphs replaces the one kept: it read them as new or newer
          if (!readVersions && answers.get(key)?.version === version) return;
          const data = result.data ?? null;
          const json = `${JSON.stringify({ data })}\n`;
          if (data) serialized.set(data, json);
          const upTo = answerScope(contextValue, operation, sent.variables);
          answers.set(key, {
            version,
            result: { data },
            size: json.length,
            ...(readVersions && { readVersions }),
            ...(upTo !== null && { upTo }),
          });
        },
      };
    },
  };
}
