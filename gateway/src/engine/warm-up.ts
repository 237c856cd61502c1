// Before the gateway takes traffic it runs the client operation set once (gateway/operations, with
// their example variables), so that the first real request finds its query plan made, the code it runs
// compiled and the subgraphs' answers kept. Errors are ignored (a subgraph may be down: that costs it
// only its own fields later too) and the whole is bounded in time.
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "@p06/subgraph-kit";
import { exampleTabs } from "../playground/playground.js";
import type { GatewayContext } from "./subgraph-source.js";

/**
 * Waits until every subgraph says it is ready (a gateway started beside its subgraphs), at most
 * `timeoutMs`: a subgraph still down then costs only its own fields, as always.
 */
async function subgraphsReady(urls: Record<string, string>, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let down = Object.keys(urls);
  while (down.length > 0 && Date.now() < deadline) {
    const answers = await Promise.all(
      down.map((name) =>
        fetch(urls[name]!.replace(/\/graphql$/, "/readyz"), {
          signal: AbortSignal.timeout(1000),
        }).then(
          (response) => response.ok,
          () => false,
        ),
      ),
    );
    down = down.filter((_, i) => !answers[i]);
    if (down.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return down;
}

export async function warmUp(
  apollo: ApolloServer<GatewayContext>,
  logger: Logger,
  subgraphUrls: Record<string, string>,
  timeoutMs = 10_000,
): Promise<void> {
  const down = await subgraphsReady(subgraphUrls, 30_000);
  if (down.length > 0) logger.warn({ down }, "warming up while some subgraphs are not ready");
  const started = performance.now();
  const runs = exampleTabs().map((tab) =>
    apollo
      .executeOperation(
        { query: tab.query, variables: JSON.parse(tab.variables) as Record<string, unknown> },
        { contextValue: { requestId: "warm-up", claims: null } },
      )
      .catch(() => undefined),
  );
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(runs), late]);
  clearTimeout(timer);
  logger.info(
    { ms: Math.round(performance.now() - started) },
    "warmed up on the client operations",
  );
}
