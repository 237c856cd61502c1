// Starts the gateway.
import { ConfigError, createLogger } from "@p06/subgraph-kit";
import { readGatewayConfig } from "./config.js";
import { startGateway } from "./gateway.js";

const logger = createLogger("gateway");
try {
  const gateway = await startGateway(readGatewayConfig(), logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    await gateway.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
} catch (error) {
  logger.fatal({ err: error }, error instanceof ConfigError ? error.message : "start-up failed");
  process.exit(1);
}
