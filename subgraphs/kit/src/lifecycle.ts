// How every service of the system starts and stops: a failed start-up is logged (a missing variable
// by name) and exits 1; SIGINT or SIGTERM closes the service and exits 0.
import { ConfigError } from "./config.js";
import type { Logger } from "./logger.js";

export async function runService(
  logger: Logger,
  start: () => Promise<() => Promise<void>>,
): Promise<void> {
  try {
    const close = await start();
    const shutdown = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      await close();
      process.exit(0);
    };
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
  } catch (error) {
    logger.fatal({ err: error }, error instanceof ConfigError ? error.message : "start-up failed");
    process.exit(1);
  }
}
