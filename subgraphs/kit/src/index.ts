// The subgraph kit: what every agency's subgraph shares, once.
export {
  ConfigError,
  intEnv,
  readSubgraphConfig,
  requireEnv,
  type SubgraphConfig,
} from "./config.js";
export { connectDatabase } from "./database.js";
export { ErrorCode, userError } from "./errors.js";
export { bulkWriteInBatches, MAX_WRITE_BATCH } from "./bulk-write.js";
export { loaderByField } from "./loaders.js";
export { createLogger, type Logger } from "./logger.js";
export { runSubgraph, type SubgraphModule } from "./run.js";
export { serveSubgraph, type ServeOptions, type ServingSubgraph } from "./server.js";
export { loadTypeDefs } from "./sdl.js";
