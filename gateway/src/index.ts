// Starts the gateway: one worker per core (GATEWAY_WORKERS) under a primary, or, with one worker,
// this process alone.
import "./plain-exports.js";
import cluster from "node:cluster";
import { createLogger, runService } from "@p06/subgraph-kit";
import { readGatewayConfig } from "./config.js";
import { runPrimary, runWorker, workerLink } from "./workers.js";

// the gateway itself is loaded only where it serves: the primary of several workers forks them sooner
const startGateway = async (...args: Parameters<typeof import("./gateway.js").startGateway>) =>
  (await import("./gateway.js")).startGateway(...args);

const logger = createLogger("gateway");
if (cluster.isWorker) {
  await runWorker(logger, async () => {
    const gateway = await startGateway(readGatewayConfig(), logger, workerLink());
    return () => gateway.close();
  });
} else {
  await runService(logger, async () => {
    const config = readGatewayConfig();
    if (config.workers > 1) return runPrimary(config, logger);
    const gateway = await startGateway(config, logger);
    return () => gateway.close();
  });
}
