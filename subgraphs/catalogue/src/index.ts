// The plan catalogue as transcribed from plan 208/KH-UBND: Appendix I, Appendix II, the agencies;
// with the reporting units and the one list of subgraphs.
import agencyData from "./agencies.json" with { type: "json" };
import indicatorData from "./indicators.json" with { type: "json" };
import taskData from "./tasks.json" with { type: "json" };
import { agencySubgraphs, subgraphOfAgency } from "./subgraphs.js";

export type Comparator = "AT_LEAST" | "EQUAL";
export type TargetKind = "NUMERIC" | "MILESTONE" | "ASSIGNED";

export interface Target {
  year: number;
  raw: string;
  value: number | null;
  comparator: Comparator | null;
  kind: TargetKind;
}

export interface IndicatorEntry {
  code: string;
  group: string;
  title: string;
  titleVi: string;
  unitVi: string | null;
  targets: Target[];
  trackingAgenciesVi: string | null;
  trackingAgencies: string[];
}

export interface TaskEntry {
  code: string;
  group: string;
  title: string;
  titleVi: string;
  footnoteVi?: string;
  leadAgenciesVi: string;
  leadAgencies: string[];
  coordinatingAgenciesVi: string | null;
  coordinatingAgencies: string[];
  timingVi: string;
  outputVi: string | null;
  output: string | null;
}

export interface GroupEntry {
  code: string;
  title: string;
  titleVi: string;
}

export interface TaskGroupEntry extends GroupEntry {
  bodyTitleVi: string;
  declaredTaskCount: number;
}

export interface AgencyEntry {
  code: string;
  name: string;
  nameVi: string;
  /** The subgraph that holds its indicators (subgraphs.json), or null when the plan does. */
  subgraph: string | null;
  /** Lower-case phrases by which the plan's cells name the agency. */
  aliasesVi: string[];
}

export const catalogue = {
  indicatorGroups: indicatorData.groups as GroupEntry[],
  indicators: indicatorData.indicators as IndicatorEntry[],
  taskGroups: taskData.groups as TaskGroupEntry[],
  tasks: taskData.tasks as TaskEntry[],
  agencies: (agencyData as Omit<AgencyEntry, "subgraph">[]).map((agency) => ({
    ...agency,
    subgraph: subgraphOfAgency(agency.code),
  })),
};

/**
 * The agency subgraph that reports an indicator: its first-named tracking agency's, unless that
 * subgraph lists the indicators it reports and this is not one of them; null when the plan holds it.
 */
export function owningSubgraph(indicator: IndicatorEntry): string | null {
  const first = indicator.trackingAgencies[0] ?? "";
  const owner = agencySubgraphs.find((spec) =>
    spec.indicators ? spec.indicators.includes(indicator.code) : spec.agencies.includes(first),
  );
  return owner?.name ?? null;
}
/**
 * Agencies' names for a sentence, in English joined by "and" (the Department of Home Affairs and City
 * Social Insurance) or in Vietnamese by commas; an unknown code as it is.
 */
export function agencyNames(codes: string[], language: "en" | "vi" = "en"): string {
  return codes
    .map((code) => {
      const agency = catalogue.agencies.find((a) => a.code === code);
      return agency ? (language === "vi" ? agency.nameVi : agency.name) : code;
    })
    .join(language === "vi" ? ", " : " and ");
}
export * from "./reporting-units.js";
export * from "./subgraphs.js";

/** The plan indicators a subgraph reports (those whose first-named tracking agency it serves). */
export function indicatorsOf(subgraph: string | null): IndicatorEntry[] {
  return catalogue.indicators.filter((indicator) => owningSubgraph(indicator) === subgraph);
}
