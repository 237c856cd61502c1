// Traces (OpenTelemetry), for the gateway and every subgraph: on when an OTLP endpoint is configured
// (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), exported over OTLP/HTTP; off
// otherwise, and then nothing is registered and no request does any tracing work. The other OTEL_*
// variables (service name, sampler, batching, headers) are read by the OpenTelemetry SDK itself.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_URL_PATH,
} from "@opentelemetry/semantic-conventions";
import type { Connection } from "mongoose";

type Env = Record<string, string | undefined>;

/** The request id (x-request-id) the gateway gave a request, on its spans as in its log lines. */
export const ATTR_REQUEST_ID = "p06.request.id";
const ATTR_OPERATION_NAME = "graphql.operation.name";

/** Tracing as started: the tracer the service's own spans come from, and the flush at shutdown. */
export interface Tracing {
  tracer: Tracer;
  /** Sends the spans not yet exported and stops (at a clean shutdown). */
  shutdown(): Promise<void>;
}

/** Whether an OTLP endpoint is configured: tracing is on exactly then. */
export const tracingConfigured = (env: Env = process.env): boolean =>
  !!(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());

/**
 * Registers the OpenTelemetry SDK for this process (W3C trace context, spans kept across async calls,
 * batched OTLP/HTTP export) when an endpoint is configured; null, registering nothing, when not.
 * `serviceName` is the default of OTEL_SERVICE_NAME. Call it before the service starts serving:
 * libraries that trace through @opentelemetry/api (@apollo/gateway) pick the provider up from then.
 */
export async function startTracing(serviceName: string): Promise<Tracing | null> {
  if (!tracingConfigured()) return null;
  // loaded only when on: the SDK and its exporter take a third of a second to load, in every process
  const [{ OTLPTraceExporter }, resources, { BatchSpanProcessor, NodeTracerProvider }] =
    await Promise.all([
      import("@opentelemetry/exporter-trace-otlp-http"),
      import("@opentelemetry/resources"),
      import("@opentelemetry/sdk-trace-node"),
    ]);
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = resources;
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return {
    tracer: trace.getTracer("p06"),
    shutdown: () => provider.shutdown(),
  };
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A server span for each request to `path` (POST /graphql), continuing the caller's trace from its
 * `traceparent` header; the handler and everything it starts runs inside it. Other paths (health
 * checks, version polls, assets) are left untraced: they would each be a trace of their own.
 */
export function traceRequests(tracer: Tracer, path: string, handler: Handler): Handler {
  return (req, res) => {
    const url = req.url ?? "";
    if (url !== path && !url.startsWith(`${path}?`)) return handler(req, res);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(
      `${req.method} ${path}`,
      {
        kind: SpanKind.SERVER,
        attributes: { [ATTR_HTTP_REQUEST_METHOD]: req.method, [ATTR_URL_PATH]: path },
      },
      parent,
    );
    const active = trace.setSpan(parent, span);
    res.once("close", () => {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    // the body's events come from the socket, outside this call: bound, so they run in the span too
    context.bind(active, req);
    context.with(active, () => handler(req, res));
  };
}

/**
 * A client span for every command the connection sends to MongoDB, from the driver's command
 * monitoring (the connection must be opened with `monitorCommands: true`). Only commands inside a
 * traced request get one: the background work (following the change log) would otherwise be a trace
 * per poll. The command itself is not recorded (figures are the agencies' data).
 */
export function traceCommands(tracer: Tracer, connection: Connection): void {
  const client = connection.getClient();
  const open = new Map<number, Span>();
  client.on("commandStarted", (event) => {
    const active = context.active();
    if (!trace.getSpan(active)) return;
    const collection: unknown = event.command[event.commandName];
    open.set(
      event.requestId,
      tracer.startSpan(
        typeof collection === "string" ? `${event.commandName} ${collection}` : event.commandName,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_DB_SYSTEM_NAME]: "mongodb",
            [ATTR_DB_OPERATION_NAME]: event.commandName,
            [ATTR_DB_NAMESPACE]: event.databaseName,
            ...(typeof collection === "string" && { [ATTR_DB_COLLECTION_NAME]: collection }),
          },
        },
        active,
      ),
    );
  });
  client.on("commandSucceeded", (event) => {
    open.get(event.requestId)?.end();
    open.delete(event.requestId);
  });
  client.on("commandFailed", (event) => {
    const span = open.get(event.requestId);
    if (!span) return;
    open.delete(event.requestId);
    span.setAttribute(ATTR_ERROR_TYPE, event.failure.name);
    span.setStatus({ code: SpanStatusCode.ERROR, message: event.failure.message });
    span.end();
  });
}

/**
 * Names the request's server span after its operation and request id, and adds a span for the
 * operation's execution: the resolvers, which read the subgraph's in-memory read model (an answer the
 * subgraph kept has none).
 */
export function tracingPlugin(tracer: Tracer): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request }) {
      const requestId = request.http?.headers.get("x-request-id");
      trace.getActiveSpan()?.setAttributes({
        ...(request.operationName && { [ATTR_OPERATION_NAME]: request.operationName }),
        ...(requestId && { [ATTR_REQUEST_ID]: requestId }),
      });
      return {
        async executionDidStart() {
          const span = tracer.startSpan("graphql.execute", {
            ...(request.operationName && {
              attributes: { [ATTR_OPERATION_NAME]: request.operationName },
            }),
          });
          return {
            async executionDidEnd(error) {
              if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
              span.end();
            },
          };
        },
      };
    },
  };
}
