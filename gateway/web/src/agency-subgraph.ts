// Which subgraph holds an agency's figures, as the flag the pages' operations take: each operation
// has one field per subgraph behind an @include flag of that name (see gateway/operations/web-submit-
// report.graphql), and the answer comes back under the same name.
export const SUBGRAPH_KEYS = [
  "identity",
  "procedures",
  "health",
  "education",
  "socialSecurity",
  "plan",
] as const;
export type SubgraphKey = (typeof SUBGRAPH_KEYS)[number];

/** Agency.subgraph (identity, social-security, ...; null: the plan holds its indicators) as a key. */
export function subgraphKey(subgraph: string | null | undefined): SubgraphKey {
  if (!subgraph) return "plan";
  const key = subgraph.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
  return (SUBGRAPH_KEYS as readonly string[]).includes(key) ? (key as SubgraphKey) : "plan";
}

/** The variables that select the subgraph's field: { health: true }. */
export const flagsFor = (key: SubgraphKey) =>
  ({ [key]: true }) as Partial<Record<SubgraphKey, true>>;

/** The month field of WebAgencyMonth for each key. */
export const MONTH_FIELDS = {
  identity: "identityMonth",
  procedures: "proceduresMonth",
  health: "healthMonth",
  education: "educationMonth",
  socialSecurity: "socialSecurityMonth",
  plan: "planMonth",
} as const satisfies Record<SubgraphKey, string>;

/** The answer of the one field the flags selected. */
export function answered<Data extends Partial<Record<SubgraphKey, unknown>>>(
  data: Data,
  key: SubgraphKey,
): NonNullable<Data[SubgraphKey]> {
  const value = data[key];
  if (value === undefined || value === null) throw new Error(`no answer from ${key}`);
  return value as NonNullable<Data[SubgraphKey]>;
}

/** Breakdown categories by indicator and subgraph (the subgraphs' definitions; see docs/agency-month.md). */
const BREAKDOWNS: Partial<Record<SubgraphKey, Record<string, string[]>>> = {
  identity: {
    "III.1": ["under-6", "6-to-under-14", "14-and-over"],
    "III.3": ["under-6", "6-to-under-14", "14-and-over"],
  },
  procedures: { "I.5": ["city-level", "commune-level"], "II.1": ["city-level", "commune-level"] },
  health: {
    "II.5": ["hospital", "health-centre", "clinic"],
    "II.12": ["hospital", "health-centre", "clinic"],
  },
  education: {
    "III.9": ["primary", "lower-secondary", "upper-secondary"],
    "II.5": ["primary", "lower-secondary", "upper-secondary"],
  },
  socialSecurity: { "V.2": ["pension", "social-allowance", "unemployment"] },
};

export const breakdownOf = (key: SubgraphKey, indicator: string): string[] =>
  BREAKDOWNS[key]?.[indicator] ?? [];

/** The previous month of YYYY-MM. */
export function monthBefore(period: string): string {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, month - 2, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The month an agency reports now: last month (Hai Phong time). */
export function reportingMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The categories' names, Vietnamese and English. */
export const CATEGORY_NAMES: Record<string, [string, string]> = {
  "under-6": ["Dưới 6 tuổi", "Under 6"],
  "6-to-under-14": ["Từ 6 đến dưới 14 tuổi", "6 to under 14"],
  "14-and-over": ["Từ 14 tuổi trở lên", "14 and over"],
  "city-level": ["Cấp thành phố", "City level"],
  "commune-level": ["Cấp xã", "Commune level"],
  hospital: ["Bệnh viện", "Hospitals"],
  "health-centre": ["Trạm y tế", "Health centres"],
  clinic: ["Phòng khám", "Clinics"],
  primary: ["Tiểu học", "Primary"],
  "lower-secondary": ["THCS", "Lower secondary"],
  "upper-secondary": ["THPT", "Upper secondary"],
  pension: ["Lương hưu", "Pensions"],
  "social-allowance": ["Trợ cấp xã hội", "Social allowances"],
  unemployment: ["Trợ cấp thất nghiệp", "Unemployment benefits"],
};
