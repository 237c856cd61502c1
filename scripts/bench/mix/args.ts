// The command line: the options, checked, and each page's weight in the mix.
import { parseArgs } from "node:util";
import { SIZES, type Size } from "../harness.js";

const PAGE_WEIGHTS = {
  overview: 20,
  indicator: 20,
  agency: 12,
  communes: 8,
  commune: 12,
  "late-reporting": 8,
  tasks: 6,
  "month-review": 4,
  "agency-month": 8,
  "data-values": 2,
};
export type PageName = keyof typeof PAGE_WEIGHTS;
export const PAGES = Object.keys(PAGE_WEIGHTS) as PageName[];

export interface MixArgs {
  sizes: Size[];
  durationS: number;
  warmUpS: number;
  seed: number;
  connections: number;
  writesPerSecond: number;
  agencyShare: number;
  pollShare: number;
  weights: Record<PageName, number>;
  cpuProf: boolean;
  readBeforeWrite: boolean;
  stock: boolean;
}

export function readMixArgs(): MixArgs {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "both" },
      duration: { type: "string", default: "30" },
      "warm-up": { type: "string", default: "5" },
      seed: { type: "string", default: "1" },
      connections: { type: "string", default: "50" },
      "writes-per-second": { type: "string", default: "2" },
      "agency-share": { type: "string", default: "0.2" },
      "poll-share": { type: "string", default: "0.3" },
      mix: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      "read-before-write": { type: "boolean", default: false },
      stock: { type: "boolean", default: false },
    },
  });
  const number = (name: keyof typeof values, min: number, max = Infinity) => {
    const n = Number(values[name]);
    if (!Number.isFinite(n) || n < min || n > max) {
      throw new Error(`--${name} must be a number from ${min} to ${max}, got "${values[name]}"`);
    }
    return n;
  };
  const size = values.size!;
  if (size !== "both" && !(size in SIZES)) {
    throw new Error(`--size must be today, five-years or both, got "${size}"`);
  }
  const weights = { ...PAGE_WEIGHTS };
  if (values.mix) {
    // only the pages named: --mix overview=1,indicator=3
    for (const page of PAGES) weights[page] = 0;
    for (const part of values.mix.split(",")) {
      const [page, weight] = part.split("=");
      if (!PAGES.includes(page as PageName) || !(Number(weight) >= 0)) {
        throw new Error(
          `--mix takes page=weight,... with pages ${PAGES.join(", ")}; got "${part}"`,
        );
      }
      weights[page as PageName] = Number(weight);
    }
    if (Object.values(weights).every((w) => w === 0)) throw new Error("--mix weighs no page");
  }
  return {
    sizes: size === "both" ? (Object.keys(SIZES) as Size[]) : [size as Size],
    durationS: number("duration", 1, 3600),
    warmUpS: number("warm-up", 0, 600),
    seed: Math.trunc(number("seed", 0, 2 ** 32 - 1)),
    connections: Math.trunc(number("connections", 1, 1000)),
    writesPerSecond: number("writes-per-second", 0, 200),
    agencyShare: number("agency-share", 0, 1),
    pollShare: number("poll-share", 0, 1),
    weights,
    cpuProf: values["cpu-prof"]!,
    readBeforeWrite: values["read-before-write"]!,
    stock: values.stock!,
  };
}
