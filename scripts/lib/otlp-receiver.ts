// An OTLP/HTTP trace receiver in this process, where a tracing collector (Jaeger, the OpenTelemetry
// Collector) would be: it takes the spans every service exports (OTLP JSON, as
// @opentelemetry/exporter-trace-otlp-http sends them) and draws a trace as a tree of spans with their
// durations. The tracing test and `npm run trace:scorecard` use it.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** A span as received, with the name of the service that sent it. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** Undefined for a trace's root (or a span whose parent is in another process, not yet seen). */
  parentSpanId?: string;
  name: string;
  /** OTLP's span kind: 1 internal, 2 server, 3 client. */
  kind: number;
  service: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
}

export interface OtlpReceiver {
  /** The endpoint to give OTEL_EXPORTER_OTLP_ENDPOINT (the exporter adds /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** How many export requests came. */
  exports(): number;
  /** Resolves once the spans received satisfy `ready`; rejects after `timeoutMs`. */
  waitFor(ready: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

type AnyValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
};
type KeyValue = { key: string; value?: AnyValue };
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        startTimeUnixNano: string | number;
        endTimeUnixNano: string | number;
        attributes?: KeyValue[];
      }[];
    }[];
  }[];
}

const valueOf = (value: AnyValue | undefined): string | number | boolean =>
  value?.stringValue ??
  (value?.intValue !== undefined ? Number(value.intValue) : undefined) ??
  value?.doubleValue ??
  value?.boolValue ??
  "";

const attributesOf = (list: KeyValue[] | undefined) =>
  Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  let exports = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      const body = JSON.parse(raw.toString()) as ExportRequest;
      exports += 1;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)["service.name"]);
        for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
          for (const span of scopeSpans.spans ?? []) {
            spans.push({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
              name: span.name,
              kind: span.kind,
              service,
              startNs: BigInt(span.startTimeUnixNano),
              endNs: BigInt(span.endTimeUnixNano),
              attributes: attributesOf(span.attributes),
            });
          }
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    exports: () => exports,
    async waitFor(ready, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ready(spans)) {
        if (Date.now() > deadline)
          throw new Error(`the spans expected did not arrive in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** What tells a span apart in the tree: the subgraph it fetched from, the operation it ran. */
function detail(span: ReceivedSpan): string {
  const a = span.attributes;
  const said =
    a["subgraph.name"] ?? a.service ?? a["graphql.operation.name"] ?? a["p06.answer.source"];
  return said === undefined ? "" : ` ${String(said)}`;
}

/**
 * One trace as an indented tree: each span's name, what it was about, its service where it changes,
 * its start after the root's and its duration, children in the order they started.
 */
export function traceTree(spans: ReceivedSpan[], traceId: string): string {
  const own = spans.filter((span) => span.traceId === traceId);
  const ids = new Set(own.map((span) => span.spanId));
  const children = new Map<string | undefined, ReceivedSpan[]>();
  for (const span of own) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const roots = children.get(undefined) ?? [];
  const origin = roots.reduce(
    (min, span) => (span.startNs < min ? span.startNs : min),
    roots[0]?.startNs ?? 0n,
  );
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
  const lines: string[] = [];
  const draw = (span: ReceivedSpan, depth: number, service: string | undefined) => {
    const label = `${"  ".repeat(depth)}${span.name}${detail(span)}${span.service === service ? "" : ` [${span.service}]`}`;
    lines.push(
      `${label.padEnd(80)} ${`+${ms(span.startNs - origin)}`.padStart(8)} ms ${ms(span.endNs - span.startNs).padStart(7)} ms`,
    );
    for (const child of children.get(span.spanId) ?? []) draw(child, depth + 1, span.service);
  };
  for (const root of roots) draw(root, 0, undefined);
  return lines.join("\n");
}
