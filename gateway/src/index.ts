// Starts the gateway: one worker per core (GATEWAY_WORKERS) under a primary, or, with one worker,
// this process alone.
import cluster from "node:cluster";
import { createLogger, runService } from "@p06/subgraph-kit";
import { readGatewayConfig } from "./config.js";
import { startGateway } from "./gateway.js";
import { runPrimary, runWorker, workerLink } from "./workers.js";

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
