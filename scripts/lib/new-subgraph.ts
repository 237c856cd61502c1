// What `npm run new:subgraph` writes for an agency joining the graph: a working package on the kit
// (schema, factory, entry point, a test running the shared reporting suite) and its line in the one
// list of subgraphs. Everything the plan, composition, start-up and the gateway need follows from that
// line; nothing here writes anywhere else.
import { existsSync } from "node:fs";
import { mkdir, readFile, symlink } from "node:fs/promises";
import { join } from "node:path";
import { intEnv, measureOf, valueModels } from "@p06/subgraph-kit";
import {
  agencyNames,
  catalogue,
  subgraphs,
  subgraphSpec,
  type IndicatorEntry,
  type SubgraphSpec,
} from "@p06/catalogue";
import type { Connection } from "mongoose";
import { writeFormatted } from "./formatted.js";

export interface NewSubgraphRequest {
  /** Lower-case and hyphenated: transport, industry-trade. */
  name: string;
  /** The agencies it reports for (their codes in the catalogue). */
  agencies: string[];
  /** The plan indicators it reports; by default every one its agencies track first. */
  indicators?: string[];
  /** Those of its indicators every commune reports (the rest the city reports). */
  commune?: string[];
  /** Its port; by default the one after the highest of those the others use. */
  port?: number;
}

/** A subgraph's port as `npm start` gives it: its P06_<NAME>_PORT, else its port in the list. */
const startPort = (spec: SubgraphSpec, env: NodeJS.ProcessEnv) =>
  intEnv(spec.portVariable, spec.port, env);

/**
 * What `npm start` runs on each port: the subgraphs, the gateway (GATEWAY_PORT) and the embedded
 * database (P06_DB_PORT).
 */
export function portsInUse(env: NodeJS.ProcessEnv = process.env): Map<number, string> {
  return new Map([
    ...subgraphs.map((s): [number, string] => [startPort(s, env), `${s.name} subgraph`]),
    [intEnv("GATEWAY_PORT", 4000, env), "gateway"],
    [intEnv("P06_DB_PORT", 27027, env), "database"],
  ]);
}

export class NewSubgraphError extends Error {}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The type prefix of a name: industry-trade gives IndustryTrade. */
export const prefixOf = (name: string) =>
  name
    .split("-")
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");

/** The request checked against the catalogue and the list, every problem named at once. */
export function planNewSubgraph(
  request: NewSubgraphRequest,
  env: NodeJS.ProcessEnv = process.env,
): {
  spec: SubgraphSpec;
  indicators: IndicatorEntry[];
  commune: string[];
  /** Those its agencies track first that it does not take: the plan keeps them. */
  kept: IndicatorEntry[];
} {
  const problems: string[] = [];
  const { name } = request;
  if (!NAME.test(name)) {
    problems.push(
      `--name ${JSON.stringify(name)}: lower-case letters and digits, words joined by "-"`,
    );
  } else if (subgraphs.some((s) => s.name === name || s.prefix === prefixOf(name))) {
    problems.push(`--name ${name}: a subgraph of that name is already in the list`);
  }
  if (request.agencies.length === 0) problems.push("--agency: name the agency it reports for");
  for (const code of request.agencies) {
    if (!catalogue.agencies.some((a) => a.code === code)) {
      problems.push(`--agency ${code}: no such agency in the catalogue`);
    } else {
      const holder = subgraphs.find((s) => s.agencies.includes(code));
      if (holder)
        problems.push(`--agency ${code}: already reported by the ${holder.name} subgraph`);
    }
  }
  const tracked = catalogue.indicators.filter((i) =>
    request.agencies.includes(i.trackingAgencies[0] ?? ""),
  );
  const codes = request.indicators ?? tracked.map((i) => i.code);
  for (const code of codes) {
    if (!catalogue.indicators.some((i) => i.code === code)) {
      problems.push(`--indicators ${code}: no such indicator in Appendix I`);
    } else if (!tracked.some((i) => i.code === code)) {
      problems.push(`--indicators ${code}: not tracked first by ${request.agencies.join(", ")}`);
    }
  }
  const indicators = tracked.filter((i) => codes.includes(i.code));
  const commune = request.commune ?? [];
  for (const code of commune) {
    if (!indicators.some((i) => i.code === code)) {
      problems.push(`--commune ${code}: not one of the subgraph's indicators`);
    }
  }
  const suiteIndicator = indicators.find(
    (i) => commune.includes(i.code) && measureOf(i) === "PERCENT",
  );
  if (problems.length === 0 && !suiteIndicator) {
    problems.push(
      "--commune: the shared reporting suite needs one percentage indicator every commune reports; name one",
    );
  }
  // next to the subgraphs' ports as `npm start` gives them (P06_<NAME>_PORT moves them), on none that
  // another service uses or the list gives
  const inUse = portsInUse(env);
  const taken = (port: number) =>
    inUse.get(port) ?? subgraphs.find((s) => s.port === port)?.name.concat(" subgraph") ?? null;
  let port = request.port ?? Math.max(...subgraphs.map((s) => startPort(s, env))) + 1;
  if (request.port === undefined) while (taken(port)) port += 1;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) {
    problems.push(`--port ${port}: a port from 1024 to 65535`);
  } else if (taken(port)) {
    problems.push(`--port ${port}: taken by the ${taken(port)}`);
  }
  if (problems.length) throw new NewSubgraphError(problems.join("\n"));
  const declared = { name, prefix: prefixOf(name), port, agencies: request.agencies };
  return {
    spec: subgraphSpec(
      request.indicators ? { ...declared, indicators: indicators.map((i) => i.code) } : declared,
    ),
    indicators,
    commune,
    kept: tracked.filter((i) => !codes.includes(i.code)),
  };
}

/** The new package's files, by path relative to its folder. */
export function subgraphFiles(
  spec: SubgraphSpec,
  indicators: IndicatorEntry[],
  commune: string[],
): Record<string, string> {
  const lower = spec.reviewField;
  const names = agencyNames(spec.agencies);
  const factory = `build${spec.prefix}Subgraph`;
  const suite = indicators.find((i) => commune.includes(i.code) && measureOf(i) === "PERCENT")!;
  const cityOnly = indicators.find((i) => !commune.includes(i.code));
  const stranger = catalogue.agencies.find(
    (a) => a.subgraph && !spec.agencies.includes(a.code),
  )!.code;
  return {
    "package.json": `${JSON.stringify(
      {
        name: spec.packageName,
        private: true,
        type: "module",
        exports: { ".": { "p06-dist": "./dist/schema.js", default: "./src/schema.ts" } },
        scripts: {
          start: "tsx src/index.ts",
          lint: "eslint src test",
          "check-types": "tsc --noEmit",
        },
        dependencies: { "@p06/catalogue": "*", "@p06/subgraph-kit": "*" },
      },
      null,
      2,
    )}\n`,
    "tsconfig.json": `${JSON.stringify({ extends: "../../tsconfig.json", include: ["src", "test"] }, null, 2)}\n`,
    "schema.graphql": `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@shareable"])
  @contact(
    name: ${JSON.stringify(`${names} (${agencyNames(spec.agencies, "vi")})`)}
    description: ${JSON.stringify(`Project 06 indicators reported by the ${names}.`)}
  )

type Query {
  ${JSON.stringify(`The Appendix I indicators the ${names} reports.`)}
  ${lower}Indicators: [${spec.indicatorType}!]!
}

${JSON.stringify(`An Appendix I indicator reported by the ${names} (its catalogue fields come from the plan).`)}
type ${spec.indicatorType} @key(fields: "code") {
  "The plan's code, e.g. ${indicators[0]!.code}."
  code: ID!
  "How a figure is expressed."
  measure: Measure!
  "How months make a year."
  timeAggregation: TimeAggregation!
  "Reported by every commune or by the city alone."
  reportingLevel: ReportingLevel!
  "The city's monthly figures, oldest first."
  citySeries: [CityMonth!]!
  "Reported figures by month then unit, optionally of one unit and between two months (YYYY-MM, inclusive): a page of at most limit figures (1 to 5000) after the first offset; the next page while a page comes back full."
  values(unit: ID, from: String, to: String, limit: Int! = 500, offset: Int! = 0): [${spec.prefix}Value!]!
  "Every version of one figure, oldest first; the last is the current one. A page of at most limit versions (1 to 1000) after the first offset."
  history(unit: ID!, period: String!, limit: Int! = 100, offset: Int! = 0): [${spec.prefix}Value!]!
}
`,
    "src/schema.ts": `// The ${spec.name} subgraph: the Appendix I indicators the ${names} reports.
import { CITY, indicatorsOf, reportingUnitCodes, subgraphNamed } from "@p06/catalogue";
import { planIndicator, reportingSubgraph, type DefinitionOptions } from "@p06/subgraph-kit";

const { agencies } = subgraphNamed(${JSON.stringify(spec.name)});

/** Indicators every commune reports; the city reports the others. */
const options: Record<string, DefinitionOptions> = {
${commune.map((code) => `  ${JSON.stringify(code)}: { level: "COMMUNE" },`).join("\n")}
};

/** Each indicator, written by those of the subgraph's agencies that track it. */
export const definitions = indicatorsOf(${JSON.stringify(spec.name)}).map((indicator) =>
  planIndicator(
    indicator,
    indicator.trackingAgencies.filter((agency) => agencies.includes(agency)),
    options[indicator.code],
  ),
);

export function ${factory}(overrides: { now?: () => Date } = {}) {
  return reportingSubgraph({
    name: ${JSON.stringify(spec.name)},
    agencyName: ${JSON.stringify(names)},
    sdl: new URL("../schema.graphql", import.meta.url),
    definitions,
    units: reportingUnitCodes(),
    cityCode: CITY.code,
    indicatorTypes: { ${spec.indicatorType}: {} },
    resolvers: {
      Query: { ${lower}Indicators: () => definitions.map(({ code }) => ({ code })) },
    },
    ...overrides,
  });
}

/** The schema alone, as composition builds it (every subgraph package exports one). */
export const buildSchema = () => ${factory}().schema;
`,
    "src/index.ts": `// Starts the ${spec.name} subgraph.
import { runSubgraph } from "@p06/subgraph-kit";
import { ${factory} } from "./schema.js";

await runSubgraph(${factory}());
`,
    [`test/${spec.name}.test.ts`]: `// The ${spec.name} subgraph over a real database: the reporting suite every agency subgraph passes.
import { reportingSuite } from "../../../test/support/reporting-suite.js";
import { ${factory} } from "../src/schema.js";

reportingSuite({
  label: ${JSON.stringify(spec.name.replaceAll("-", "_"))},
  build: ${factory},
  prefix: ${JSON.stringify(spec.prefix)},
  indicatorType: ${JSON.stringify(spec.indicatorType)},
  agency: ${JSON.stringify(suite.trackingAgencies.find((a) => spec.agencies.includes(a)))},
  percent: { code: ${JSON.stringify(suite.code)} },
${cityOnly ? `  cityOnly: ${JSON.stringify(cityOnly.code)},\n` : ""}  stranger: ${JSON.stringify(stranger)},
});
`,
  };
}

/**
 * Writes the package, links it into node_modules as npm links a workspace, and adds it to the list,
 * every file formatted as `npm run format` would.
 */
export async function writeNewSubgraph(
  repoRoot: string,
  planned: ReturnType<typeof planNewSubgraph>,
  log: (line: string) => void,
): Promise<void> {
  const { spec, indicators, commune } = planned;
  const dir = join(repoRoot, "subgraphs", spec.name);
  if (existsSync(dir)) throw new NewSubgraphError(`subgraphs/${spec.name}/ exists already`);
  const written: string[] = [];
  for (const [path, content] of Object.entries(subgraphFiles(spec, indicators, commune))) {
    await mkdir(join(dir, path, ".."), { recursive: true });
    await writeFormatted(join(dir, path), content);
    written.push(`subgraphs/${spec.name}/${path}`);
  }
  log(`wrote ${written.length} files under subgraphs/${spec.name}/`);
  const link = join(repoRoot, "node_modules", "@p06", spec.name);
  if (!existsSync(link)) await symlink(join("..", "..", "subgraphs", spec.name), link, "dir");
  const listFile = join(repoRoot, "subgraphs", "catalogue", "src", "subgraphs.json");
  const list = JSON.parse(await readFile(listFile, "utf8")) as unknown[];
  const { name, prefix, port, agencies } = spec;
  list.push({
    name,
    prefix,
    port,
    agencies,
    ...(spec.indicators && { indicators: spec.indicators }),
  });
  await writeFormatted(listFile, JSON.stringify(list));
  log(`added ${spec.name} to subgraphs/catalogue/src/subgraphs.json (port ${spec.port})`);
}

/**
 * How many figure versions the plan's database holds of each of the indicators (those it holds none
 * of left out): the figures `npm run move:indicator` brings to the new subgraph.
 */
export async function planFigures(plan: Connection, codes: string[]): Promise<Map<string, number>> {
  const { DataValue } = valueModels(plan);
  const counts = new Map<string, number>();
  for (const code of codes) {
    const count = await DataValue.countDocuments({ indicator: code }).exec();
    if (count) counts.set(code, count);
  }
  return counts;
}
