// What a subgraph tells its values module, and what the module's parts read of it.
import type { IndicatorDefinition } from "./definitions.js";

export interface ValuesModuleOptions {
  /** Names the subgraph's types and mutations: "Health" gives HealthValue, submitHealthValue, ... */
  prefix: string;
  /** The agency that runs the subgraph, for the documentation. */
  agencyName: string;
  definitions: IndicatorDefinition[];
  /** Every reporting unit's code, the city's included. */
  units: string[];
  cityCode: string;
  /** Clock for "no future month" and reportedAt; tests pass a fixed one. */
  now?: () => Date;
  /** False in the plan subgraph, which owns ReportingUnit; others declare a reference to it. */
  referenceReportingUnit?: boolean;
  /**
   * The field this subgraph adds to the plan's ProgressReview entity with its figures (identity,
   * health, ...); the plan subgraph computes its own and sets none.
   */
  reviewField?: string;
}

/** The options as the resolvers read them: indicators by code, a clock always. */
export interface ValuesSettings {
  prefix: string;
  agencyName: string;
  definitions: Map<string, IndicatorDefinition>;
  units: string[];
  cityCode: string;
  now: () => Date;
  /** True in the plan subgraph, which owns ReportingUnit and resolves its references. */
  ownsReportingUnit: boolean;
  reviewField?: string;
}

export function valuesSettings(options: ValuesModuleOptions): ValuesSettings {
  return {
    prefix: options.prefix,
    agencyName: options.agencyName,
    definitions: new Map(options.definitions.map((d) => [d.code, d])),
    units: options.units,
    cityCode: options.cityCode,
    now: options.now ?? (() => new Date()),
    ownsReportingUnit: options.referenceReportingUnit === false,
    ...(options.reviewField !== undefined && { reviewField: options.reviewField }),
  };
}
