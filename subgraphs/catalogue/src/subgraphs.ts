// The one list of subgraphs (subgraphs.json): each is declared there once, by name, type prefix,
// default port and the agencies whose indicators it holds; everything else about it (its package,
// entry point, variables, published schema, indicator type) follows from those by convention.
// Start-up, composition, the gateway, the plan's schema, the benchmarks and the tests read it.
import list from "./subgraphs.json" with { type: "json" };

interface Declared {
  /** Lower-case, hyphenated: its folder under subgraphs/ and its name in the supergraph. */
  name: string;
  /** Names its types and mutations: "SocialSecurity" gives SocialSecurityIndicator, submitSocialSecurityValue. */
  prefix: string;
  /** Its port when P06_<NAME>_PORT does not say otherwise. */
  port: number;
  /** The agencies whose Appendix I indicators it reports (the plan holds every other agency's). */
  agencies: string[];
  /**
   * Only these of its agencies' indicators, when it reports only some (the plan keeps the others);
   * an indicator moved from the plan is added here.
   */
  indicators?: string[];
  /** Indicators another subgraph reports to which this one adds its own figures (education's schools in II.5). */
  contributesTo?: string[];
  /**
   * The code prefix of the indicators it tracks beyond the plan (EDU-S for EDU-S1, EDU-S2): a namespace
   * the agency owns. It defines them itself (title, unit, measure) in its subgraph, as its own
   * <Prefix>SupplementaryIndicator type; the list says only where a code is found.
   */
  supplementaryPrefix?: string;
}

export interface SubgraphSpec extends Declared {
  /** Its npm workspace package, which exports `buildSchema()`. */
  packageName: string;
  /** Its entry point, relative to the repository root. */
  entry: string;
  /** Its field on the plan's ProgressReview entity: socialSecurity for social-security. */
  reviewField: string;
  /** The Indicator type it resolves: SocialSecurityIndicator. */
  indicatorType: string;
  /** Its type of indicators beyond the plan, where it declares a supplementaryPrefix: EducationSupplementaryIndicator. */
  supplementaryType: string | null;
  /** Its published SDL, relative to the repository root: what composition reads. */
  schemaFile: string;
  /** The variables of its shared secret with the gateway, its URL at the gateway and its port. */
  secretVariable: string;
  urlVariable: string;
  portVariable: string;
}

/** The environment-variable form of a subgraph's name: SOCIAL_SECURITY for social-security. */
const variableName = (name: string) => name.toUpperCase().replaceAll("-", "_");

/** A subgraph's secret variable at the gateway: P06_SOCIAL_SECURITY_SECRET for social-security. */
export const secretVariable = (name: string) => `P06_${variableName(name)}_SECRET`;
/** A subgraph's URL variable at the gateway: P06_SOCIAL_SECURITY_URL for social-security. */
export const urlVariable = (name: string) => `P06_${variableName(name)}_URL`;
/** The variable that overrides a subgraph's port at start-up: P06_SOCIAL_SECURITY_PORT. */
export const portVariable = (name: string) => `P06_${variableName(name)}_PORT`;

/** A declared subgraph with everything that follows from its declaration. */
export function subgraphSpec(declared: Declared): SubgraphSpec {
  return {
    ...declared,
    packageName: `@p06/${declared.name}`,
    entry: `subgraphs/${declared.name}/src/index.ts`,
    reviewField: declared.prefix[0]!.toLowerCase() + declared.prefix.slice(1),
    indicatorType: `${declared.prefix}Indicator`,
    supplementaryType: declared.supplementaryPrefix
      ? `${declared.prefix}SupplementaryIndicator`
      : null,
    schemaFile: `schema/subgraphs/${declared.name}.graphql`,
    secretVariable: secretVariable(declared.name),
    urlVariable: urlVariable(declared.name),
    portVariable: portVariable(declared.name),
  };
}

/** Every subgraph, in start order: the plan first. */
export const subgraphs: SubgraphSpec[] = (list as Declared[]).map(subgraphSpec);

/** The subgraphs that report agencies' figures: every one but the plan. */
export const agencySubgraphs = subgraphs.filter((spec) => spec.name !== "plan");

/** A subgraph by name; throws on a name the list does not declare. */
export function subgraphNamed(name: string): SubgraphSpec {
  const spec = subgraphs.find((s) => s.name === name);
  if (!spec) throw new Error(`no subgraph named ${name} in subgraphs.json`);
  return spec;
}

/** The subgraph that holds an agency's indicators, or null when the plan holds them. */
export function subgraphOfAgency(agency: string): string | null {
  return agencySubgraphs.find((spec) => spec.agencies.includes(agency))?.name ?? null;
}

/** The subgraph whose supplementary indicators' namespace holds a code (EDU-S1: education), or null. */
export function supplementarySubgraph(code: string): SubgraphSpec | null {
  return (
    agencySubgraphs.find(
      (spec) => spec.supplementaryPrefix && code.startsWith(spec.supplementaryPrefix),
    ) ?? null
  );
}
