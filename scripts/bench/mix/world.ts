// What the system holds, asked as each agency's month page: agencies, what each owes this month,
// indicators' levels; and the communes and months the pages ask about.
import { catalogue, CITY, reportingUnitCodes } from "@p06/catalogue";
import {
  flagsFor,
  reportingMonth,
  subgraphKey,
  type SubgraphKey,
} from "../../../gateway/web/src/agency-subgraph.js";
import type { BenchSystem } from "../harness.js";
import { bodyOf, type Operation } from "./documents.js";
import { latestDueMonth, todayInHaiPhong } from "./months.js";

export interface AgencyInfo {
  code: string;
  key: SubgraphKey;
  /** Its indicators (the month page's list), with how each is measured. */
  indicators: { code: string; measure: string; level: string | null }[];
  /** What it owes for the month it reports now, by indicator: the units. */
  owed: Map<string, string[]>;
  /** DRAFT or RETURNED: writable. */
  state: string | null;
  /** Whether it has a month page (an agency that reports no indicator has none). */
  hasMonth: boolean;
}

export interface World {
  agencies: AgencyInfo[];
  /** Those with a month page: the agencies that report. */
  reporting: AgencyInfo[];
  indicators: string[];
  communes: string[];
  levelOf: Map<string, string | null>;
  latestDue: string;
  entryMonth: string;
  today: string;
}

interface AgencyMonthAnswer {
  agency: { code: string; subgraph: string | null } | null;
  indicators: { code: string; measure?: string | null; reportingLevel?: string | null }[];
  [month: string]: unknown;
}

/** Each agency's month page, asked as the agency: its indicators and what it owes this month. */
export async function discover(
  system: BenchSystem,
  documents: Record<Operation, string>,
): Promise<World> {
  const entryMonth = reportingMonth();
  const agencies: AgencyInfo[] = [];
  const levelOf = new Map<string, string | null>();
  for (const entry of catalogue.agencies) {
    const key = subgraphKey(entry.subgraph);
    const monthField = `${key}Month`;
    // asked as the page asks; an agency that reports nothing has no month (the page says so)
    const response = await fetch(system.gatewayUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await system.token(entry.code)}`,
      },
      body: bodyOf(documents, "WebAgencyMonth", {
        agency: entry.code,
        period: entryMonth,
        ...flagsFor(key),
      }),
    });
    const answer = (await response.json()) as { data?: AgencyMonthAnswer | null };
    const data = answer.data;
    if (!data) {
      agencies.push({
        code: entry.code,
        key,
        indicators: [],
        owed: new Map(),
        state: null,
        hasMonth: false,
      });
      continue;
    }
    const month = data[monthField] as {
      state: string;
      obligations: { indicator: string; unit: string }[];
    } | null;
    const owed = new Map<string, string[]>();
    // the figure form offers the agency's plan indicators (its own beyond the plan are uploaded)
    const offered = new Set(data.indicators.map((i) => i.code));
    for (const o of (month?.obligations ?? []).filter((o) => offered.has(o.indicator))) {
      owed.set(o.indicator, [...(owed.get(o.indicator) ?? []), o.unit]);
    }
    const indicators = data.indicators.map((i) => ({
      code: i.code,
      measure: i.measure ?? "COUNT",
      level: i.reportingLevel ?? null,
    }));
    for (const i of indicators) if (i.level) levelOf.set(i.code, i.level);
    agencies.push({
      code: entry.code,
      key,
      indicators,
      owed,
      state: month?.state ?? null,
      hasMonth: Boolean(month),
    });
  }
  const indicators = catalogue.indicators.map((i) => i.code);
  const communes = reportingUnitCodes().filter((code) => code !== CITY.code);
  return {
    agencies,
    reporting: agencies.filter((a) => a.hasMonth),
    indicators,
    communes,
    levelOf,
    latestDue: latestDueMonth(),
    entryMonth,
    today: todayInHaiPhong(),
  };
}
