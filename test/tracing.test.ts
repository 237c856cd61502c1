// Tracing is off unless an OTLP endpoint is configured: nothing registered, spans that record
// nothing, no trace context sent along. With one, spans go to it under the service's name.
import { context, propagation, trace } from "@opentelemetry/api";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startTracing } from "@p06/subgraph-kit";
import { startOtlpReceiver } from "../scripts/lib/otlp-receiver.js";

afterEach(() => {
  vi.unstubAllEnvs();
  trace.disable();
  context.disable();
  propagation.disable();
});

describe("tracing", () => {
  it("is off without an OTLP endpoint: no provider, no recording, no traceparent", async () => {
    vi.stubEnv("OTEL_EXPORTER_OTLP_ENDPOINT", "");
    vi.stubEnv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "");
    expect(await startTracing("p06-test")).toBeNull();
    const span = trace.getTracer("p06").startSpan("request");
    expect(span.isRecording()).toBe(false);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), headers);
    expect(headers).toEqual({});
  });

  it("exports to the configured endpoint, under the service's name unless OTEL_SERVICE_NAME says", async () => {
    const receiver = await startOtlpReceiver();
    try {
      for (const [configured, expected] of [
        ["", "p06-test"],
        ["p06-gateway-canary", "p06-gateway-canary"],
      ] as const) {
        vi.stubEnv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", `${receiver.url}/v1/traces`);
        vi.stubEnv("OTEL_SERVICE_NAME", configured);
        const tracing = (await startTracing("p06-test"))!;
        tracing.tracer.startSpan(`span for ${expected}`).end();
        // a clean shutdown sends what is left
        await tracing.shutdown();
        expect(receiver.spans.at(-1)).toMatchObject({
          name: `span for ${expected}`,
          service: expected,
        });
        trace.disable();
      }
    } finally {
      await receiver.close();
    }
  });
});
