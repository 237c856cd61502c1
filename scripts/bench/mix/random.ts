// Seeded randomness, so that two runs with the same --seed ask the same things.
import { seededRandom } from "@p06/subgraph-kit";

/** The kit's seeded generator (mulberry32), as the demo data uses. */
export const prng = seededRandom;
export const pick = <T>(rng: () => number, list: readonly T[]): T =>
  list[Math.floor(rng() * list.length)]!;
