// Prometheus metrics of the gateway: requests, errors and latency per operation and per subgraph.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "p06_gateway_" });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    requests: new Counter({
      name: "p06_gateway_requests_total",
      help: "GraphQL requests by operation name",
      labelNames: ["operation"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "p06_gateway_request_errors_total",
      help: "GraphQL requests answered with errors, by operation and error code",
      labelNames: ["operation", "code"],
      registers: [registry],
    }),
    duration: new Histogram({
      name: "p06_gateway_request_duration_seconds",
      help: "GraphQL request latency by operation",
      labelNames: ["operation"],
      buckets,
      registers: [registry],
    }),
    subgraphDuration: new Histogram({
      name: "p06_gateway_subgraph_duration_seconds",
      help: "Latency of the gateway's requests to each subgraph",
      labelNames: ["subgraph"],
      buckets,
      registers: [registry],
    }),
    refusals: new Counter({
      name: "p06_gateway_refusals_total",
      help: "Requests refused before GraphQL ran: rate limit, body too large, malformed JSON",
      labelNames: ["reason"],
      registers: [registry],
    }),
    answers: new Counter({
      name: "p06_gateway_answers_total",
      help: "Answers to GraphQL requests by operation and where they came from: executed, kept (the answer cache, 304 included) or shared (an identical request in flight)",
      labelNames: ["operation", "source"],
      registers: [registry],
    }),
    subgraphFetchesShared: new Counter({
      name: "p06_gateway_subgraph_fetches_shared_total",
      help: "Subgraph fetches not sent because an identical one was in flight",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
    subgraphFetchesKept: new Counter({
      name: "p06_gateway_subgraph_fetches_kept_total",
      help: "Subgraph fetches answered from the kept fetches (the subgraph's version unchanged since)",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
    subgraphInFlight: new Gauge({
      name: "p06_gateway_subgraph_in_flight",
      help: "Requests in flight to each subgraph (admission control; summed over the workers)",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
    subgraphQueued: new Gauge({
      name: "p06_gateway_subgraph_queued",
      help: "Reads waiting for a slot to each subgraph (admission control; summed over the workers)",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
    subgraphRefusals: new Counter({
      name: "p06_gateway_subgraph_refusals_total",
      help: "Reads refused with SUBGRAPH_BUSY: the subgraph's queue was full or the wait too long",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
    workersServing: new Gauge({
      name: "p06_gateway_workers_serving",
      help: "Gateway processes taking requests (summed over the workers: how many serve now)",
      registers: [registry],
    }),
    subgraphErrors: new Counter({
      name: "p06_gateway_subgraph_errors_total",
      help: "Failed requests to each subgraph (network, timeout, HTTP status)",
      labelNames: ["subgraph"],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
