// Starts the gateway.
import { createLogger, runService } from "@p06/subgraph-kit";
import { readGatewayConfig } from "./config.js";
import { startGateway } from "./gateway.js";

const logger = createLogger("gateway");
await runService(logger, async () => {
  const gateway = await startGateway(readGatewayConfig(), logger);
  return () => gateway.close();
});
