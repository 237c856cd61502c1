// The subgraph kit: what every agency's subgraph shares, once.
export {
  ConfigError,
  intEnv,
  readSubgraphConfig,
  requireEnv,
  requireSecret,
  type SubgraphConfig,
} from "./config.js";
export { connectDatabase } from "./database.js";
export { ErrorCode, userError } from "./errors.js";
export { bulkWriteInBatches, MAX_WRITE_BATCH } from "./bulk-write.js";
export { loaderByField } from "./loaders.js";
export { createLogger, type Logger } from "./logger.js";
export { runService } from "./lifecycle.js";
export { runReportingSubgraph, runSubgraph, type SubgraphModule } from "./run.js";
export {
  serveSubgraph,
  type RequestIdentity,
  type ServeOptions,
  type ServingSubgraph,
} from "./server.js";
export { loadTypeDefs } from "./sdl.js";
export * from "./signing.js";
export {
  reportingSubgraph,
  type ReportingContext,
  type ReportingSubgraphOptions,
} from "./reporting-subgraph.js";
export * from "./values/aggregate.js";
export { createValuesContext, type KitContext, type ValuesContext } from "./values/context.js";
export * from "./values/definitions.js";
export { demoValues, monthsBetween } from "./values/demo.js";
export { valueModels, type DataValueDoc, type CategoryFigure } from "./values/model.js";
export { valuesModule, MAX_REPORT_VALUES } from "./values/module.js";
export {
  parseReportFile,
  reportCsv,
  REPORT_COLUMNS,
  type ReportFileFormat,
} from "./values/report-file.js";
export { writeValues } from "./values/store.js";
export { validateValue, currentPeriod, figureOf, type ValueInput } from "./values/validate.js";
export { prepareValues } from "./values/prepare.js";
export {
  agencyFigures,
  dueDate,
  type AgencyFigures,
  type IndicatorFigures,
  type IndicatorReporting,
  type UnitValue,
} from "./values/figures.js";
export { appendAudit, auditModel, type AuditAction, type AuditEntryDoc } from "./audit.js";
export { jsonBodyErrors, sendRefusal } from "./refusals.js";
