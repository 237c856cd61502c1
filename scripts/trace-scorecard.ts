// `npm run trace:scorecard`: the city scorecard's trace, drawn. Starts FerretDB, the subgraphs on
// today's demo data and the gateway with tracing on, exporting to an OTLP receiver in this process;
// asks the scorecard as the IOC (the first time: executed through every subgraph), again (a kept
// answer), and submits one figure (a write, down to its database commands); prints each trace as a
// tree of spans with their durations. Stops everything it started.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { startOtlpReceiver, traceTree, type ReceivedSpan } from "./lib/otlp-receiver.js";
import { subgraphs } from "@p06/catalogue";
import {
  log,
  openBenchDatabase,
  scorecardOperation,
  scorecardVariables,
  startBenchSystem,
  type BenchSystem,
} from "./bench/harness.js";

// it takes no options: an unknown one is refused before anything starts
parseArgs({ options: {} });

const receiver = await startOtlpReceiver();
const database = await openBenchDatabase("today");
let system: BenchSystem | undefined;
try {
  system = await startBenchSystem(database, {
    // exported within a moment, not the default five seconds
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: "50" },
  });
  const { gatewayUrl } = system;
  /** Asks through the gateway; resolves to the trace of the request once all its spans are in. */
  const traced = async (
    title: string,
    agency: string,
    query: string,
    variables: Record<string, unknown>,
    services: string[],
  ) => {
    const requestId = `trace-${randomBytes(6).toString("hex")}`;
    const response = await fetch(gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await system!.token(agency)}`,
        "x-request-id": requestId,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${title}: ${JSON.stringify(body.errors).slice(0, 500)}`);
    const traceOf = (spans: ReceivedSpan[]) =>
      spans.find((s) => s.service === "p06-gateway" && s.attributes["p06.request.id"] === requestId)
        ?.traceId;
    await receiver.waitFor((spans) => {
      const traceId = traceOf(spans);
      return services.every((service) =>
        spans.some((span) => span.traceId === traceId && span.service === service),
      );
    });
    // spans still arriving (the batch of a slower service) get a moment more
    await new Promise((resolve) => setTimeout(resolve, 300));
    console.log(`\n${title}\n\n${traceTree(receiver.spans, traceOf(receiver.spans)!)}`);
  };
  const everyService = ["p06-gateway", ...subgraphs.map((spec) => `p06-${spec.name}`)];
  await traced(
    "The city scorecard, executed (the first time this caller asks it):",
    "IOC",
    scorecardOperation,
    scorecardVariables,
    everyService,
  );
  await traced(
    "The same scorecard again: a kept answer (nothing changed since):",
    "IOC",
    scorecardOperation,
    scorecardVariables,
    ["p06-gateway"],
  );
  await traced(
    "A write: one figure submitted by the police (identity subgraph):",
    "POLICE",
    `mutation ($input: MonthlyReportInput!) { submitIdentityReport(input: $input) { created } }`,
    {
      input: {
        period: "2026-10",
        values: [{ indicator: "III.3", unit: "10507", numerator: 71, denominator: 100 }],
      },
    },
    ["p06-gateway", "p06-identity"],
  );
  console.log(
    "\n(each span: name, what it was about, [service] where it changes, start after the root's" +
      " (the SDK stamps starts to the millisecond), duration)",
  );
} finally {
  await system?.stop();
  await database.stop();
  await receiver.close();
  log("stopped");
}
