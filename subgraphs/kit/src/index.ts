// The subgraph kit: what every agency's subgraph shares, once.
export {
  boundedIntEnv,
  ConfigError,
  intEnv,
  readSubgraphConfig,
  requireEnv,
  requireSecret,
  type SubgraphConfig,
} from "./config.js";
export { connectDatabase, isDatabaseUnavailable, SERVER_SELECTION_MS } from "./database.js";
export {
  availabilityPlugin,
  databaseUnavailable,
  POSSIBLY_STALE_HEADER,
  RETRY_AFTER_SECONDS,
  watchDatabase,
  type DatabaseWatch,
} from "./availability.js";
export { ErrorCode, userError } from "./errors.js";
export { WRITE_DEADLINE_HEADER, writeDeadlinePlugin } from "./write-deadline.js";
export { checkPage, page, type PageArguments } from "./paging.js";
export { checkPeriodArgument } from "./values/rules.js";
export { bulkWriteInBatches, insertOnce, MAX_WRITE_BATCH } from "./bulk-write.js";
export { createLogger, type Logger } from "./logger.js";
export { runService } from "./lifecycle.js";
export { runSubgraph, type SubgraphModule } from "./run.js";
export type { SubgraphRuntime } from "./runtime.js";
export { ChangeLog, type ChangeDoc } from "./changes/change-log.js";
export { Replica, type ReadModel } from "./changes/replica.js";
export {
  DATA_VERSION_HEADER,
  REQUEST_ID,
  serveSubgraph,
  type ReadsOtherSubgraphs,
  type RequestIdentity,
  type ServeOptions,
  type ServingSubgraph,
} from "./server.js";
export { loadTypeDefs } from "./sdl.js";
export { ATTR_REQUEST_ID, startTracing, traceRequests, type Tracing } from "./tracing.js";
export * from "./signing.js";
export * from "./read-versions.js";
export * from "./changes/steps.js";
export * from "./read-scope.js";
export * from "./roles.js";
export { clientCredentialsTokens, type ClientCredentials } from "./client-credentials.js";
export {
  reportingSubgraph,
  type ReportingContext,
  type ReportingSubgraphOptions,
} from "./reporting-subgraph.js";
export * from "./values/aggregate.js";
export * from "./values/progress.js";
export type { KitContext } from "./values/context.js";
export * from "./values/definitions.js";
export {
  demoResubmissions,
  demoValues,
  monthsBetween,
  seededRandom,
  type DemoOptions,
} from "./values/demo.js";
export { dhisDataValues, type DhisDataValue } from "./values/data-value-sets.js";
export { checkFigure, type Warning, type WarningRule } from "./values/checks.js";
export {
  indicatorMonthState,
  MonthBook,
  type MonthState,
  type MonthStepDoc,
} from "./values/months.js";
export { valueModels, type DataValueDoc, type CategoryFigure } from "./values/model.js";
export { valuesModule, MAX_REPORT_VALUES } from "./values/module.js";
export {
  parseReportFile,
  reportCsv,
  toCsv,
  REPORT_COLUMNS,
  type ReportFileFormat,
} from "./values/report-file.js";
export { recoverWrites, writeValues, type ValuesState } from "./values/store.js";
export {
  FigureStore,
  forgetFigureSnapshots,
  keyOf,
  VALUES_CHANGE,
  type FigureWarning,
} from "./values/figure-store.js";
export { validateValue, currentPeriod, figureOf, type ValueInput } from "./values/validate.js";
export {
  DEMO_MARK,
  demoSpan,
  isDemoDatabase,
  openValues,
  type OpenOptions,
} from "./values/prepare.js";
export {
  dueDate,
  monthsUpTo,
  type IndicatorFigures,
  type IndicatorReporting,
  type IndicatorSummary,
  type UnitRank,
  type UnitValue,
} from "./values/figures.js";
export { nextDue } from "./values/due-dates.js";
export { clockChangeModel, recordClockChanges, type ClockChange } from "./changes/clock-changes.js";
export {
  appendAudit,
  auditModel,
  personSchema,
  type Actor,
  type AuditAction,
  type AuditEntryDoc,
} from "./audit.js";
export { bodyRefusal, jsonBodyErrors, sendRefusal } from "./refusals.js";
export * from "./graph-reader.js";
export { readableUnits } from "./values/commune-reads.js";
