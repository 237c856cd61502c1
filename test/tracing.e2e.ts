// Traces across the graph: with an OTLP endpoint configured, one request through the gateway is one
// trace, from the gateway's server span through @apollo/gateway's plan and fetches to each subgraph's
// server span (joined by the W3C traceparent the gateway sends), on through what the plan reads of
// the agencies through the graph (the traceparent it sends on), and to the database commands of a
// write.
// The receiver stands where Jaeger or a collector would, in this process.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from "../scripts/lib/otlp-receiver.js";
import { subgraphs } from "@p06/catalogue";
import { startSystem, type RunningSystem } from "./support/system.js";

const scorecard = readFileSync(
  new URL("../gateway/operations/1-city-scorecard.graphql", import.meta.url),
  "utf8",
);
const SERVER = 2;
const CLIENT = 3;

let receiver: OtlpReceiver;
let system: RunningSystem;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  system = await startSystem("tracing", {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    // exported within a moment, not the default five seconds
    OTEL_BSP_SCHEDULE_DELAY: "50",
    GATEWAY_WORKERS: "1",
  });
}, 120_000);

afterAll(async () => {
  await system?.stop();
  await receiver?.close();
});

/** POSTs an operation with a request id of its own, to find its trace by. */
async function ask(query: string, variables: Record<string, unknown>, agency = "IOC") {
  const requestId = `tracing-${randomBytes(6).toString("hex")}`;
  const response = await fetch(system.gatewayUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${await system.token(agency)}`,
      "x-request-id": requestId,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown };
  expect(body.errors).toBeUndefined();
  return requestId;
}

/** The gateway's span of the request: the root of its trace (the plan's reads share its id). */
const rootOf = (spans: ReceivedSpan[], requestId: string) =>
  spans.find(
    (span) =>
      span.service === "p06-gateway" &&
      span.kind === SERVER &&
      span.parentSpanId === undefined &&
      span.attributes["p06.request.id"] === requestId,
  );

const subgraphServices = subgraphs.map((spec) => `p06-${spec.name}`);
const agencies = subgraphs.filter((spec) => spec.name !== "plan").map((spec) => spec.name);
/** A month no page has asked of yet: the plan reads every agency's figures of it. */
const UNASKED = { year: 2030, period: "2026-09" };

describe("traces across the graph", () => {
  let scorecardRequest: string;

  it("a city scorecard is one trace: the gateway's spans, the plan, and the agencies' figures the plan reads through the graph", async () => {
    scorecardRequest = await ask(scorecard, UNASKED);
    const inTrace = (spans: ReceivedSpan[]) => {
      const root = rootOf(spans, scorecardRequest);
      return root ? spans.filter((span) => span.traceId === root.traceId) : [];
    };
    await receiver.waitFor((spans) =>
      subgraphServices.every((service) =>
        inTrace(spans).some((span) => span.service === service && span.kind === SERVER),
      ),
    );
    const root = rootOf(receiver.spans, scorecardRequest)!;
    const trace = inTrace(receiver.spans);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    /** The server span a span runs under: the request it is part of. */
    const serverOf = (span: ReceivedSpan) => {
      let up = byId.get(span.parentSpanId!);
      while (up && up.kind !== SERVER) up = byId.get(up.parentSpanId!);
      return up;
    };

    expect(root).toMatchObject({ name: "POST /graphql", kind: SERVER });
    expect(root.attributes).toMatchObject({
      "graphql.operation.name": "CityScorecard",
      "p06.answer.source": "executed",
    });
    // every span this request made, in any process, is in the root's trace
    const tagged = receiver.spans.filter(
      (span) => span.attributes["p06.request.id"] === scorecardRequest,
    );
    expect(new Set(tagged.map((span) => span.traceId))).toEqual(new Set([root.traceId]));
    expect(new Set(tagged.map((span) => span.service))).toEqual(
      new Set(["p06-gateway", ...subgraphServices]),
    );

    const names = trace.filter((s) => s.service === "p06-gateway").map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["gateway.request", "gateway.execute"]));
    // the page's query plan: one fetch, to the plan
    const fetches = trace.filter((span) => span.name === "gateway.fetch");
    expect(fetches.filter((f) => serverOf(f) === root).map((f) => f.attributes.service)).toEqual([
      "plan",
    ]);
    // the plan reads each agency's figures of the month through the graph: one read each, a request
    // to the gateway that fetches from that agency alone
    const reads = trace.filter((span) => span.name === "graph.read");
    expect(reads.map((read) => serverOf(read)?.service)).toEqual(agencies.map(() => "p06-plan"));
    const readFetches = reads.map((read) => {
      const served = trace.filter((span) => span.parentSpanId === read.spanId);
      expect(served).toEqual([expect.objectContaining({ service: "p06-gateway", kind: SERVER })]);
      return fetches
        .filter((f) => serverOf(f) === served[0])
        .map((f) => f.attributes.service)
        .join();
    });
    expect(readFetches.sort()).toEqual([...agencies].sort());

    // each fetch's request leaves the gateway in a client span, continued by the subgraph's server span
    const requests = trace.filter((span) => span.name === "subgraph.request");
    expect(requests).toHaveLength(fetches.length);
    for (const request of requests) {
      expect(request.kind).toBe(CLIENT);
      const fetch = byId.get(request.parentSpanId!)!;
      expect(fetch.name).toBe("gateway.fetch");
      expect(fetch.attributes.service).toBe(request.attributes["subgraph.name"]);
      const served = trace.filter((span) => span.parentSpanId === request.spanId);
      expect(served).toHaveLength(1);
      expect(served[0]).toMatchObject({
        name: "POST /graphql",
        kind: SERVER,
        service: `p06-${String(request.attributes["subgraph.name"])}`,
      });
    }
    // the subgraphs' reads come from their read models in memory: an execution span, no database
    const subgraphServers = trace.filter((s) => s.kind === SERVER && s.service !== "p06-gateway");
    for (const server of subgraphServers) {
      const below = trace.filter((span) => span.parentSpanId === server.spanId);
      expect(below.map((span) => span.name)).toContain("graphql.execute");
    }
  });

  it("a kept answer is a short trace: the gateway's span alone", async () => {
    const requestId = await ask(scorecard, UNASKED);
    await receiver.waitFor((spans) => rootOf(spans, requestId) !== undefined);
    const root = rootOf(receiver.spans, requestId)!;
    expect(root.attributes["p06.answer.source"]).toBe("kept");
    expect(root.traceId).not.toBe(rootOf(receiver.spans, scorecardRequest)!.traceId);
    expect(receiver.spans.filter((span) => span.traceId === root.traceId)).toEqual([root]);
  });

  it("a write's trace goes down to the subgraph's database commands", async () => {
    const requestId = await ask(
      `mutation ($input: MonthlyReportInput!) { submitIdentityReport(input: $input) { created } }`,
      {
        input: {
          period: "2026-01",
          values: [{ indicator: "III.3", unit: "10507", numerator: 40, denominator: 100 }],
        },
      },
      "POLICE",
    );
    const commandsOf = (spans: ReceivedSpan[]) => {
      const root = rootOf(spans, requestId);
      return spans.filter(
        (span) =>
          span.traceId === root?.traceId &&
          span.service === "p06-identity" &&
          span.attributes["db.system.name"] === "mongodb",
      );
    };
    /** From a command up to the root: its ancestors' services and names, as far as they have come. */
    const chainOf = (spans: ReceivedSpan[]) => {
      const command = commandsOf(spans)[0];
      if (!command) return [];
      const byId = new Map(spans.map((s) => [s.spanId, s]));
      const chain: string[] = [];
      for (let span = byId.get(command.parentSpanId!); span; span = byId.get(span.parentSpanId!))
        chain.push(`${span.service} ${span.name}`);
      return chain;
    };
    // each process exports its spans in batches as they end: a command's span can arrive a batch
    // before the spans around it, so wait for the whole chain, not just the command
    await receiver.waitFor((spans) => chainOf(spans).at(-1) === "p06-gateway POST /graphql");
    const commands = commandsOf(receiver.spans);
    expect(commands.map((span) => span.attributes["db.operation.name"])).toEqual(
      expect.arrayContaining(["insert"]),
    );
    // from a command up to the gateway's root: the identity subgraph's server span, the gateway's
    // client span and fetch, through the same trace
    expect(commands[0]!.kind).toBe(CLIENT);
    const chain = chainOf(receiver.spans);
    expect(chain).toEqual(
      expect.arrayContaining([
        "p06-identity POST /graphql",
        "p06-gateway subgraph.request",
        "p06-gateway gateway.fetch",
        "p06-gateway POST /graphql",
      ]),
    );
    expect(chain.at(-1)).toBe("p06-gateway POST /graphql");
  });
});
