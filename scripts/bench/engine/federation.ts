// The engine benchmark's own federation, answering from memory: `directory` (agencies and their
// indicators), `figures` (each indicator's monthly values, each naming a unit) and `units` (the
// units' names and populations). The deep query joins entities two levels deep through lists:
// directory → figures (Indicator._entities) → units (Unit._entities).
import {
  startMemorySubgraph,
  type MemorySubgraph,
} from "../../../gateway/test/support/memory-subgraph.js";

const LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])`;

const AGENCIES = 8;
const INDICATORS_PER_AGENCY = 5;
const MONTHS = 12;
const UNITS = 24;

const agencies = Array.from({ length: AGENCIES }, (_, a) => ({
  code: `A${a}`,
  name: `Agency ${a}`,
  indicators: Array.from({ length: INDICATORS_PER_AGENCY }, (_, i) => ({
    code: `A${a}.I${i}`,
    title: `Indicator ${i} of agency ${a}`,
  })),
}));
const units = Array.from({ length: UNITS }, (_, u) => ({
  code: `U${u}`,
  name: `Unit ${u}`,
  population: 10_000 + u * 731,
}));
const valuesOf = (indicator: string) =>
  Array.from({ length: MONTHS }, (_, m) => ({
    period: `2026-${String(m + 1).padStart(2, "0")}`,
    value: ((indicator.length * 37 + m * 11) % 100) + 0.5,
    unit: { code: `U${(indicator.charCodeAt(1) + m) % UNITS}` },
  }));

export const DEEP_QUERY = `query EngineDeep {
  agencies {
    code
    name
    indicators {
      code
      title
      values { period value unit { code name population } }
    }
  }
}`;

export async function startEngineSubgraphs(): Promise<MemorySubgraph[]> {
  return Promise.all([
    startMemorySubgraph({
      name: "directory",
      memoize: true,
      typeDefs: `${LINK}
        type Query { agencies: [Agency!]! }
        type Agency @key(fields: "code") { code: ID! name: String! indicators: [Indicator!]! }
        type Indicator @key(fields: "code") { code: ID! title: String! }`,
      resolvers: {
        Query: { agencies: () => agencies },
        Indicator: { __resolveReference: ({ code }: { code: string }) => ({ code }) },
      },
    }),
    startMemorySubgraph({
      name: "figures",
      memoize: true,
      typeDefs: `${LINK}
        type Indicator @key(fields: "code") { code: ID! values: [Value!]! }
        type Value { period: String! value: Float! unit: Unit! }
        type Unit @key(fields: "code", resolvable: false) { code: ID! }`,
      resolvers: {
        Indicator: {
          __resolveReference: ({ code }: { code: string }) => ({ code, values: valuesOf(code) }),
        },
      },
    }),
    startMemorySubgraph({
      name: "units",
      memoize: true,
      typeDefs: `${LINK}
        type Unit @key(fields: "code") { code: ID! name: String! population: Int! }`,
      resolvers: {
        Unit: {
          __resolveReference: ({ code }: { code: string }) => units.find((u) => u.code === code),
        },
      },
    }),
  ]);
}
