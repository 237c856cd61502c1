// What each agency owes for a month, read through the gateway as the IOC (the plan never reads another
// subgraph's database): which agencies report through which subgraph and how much they owe, from the
// IOC's review, then each agency's month (`healthMonth(agency, period)`, ...) with its obligations.

/** Sends an operation to the gateway and gives its data; throws on any error (no partial answers). */
export type AskGraph = <Data>(query: string, variables: Record<string, unknown>) => Promise<Data>;

/** One figure an agency still owes: an indicator for a reporting unit. */
export interface OwedFigure {
  indicator: string;
  unit: string;
}

export interface AgencyOwed {
  agency: string;
  /** The subgraph its month is read from, as the review names it (health, socialSecurity, plan, ...). */
  subgraph: string;
  /** End of the 10th of the next month, Hai Phong time. */
  dueAt: Date;
  /** Figures expected of it for the month. */
  expected: number;
  /** Those not received yet, by indicator then unit. */
  outstanding: OwedFigure[];
}

/** The names a digest shows: agencies, indicators and units by code, in Vietnamese. */
export interface Names {
  agencies: Map<string, string>;
  indicators: Map<string, string>;
  units: Map<string, string>;
}

export interface Owed {
  names: Names;
  agencies: AgencyOwed[];
}

/** The review's subgraphs, each with its agencies' months (`<name>Month`). */
const SUBGRAPHS = ["identity", "procedures", "health", "education", "socialSecurity", "plan"];

const OVERVIEW = `query ReminderOverview($year: Int!, $period: String!) {
  agencies { code nameVi }
  indicators { code titleVi }
  reportingUnits(includeInactive: true, limit: 2000) { code name }
  review(year: $year, period: $period) {
    ${SUBGRAPHS.map((name) => `${name} { months { agency expected } }`).join("\n    ")}
  }
}`;

interface Overview {
  agencies: { code: string; nameVi: string }[];
  indicators: { code: string; titleVi: string }[];
  reportingUnits: { code: string; name: string }[];
  review: Record<string, { months: { agency: string; expected: number }[] } | null>;
}

interface MonthAnswer {
  agency: string;
  dueAt: string;
  obligations: { indicator: string; unit: string; reportedAt: string | null }[];
}

/** What every reporting agency owes for `period`: each figure not received yet, whatever the clock says. */
export async function readOwed(ask: AskGraph, period: string): Promise<Owed> {
  const overview = await ask<Overview>(OVERVIEW, { year: Number(period.slice(0, 4)), period });
  const months = SUBGRAPHS.flatMap((subgraph) => {
    const figures = overview.review[subgraph];
    if (!figures) throw new Error(`the ${subgraph} subgraph did not answer`);
    return figures.months
      .filter((month) => month.expected > 0)
      .map((month) => ({ ...month, subgraph }));
  });
  const agencies: AgencyOwed[] = [];
  if (months.length > 0) {
    // one request for every agency's month, each asking for no more obligations than it has
    const fields = months.map(
      (month, index) =>
        `m${index}: ${month.subgraph}Month(agency: ${JSON.stringify(month.agency)}, period: $period) {
    agency dueAt obligations(limit: ${Math.min(month.expected, 5000)}) { indicator unit reportedAt }
  }`,
    );
    const answers = await ask<Record<string, MonthAnswer>>(
      `query ReminderMonths($period: String!) {\n  ${fields.join("\n  ")}\n}`,
      { period },
    );
    months.forEach((month, index) => {
      const answer = answers[`m${index}`]!;
      agencies.push({
        agency: month.agency,
        subgraph: month.subgraph,
        dueAt: new Date(answer.dueAt),
        expected: month.expected,
        outstanding: answer.obligations
          .filter((o) => o.reportedAt == null)
          .map(({ indicator, unit }) => ({ indicator, unit })),
      });
    });
  }
  return {
    names: {
      agencies: new Map(overview.agencies.map((a) => [a.code, a.nameVi])),
      indicators: new Map(overview.indicators.map((i) => [i.code, i.titleVi])),
      units: new Map(overview.reportingUnits.map((u) => [u.code, u.name])),
    },
    agencies,
  };
}

/** A client of the gateway's /graphql with a bearer token. */
export function gatewayClient(url: string, token: () => string | Promise<string>): AskGraph {
  return async <Data>(query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await token()}`,
      },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(60_000),
    }).catch((error: Error) => {
      const cause = error.cause instanceof Error ? error.cause.message : error.message;
      throw new Error(`cannot reach the gateway at ${url}: ${cause}`);
    });
    const text = await response.text();
    let body: { data?: Data; errors?: { message: string }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      const type = response.headers.get("content-type") ?? "no content type";
      throw new Error(
        `${url} answered ${response.status} (${type}), not the gateway's JSON: is it the gateway's /graphql address?`,
      );
    }
    if (body.errors?.length || !body.data) {
      throw new Error(
        `the gateway refused (${response.status}): ${body.errors?.map((e) => e.message).join("; ")}`,
      );
    }
    return body.data;
  };
}
