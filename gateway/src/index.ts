// Starts the gateway: one worker per core (GATEWAY_WORKERS) under a primary, or, with one worker,
// this process alone. Traces (when an OTLP endpoint is configured) come from where it serves.
import "./engine/plain-exports.js";
import cluster from "node:cluster";
import { createLogger, runService, startTracing } from "@p06/subgraph-kit";
import { readGatewayConfig } from "./config.js";
import { runPrimary, runWorker, workerLink } from "./serving/workers.js";

// the gateway itself is loaded only where it serves: the primary of several workers forks them sooner
const startGateway = async (...args: Parameters<typeof import("./gateway.js").startGateway>) =>
  (await import("./gateway.js")).startGateway(...args);

const SERVICE_NAME = "p06-gateway";

const logger = createLogger("gateway");
if (cluster.isWorker) {
  await runWorker(logger, async () => {
    const tracing = await startTracing(SERVICE_NAME);
    const gateway = await startGateway(readGatewayConfig(), logger, {
      worker: workerLink(),
      ...(tracing && { tracer: tracing.tracer }),
    });
    return async () => {
      await gateway.close();
      await tracing?.shutdown();
    };
  });
} else {
  await runService(logger, async () => {
    const config = readGatewayConfig();
    if (config.workers > 1) return runPrimary(config, logger);
    const tracing = await startTracing(SERVICE_NAME);
    const gateway = await startGateway(config, logger, {
      ...(tracing && { tracer: tracing.tracer }),
    });
    return async () => {
      await gateway.close();
      await tracing?.shutdown();
    };
  });
}
