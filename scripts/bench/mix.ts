// `npm run bench:mix`: the dashboard's real mix (issue 20, part 5). Per data size, its own FerretDB and
// the system as `npm start` runs it (harness.ts), then for --duration seconds after a warm-up:
//
// - readers: --connections autocannon connections, each a person browsing the dashboard (the IOC, or
//   now and then an agency on its own pages) who opens a page, sends what the page sends (the web
//   application's own typed documents, generated from gateway/operations/web-*.graphql, with the
//   variables the page builds), polls it with the last ETag as the page does, and moves on. Indicators,
//   agencies, communes, months and target years vary, drawn from a seeded PRNG (--seed), so that two
//   runs ask the same things in the same proportions.
// - writers: --writes-per-second figure submissions (WebSubmitReport, the figure form's mutation) as
//   the owning agency, on what each agency owes for the month it reports now; each acknowledged write
//   is read back at once by the IOC on connections of its own (WebIndicatorFigures, what the figure
//   form reads) and a read that does not show the written figure is a stale read.
//
// It reports reads/s, p50/p90/p99 per page and overall, 304s, errors by code (refusals, 429/503 or a
// *_BUSY/RATE_LIMITED code, apart from failures), write latency, failed or timed-out writes, stale
// reads, and resident memory; prints a table and writes scripts/bench/mix.results.json (a size run
// alone replaces only its own entry). Exits 1 on a stale read.
//
//   npm run bench:mix -- [--size today|five-years|both] [--duration S] [--warm-up S] [--seed N]
//     [--connections N] [--writes-per-second N] [--agency-share 0-1] [--poll-share 0-1]
//     [--mix page=weight,...] [--cpu-prof] [--stock] [--read-before-write]
//
// --stock runs the same mix (same seed) again against stock @apollo/gateway (ApolloServer +
// ApolloGateway in one process, verifying tokens and signing subgraph requests as the subgraphs
// require) over the same subgraphs, and gives the ratios. --cpu-prof runs every service with
// `node --cpu-prof` and prints each process's top functions by self time over the measured window. --read-before-write is a deliberate bug, to see the stale-read check
// fire: the read-back is sent before the write instead of after its acknowledgement.
// The gateway's per-caller rate limit (600 a minute) would refuse 50 connections on a few accounts, so
// it is raised for the run (RATE_LIMIT_PER_MINUTE), as in bench:load.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Agent, request as undiciRequest } from "undici";
import { catalogue, CITY, reportingUnitCodes, subgraphs } from "@p06/catalogue";
import {
  flagsFor,
  monthBefore,
  reportingMonth,
  SUBGRAPH_KEYS,
  subgraphKey,
  type SubgraphKey,
} from "../../gateway/web/src/agency-subgraph.js";
import { freePort, repoRoot } from "../lib/ferretdb.js";
import { processTree } from "../lib/processes.js";
import { topSelfTime } from "./cpu-profile.js";
import { generateWebTypes } from "../lib/web.js";
import {
  log,
  machine,
  openBenchDatabase,
  previousSizes,
  residentMemoryMiB,
  round,
  SIZES,
  startBenchSystem,
  summarize,
  writeResults,
  type BenchDatabase,
  type BenchSystem,
  type Size,
} from "./harness.js";

// ---------------------------------------------------------------------------------------------------
// The command line

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
type PageName = keyof typeof PAGE_WEIGHTS;
const PAGES = Object.keys(PAGE_WEIGHTS) as PageName[];

interface MixArgs {
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

function readMixArgs(): MixArgs {
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

// ---------------------------------------------------------------------------------------------------
// Randomness, months, documents

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(rng: () => number, list: readonly T[]): T =>
  list[Math.floor(rng() * list.length)]!;

/** As the web application's format.ts: the latest month whose reports were due, today in Hai Phong. */
function latestDueMonth(now = new Date()): string {
  const local = new Date(now.getTime() + 7 * 3600 * 1000);
  const back = local.getUTCDate() > 10 ? 1 : 2;
  const month = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - back, 1));
  return `${month.getUTCFullYear()}-${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}
const todayInHaiPhong = (now = new Date()) =>
  new Date(now.getTime() + 7 * 3600 * 1000).toISOString().slice(0, 10);
/** The months from the plan's first to `last`, oldest first. */
function monthsUpTo(last: string): string[] {
  const months: string[] = [];
  for (let period = last; period >= "2026-01"; period = monthBefore(period)) months.unshift(period);
  return months;
}

const OPERATIONS = [
  "WebOverview",
  "WebIndicator",
  "WebExplanations",
  "WebFigureVersions",
  "WebAgency",
  "WebCommunes",
  "WebCommune",
  "WebLateReporting",
  "WebTasks",
  "WebMonthReview",
  "WebAgencyMonth",
  "WebReminders",
  "WebIndicatorFigures",
  "WebDataValues",
  "WebSubmitReport",
] as const;
type Operation = (typeof OPERATIONS)[number];

/**
 * The documents exactly as the web application sends them: its typed documents, generated (GraphQL
 * Code Generator, as `npm run check-types` and the web build do) from gateway/operations/web-*.graphql.
 */
async function webDocuments(): Promise<Record<Operation, string>> {
  await generateWebTypes();
  const generated = (await import(
    pathToFileURL(join(repoRoot, "gateway/web/src/graphql/generated/graphql.ts")).href
  )) as Record<string, unknown>;
  return Object.fromEntries(
    OPERATIONS.map((operation) => {
      const document = generated[`${operation}Document`];
      if (!document) throw new Error(`the web application has no ${operation}Document`);
      return [operation, String(document)];
    }),
  ) as Record<Operation, string>;
}

/** The body the web application's client posts (graphql/client.ts). */
const bodyOf = (documents: Record<Operation, string>, operation: Operation, variables: unknown) =>
  JSON.stringify({ query: documents[operation], operationName: operation, variables });

// ---------------------------------------------------------------------------------------------------
// What the system holds: agencies, what each owes, indicators' levels

interface AgencyInfo {
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

interface World {
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
async function discover(system: BenchSystem, documents: Record<Operation, string>): Promise<World> {
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

// ---------------------------------------------------------------------------------------------------
// Readers: people browsing pages

interface Ask {
  page: PageName;
  operation: Operation;
  variables: Record<string, unknown>;
  /** The page asks it again every 10 s with its ETag. */
  polls: boolean;
  /** Sent with If-None-Match (a page's poll). */
  etag?: string;
}

interface User {
  id: number;
  rng: () => number;
  token: string;
  /** The agency it acts for; null for the IOC. */
  agency: AgencyInfo | null;
  queue: Ask[];
  /** The asks of the page shown, which its polls repeat. */
  shown: Ask[];
  etags: Map<string, string>;
}

const askKey = (a: { operation: string; variables: unknown }) =>
  `${a.operation} ${JSON.stringify(a.variables)}`;

/** Builds what opening a page sends, with the variables the page makes. */
function pageAsks(page: PageName, user: User, world: World, rng: () => number): Ask[] {
  const year = rng() < 0.9 ? 2026 : 2030;
  const earlier = (last: string) => {
    const months = monthsUpTo(monthBefore(last));
    return months.length ? pick(rng, months) : last;
  };
  // review pages: mostly the gateway's default (no month in the address), else a month chosen
  const reviewPeriod = () => {
    const r = rng();
    return r < 0.7 ? null : r < 0.85 ? world.latestDue : earlier(world.latestDue);
  };
  const explicit = (last: string) => (rng() < 0.85 ? last : earlier(last));
  const agencyCode = () =>
    user.agency && rng() < 0.7 ? user.agency.code : pick(rng, world.agencies).code;
  const ask = (operation: Operation, variables: Record<string, unknown>, polls = true): Ask => ({
    page,
    operation,
    variables,
    polls,
  });
  switch (page) {
    case "overview":
      return [ask("WebOverview", { year, period: reviewPeriod() })];
    case "indicator": {
      const code = pick(rng, world.indicators);
      const period = explicit(world.latestDue);
      const asks = [
        ask("WebIndicator", { code, year, period }),
        ask("WebExplanations", { agency: null }),
      ];
      // a commune's row opened: its figure's versions
      if (world.levelOf.get(code) === "COMMUNE" && rng() < 0.3) {
        asks.push(ask("WebFigureVersions", { code, unit: pick(rng, world.communes), period }));
      }
      return asks;
    }
    case "agency":
      return [
        ask("WebAgency", {
          year,
          period: reviewPeriod(),
          agency: agencyCode(),
          asOf: world.today,
          dueSoonDays: 30,
        }),
      ];
    case "communes":
      return [ask("WebCommunes", { year, period: reviewPeriod() })];
    case "commune":
      return [
        ask("WebCommune", { year, period: reviewPeriod(), commune: pick(rng, world.communes) }),
      ];
    case "late-reporting":
      return [ask("WebLateReporting", { year, period: reviewPeriod() })];
    case "tasks": {
      const withinDays = rng() < 0.7 ? 30 : pick(rng, [7, 14, 45, 60, 90, 180, 365]);
      return [ask("WebTasks", { year, withinDays, asOf: world.today })];
    }
    case "month-review":
      return [
        ask("WebMonthReview", { year, period: explicit(world.entryMonth) }),
        ask("WebExplanations", { agency: null }),
      ];
    case "agency-month": {
      const agency = user.agency ?? pick(rng, world.reporting);
      const period = explicit(world.entryMonth);
      const asks = [
        // the page asks once for the agency's subgraph, then for its month there
        ask("WebAgencyMonth", { agency: agency.code, period }, false),
        ask("WebAgencyMonth", { agency: agency.code, period, ...flagsFor(agency.key) }),
        ask("WebReminders", { agency: agency.code, period }),
        ask("WebExplanations", { agency: agency.code }),
      ];
      // the figure form opened on one of its indicators
      if (agency.indicators.length > 0 && rng() < 0.5) {
        asks.push(
          ask(
            "WebIndicatorFigures",
            {
              code: pick(rng, agency.indicators).code,
              from: monthBefore(period),
              to: period,
              education: agency.key === "education",
            },
            false,
          ),
        );
      }
      return asks;
    }
    case "data-values": {
      // the month's figures as DHIS2 data values: the IOC every subgraph's, an agency its own
      const period = explicit(world.entryMonth);
      const keys = user.agency ? [user.agency.key] : SUBGRAPH_KEYS;
      return keys.map((key) =>
        ask(
          "WebDataValues",
          { period, limit: DATA_VALUES_PAGE, offset: 0, ...flagsFor(key) },
          false,
        ),
      );
    }
  }
}
const DATA_VALUES_PAGE = 5000;

/** The pages a caller sees: an agency has its own month rather than the IOC's review. */
function pagesOf(user: User, weights: Record<PageName, number>): [PageName, number][] {
  return PAGES.filter((page) => !(user.agency && page === "month-review")).map((page) => [
    page,
    weights[page],
  ]);
}

function nextAsk(user: User, world: World, args: MixArgs): Ask {
  for (;;) {
    const queued = user.queue.shift();
    if (queued) return queued;
    if (user.shown.length > 0 && user.rng() < args.pollShare) {
      // the page's poll: the same asks with the last answers' ETags
      user.queue = user.shown.map((a) => {
        const etag = user.etags.get(askKey(a));
        return etag ? { ...a, etag } : { ...a };
      });
      continue;
    }
    const choices = pagesOf(user, args.weights);
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = user.rng() * total;
    let page = choices[0]![0];
    for (const [name, weight] of choices) {
      if ((r -= weight) < 0) {
        page = name;
        break;
      }
    }
    const asks = pageAsks(page, user, world, user.rng);
    user.shown = asks.filter((a) => a.polls);
    user.queue = asks;
  }
}

// ---------------------------------------------------------------------------------------------------
// Reader statistics

const REFUSAL = /BUSY|RATE_LIMITED|OVERLOAD|TOO_MANY/;

interface PageStats {
  latencies: number[];
  ok: number;
  notModified: number;
  /** Answers with GraphQL errors or a status other than 200/304 that are not refusals. */
  failed: number;
  refused: number;
  timeouts: number;
}
const newPageStats = (): PageStats => ({
  latencies: [],
  ok: 0,
  notModified: 0,
  failed: 0,
  refused: 0,
  timeouts: 0,
});

interface ReadStats {
  byPage: Map<string, PageStats>;
  byOperation: Map<string, PageStats>;
  statuses: Record<string, number>;
  failuresByCode: Record<string, number>;
  refusalsByCode: Record<string, number>;
  firstFailures: string[];
}
const newReadStats = (): ReadStats => ({
  byPage: new Map(),
  byOperation: new Map(),
  statuses: {},
  failuresByCode: {},
  refusalsByCode: {},
  firstFailures: [],
});

/** The codes of an answer's GraphQL errors (NO_CODE where an error has none). */
function errorCodes(body: string): string[] {
  if (!body.includes('"errors"')) return [];
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] };
    return (parsed.errors ?? []).map((e) => e.extensions?.code ?? "NO_CODE");
  } catch {
    return [];
  }
}

interface LoadContext {
  user?: number;
  ask?: Ask;
}

/** One autocannon run of the readers' mix; returns autocannon's result. */
async function readLoad(options: {
  url: string;
  durationS: number;
  connections: number;
  users: User[];
  makeUser: (id: number) => User;
  world: World;
  args: MixArgs;
  documents: Record<Operation, string>;
  stats: ReadStats;
}) {
  const { users, world, args, documents, stats } = options;
  const free: User[] = [...users];
  const busy = new Set<number>();
  const take = (): User => {
    const user = free.shift() ?? options.makeUser(users.length);
    if (!users.includes(user)) users.push(user);
    busy.add(user.id);
    return user;
  };
  const release = (id: number | undefined) => {
    if (id === undefined || !busy.delete(id)) return;
    free.push(users[id]!);
  };
  const statsOf = (map: Map<string, PageStats>, key: string) => {
    let entry = map.get(key);
    if (!entry) map.set(key, (entry = newPageStats()));
    return entry;
  };
  const bump = (counts: Record<string, number>, key: string) =>
    (counts[key] = (counts[key] ?? 0) + 1);

  const requestSpec = {
    setupRequest: (request: autocannon.Request, context: LoadContext) => {
      // a build never sent (autocannon builds each client's first request twice): its user is free
      release(context.user);
      const user = take();
      const next = nextAsk(user, world, args);
      context.user = user.id;
      context.ask = next;
      request.method = "POST";
      request.path = "/graphql";
      request.body = bodyOf(documents, next.operation, next.variables);
      request.headers = {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${user.token}`,
        ...(next.etag && { "if-none-match": next.etag }),
      };
      return request;
    },
    onResponse: (
      status: number,
      body: string,
      context: LoadContext,
      headers: Record<string, string | string[]>,
    ) => {
      const next = context.ask;
      const user = context.user === undefined ? undefined : users[context.user];
      if (!next || !user) return;
      const page = statsOf(stats.byPage, next.page);
      const operation = statsOf(stats.byOperation, next.operation);
      bump(stats.statuses, String(status));
      const count = (field: keyof PageStats) => {
        (page[field] as number) += 1;
        (operation[field] as number) += 1;
      };
      if (status === 304) return count("notModified");
      const codes = errorCodes(body);
      if (status === 200 && codes.length === 0) {
        count("ok");
        const etag = Object.entries(headers).find(([name]) => name.toLowerCase() === "etag")?.[1];
        if (typeof etag === "string" && next.polls) user.etags.set(askKey(next), etag);
        // a download reads on while a page comes full
        if (next.operation === "WebDataValues") {
          const rows = body.split('"dataElement"').length - 1;
          if (rows >= DATA_VALUES_PAGE) {
            const offset = (next.variables.offset as number) + DATA_VALUES_PAGE;
            user.queue.unshift({ ...next, variables: { ...next.variables, offset } });
          }
        }
        return;
      }
      const refused =
        status === 429 ||
        status === 503 ||
        (codes.length > 0 && codes.every((c) => REFUSAL.test(c)));
      count(refused ? "refused" : "failed");
      const labels = codes.length > 0 ? codes : [`HTTP_${status}`];
      for (const code of new Set(labels)) {
        bump(
          refused ? stats.refusalsByCode : stats.failuresByCode,
          status === 200 ? code : `${status} ${code}`,
        );
      }
      if (!refused && stats.firstFailures.length < 10) {
        stats.firstFailures.push(
          `${next.operation} ${JSON.stringify(next.variables)}: ${status} ${body.slice(0, 300)}`,
        );
      }
    },
  };

  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: 30,
    requests: [requestSpec as unknown as autocannon.Request],
    // each client its own request object (autocannon shares one among clients otherwise), and its
    // response time recorded under the page and operation asked
    setupClient: (client: autocannon.Client) => {
      const raw = client as unknown as {
        requestIterator: { context: LoadContext; setRequests(r: unknown[]): void };
        on(event: string, listener: (...args: unknown[]) => void): void;
      };
      raw.requestIterator.setRequests([{ ...requestSpec }]);
      raw.on("response", (_status, _bytes, responseTime) => {
        const context = raw.requestIterator.context;
        if (context.ask) {
          statsOf(stats.byPage, context.ask.page).latencies.push(responseTime as number);
          statsOf(stats.byOperation, context.ask.operation).latencies.push(responseTime as number);
        }
        release(context.user);
      });
      raw.on("timeout", () => {
        const context = raw.requestIterator.context;
        if (context.ask) {
          statsOf(stats.byPage, context.ask.page).timeouts += 1;
          statsOf(stats.byOperation, context.ask.operation).timeouts += 1;
        }
        release(context.user);
      });
    },
  } as autocannon.Options);
  return await instance;
}

// ---------------------------------------------------------------------------------------------------
// Writers and the read-back

/** A POST on an agent of its own (writers and checkers keep apart connections), with a timeout. */
async function post(
  url: string,
  agent: Agent,
  token: string,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  try {
    const response = await undiciRequest(url, {
      method: "POST",
      dispatcher: agent,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        authorization: `Bearer ${token}`,
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    return { status: response.statusCode, text: await response.body.text() };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
      throw Object.assign(new Error(`timed out after ${timeoutMs} ms`), { code: "TIMEOUT" });
    }
    throw error;
  }
}

export interface WrittenFigure {
  indicator: string;
  unit: string;
  period: string;
  measure: string;
  numerator?: number;
  denominator?: number;
  value?: number;
  met?: boolean;
  comment: string;
}

interface FigureRow {
  unit: string;
  period: string;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  met: boolean | null;
  comment: string | null;
}

/**
 * Whether an answer of WebIndicatorFigures shows every written figure: the row of its unit and month
 * with the numbers written and the write's own comment (unique to the write, so an earlier figure
 * with the same numbers does not pass). Returns the rows that do not.
 */
export function notShown(
  data: { indicator?: Record<string, unknown> | null } | null | undefined,
  written: WrittenFigure[],
): { written: WrittenFigure; shown: FigureRow | null }[] {
  const indicator = data?.indicator;
  const rows = ((indicator?.educationValues ?? indicator?.values ?? []) as FigureRow[]) ?? [];
  const missing: { written: WrittenFigure; shown: FigureRow | null }[] = [];
  for (const w of written) {
    const row = rows.find((r) => r.unit === w.unit && r.period === w.period) ?? null;
    const same =
      row !== null &&
      row.comment === w.comment &&
      (w.measure === "MILESTONE"
        ? row.met === w.met
        : w.measure === "COUNT"
          ? row.value === w.value
          : row.numerator === w.numerator && row.denominator === w.denominator);
    if (!same) missing.push({ written: w, shown: row });
  }
  return missing;
}

/** The figures of one write, as the figure form makes its report's rows. */
function figureInput(w: WrittenFigure): Record<string, unknown> {
  const input: Record<string, unknown> = {
    indicator: w.indicator,
    unit: w.unit,
    comment: w.comment,
  };
  if (w.measure === "MILESTONE") input.met = w.met;
  else if (w.measure === "COUNT") input.value = w.value;
  else Object.assign(input, { numerator: w.numerator, denominator: w.denominator });
  return input;
}

interface WriteStats {
  attempted: number;
  acknowledged: number;
  failedByCode: Record<string, number>;
  timedOut: number;
  skippedBacklog: number;
  skippedBusyKeys: number;
  latencies: number[];
  figuresWritten: number;
  readBacks: number;
  staleReads: number;
  staleNeverFresh: number;
  readBackErrors: number;
  staleExamples: Record<string, unknown>[];
  firstFailures: string[];
  readBackMs: number[];
}
const newWriteStats = (): WriteStats => ({
  attempted: 0,
  acknowledged: 0,
  failedByCode: {},
  timedOut: 0,
  skippedBacklog: 0,
  skippedBusyKeys: 0,
  latencies: [],
  figuresWritten: 0,
  readBacks: 0,
  staleReads: 0,
  staleNeverFresh: 0,
  readBackErrors: 0,
  staleExamples: [],
  firstFailures: [],
  readBackMs: [],
});

const WRITE_TIMEOUT_MS = 10_000;
const MAX_WRITES_IN_FLIGHT = 32;
/** How long a stale read-back is asked again, to say when the write showed. */
const STALE_RETRY_MS = 5_000;

class Writer {
  private readonly writerAgent = new Agent({ connections: 16 });
  private readonly checkerAgent = new Agent({ connections: 16 });
  private readonly rng: () => number;
  private readonly busyKeys = new Set<string>();
  private counter = 0;
  /** Names this writer's figures apart from an earlier run's on the same data (same seed, same values). */
  private readonly runTag = Date.now().toString(36);
  readonly stats = newWriteStats();
  private readonly writable: AgencyInfo[];

  constructor(
    private readonly system: BenchSystem,
    private readonly url: string,
    private readonly world: World,
    private readonly documents: Record<Operation, string>,
    private readonly iocToken: string,
    private readonly args: MixArgs,
    seed: number,
  ) {
    this.rng = prng(seed);
    this.writable = world.agencies.filter(
      (a) => a.owed.size > 0 && (a.state === null || !["SUBMITTED", "ACCEPTED"].includes(a.state)),
    );
  }

  get agencies(): string[] {
    return this.writable.map((a) => a.code);
  }

  /** A write's figures: an agency, one of its indicators, 1-3 of the units it owes, free keys. */
  private plan(): { agency: AgencyInfo; figures: WrittenFigure[] } | null {
    if (this.writable.length === 0) return null;
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const agency = pick(this.rng, this.writable);
      const indicator = pick(this.rng, [...agency.owed.keys()]);
      const measure = agency.indicators.find((i) => i.code === indicator)?.measure ?? "COUNT";
      const owed = agency.owed.get(indicator)!;
      const count = Math.min(owed.length, this.rng() < 0.7 ? 1 : 1 + Math.floor(this.rng() * 3));
      const units = new Set<string>();
      while (units.size < count) units.add(pick(this.rng, owed));
      const keyOf = (unit: string) => `${agency.key}|${indicator}|${unit}`;
      if ([...units].some((unit) => this.busyKeys.has(keyOf(unit)))) continue;
      for (const unit of units) this.busyKeys.add(keyOf(unit));
      this.counter += 1;
      const comment = `bench:mix ${this.args.seed}.${this.runTag}.${this.counter}`;
      const figures = [...units].map((unit): WrittenFigure => {
        const base = { indicator, unit, period: this.world.entryMonth, measure, comment };
        if (measure === "MILESTONE") return { ...base, met: this.rng() < 0.5 };
        if (measure === "COUNT") return { ...base, value: Math.floor(this.rng() * 5000) };
        if (measure === "RATIO") {
          return { ...base, numerator: Math.round(this.rng() * 10_000) / 100, denominator: 1 };
        }
        const denominator = 200 + Math.floor(this.rng() * 4800);
        return { ...base, numerator: Math.floor(this.rng() * (denominator + 1)), denominator };
      });
      return { agency, figures };
    }
    this.stats.skippedBusyKeys += 1;
    return null;
  }

  private freeKeys(agency: AgencyInfo, figures: WrittenFigure[]): void {
    for (const f of figures) this.busyKeys.delete(`${agency.key}|${f.indicator}|${f.unit}`);
  }

  /** The IOC reads the figures back as the figure form reads them; the rows not showing the write. */
  async readBack(agency: AgencyInfo, figures: WrittenFigure[]) {
    const first = figures[0]!;
    const variables = {
      code: first.indicator,
      from: monthBefore(first.period),
      to: first.period,
      education: agency.key === "education",
    };
    const answer = await post(
      this.url,
      this.checkerAgent,
      this.iocToken,
      bodyOf(this.documents, "WebIndicatorFigures", variables),
      WRITE_TIMEOUT_MS,
    );
    const body = JSON.parse(answer.text) as {
      data?: { indicator?: Record<string, unknown> | null };
      errors?: unknown[];
    };
    if (answer.status !== 200 || body.errors) {
      throw new Error(`read-back answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    }
    return notShown(body.data, figures);
  }

  /** Submits a write as its agency; resolves to the milliseconds until acknowledged, or throws. */
  async submit(agency: AgencyInfo, figures: WrittenFigure[]): Promise<number> {
    const started = performance.now();
    const answer = await post(
      this.url,
      this.writerAgent,
      await this.system.token(agency.code),
      bodyOf(this.documents, "WebSubmitReport", {
        input: { period: figures[0]!.period, values: figures.map(figureInput) },
        ...flagsFor(agency.key),
      }),
      WRITE_TIMEOUT_MS,
    );
    const ms = performance.now() - started;
    const body = JSON.parse(answer.text) as {
      data?: Record<string, { created: number; replaced: number } | null> | null;
      errors?: { message?: string; extensions?: { code?: string } }[];
    };
    const result = body.data?.[agency.key];
    if (answer.status !== 200 || body.errors || !result) {
      const code = body.errors?.[0]?.extensions?.code ?? `HTTP_${answer.status}`;
      throw Object.assign(new Error(`${code}: ${answer.text.slice(0, 300)}`), { code });
    }
    if (result.created + result.replaced !== figures.length) {
      throw Object.assign(
        new Error(`stored ${result.created + result.replaced} of ${figures.length} figures`),
        { code: "PARTIAL" },
      );
    }
    return ms;
  }

  /**
   * Proves the check can see a stale read before the run relies on it: the figures read just before
   * a write must fail the comparison, those read right after its acknowledgement pass it.
   */
  async prove(
    writes = 2,
  ): Promise<{ writes: number; staleBeforeDetected: number; freshAfter: number }> {
    let staleBeforeDetected = 0;
    let freshAfter = 0;
    for (let i = 0; i < writes; i += 1) {
      const planned = this.plan();
      if (!planned) throw new Error("no agency owes a figure that the benchmark could write");
      try {
        if ((await this.readBack(planned.agency, planned.figures)).length > 0)
          staleBeforeDetected += 1;
        await this.submit(planned.agency, planned.figures);
        if ((await this.readBack(planned.agency, planned.figures)).length === 0) freshAfter += 1;
      } finally {
        this.freeKeys(planned.agency, planned.figures);
      }
    }
    if (staleBeforeDetected !== writes || freshAfter !== writes) {
      throw new Error(
        `the read-back check is not trustworthy: of ${writes} writes, ${staleBeforeDetected} read before were told stale and ${freshAfter} read after were told fresh`,
      );
    }
    return { writes, staleBeforeDetected, freshAfter };
  }

  private async one(): Promise<void> {
    const planned = this.plan();
    if (!planned) return;
    const { agency, figures } = planned;
    const s = this.stats;
    s.attempted += 1;
    try {
      // the deliberate bug: the "read-back" asked before the write was even sent
      const early = this.args.readBeforeWrite ? await this.readBack(agency, figures) : null;
      let ms: number;
      try {
        ms = await this.submit(agency, figures);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/timed out/.test(message)) s.timedOut += 1;
        else {
          const code = (error as { code?: string }).code ?? "ERROR";
          s.failedByCode[code] = (s.failedByCode[code] ?? 0) + 1;
        }
        if (s.firstFailures.length < 10) s.firstFailures.push(message);
        return;
      }
      s.acknowledged += 1;
      s.figuresWritten += figures.length;
      s.latencies.push(ms);
      const ackedAt = performance.now();
      let missing;
      try {
        missing = early ?? (await this.readBack(agency, figures));
        s.readBacks += 1;
        s.readBackMs.push(performance.now() - ackedAt);
      } catch (error) {
        s.readBackErrors += 1;
        if (s.firstFailures.length < 10) s.firstFailures.push(String(error));
        return;
      }
      if (missing.length === 0) return;
      s.staleReads += 1;
      // ask again until the write shows, to say how long it took
      let freshAfterMs: number | null = null;
      while (performance.now() - ackedAt < STALE_RETRY_MS) {
        await sleep(20);
        const again = await this.readBack(agency, figures).catch(() => null);
        if (again && again.length === 0) {
          freshAfterMs = round(performance.now() - ackedAt);
          break;
        }
      }
      if (freshAfterMs === null) s.staleNeverFresh += 1;
      if (s.staleExamples.length < 10) {
        s.staleExamples.push({ agency: agency.code, ...missing[0], freshAfterMs });
      }
    } finally {
      this.freeKeys(agency, figures);
    }
  }

  /** Writes at a steady rate until `done()`, then waits for the writes in flight (each bounded). */
  async run(done: () => boolean): Promise<void> {
    if (this.args.writesPerSecond <= 0) return;
    const interval = 1000 / this.args.writesPerSecond;
    const inFlight = new Set<Promise<void>>();
    let next = performance.now();
    while (!done()) {
      if (inFlight.size >= MAX_WRITES_IN_FLIGHT) this.stats.skippedBacklog += 1;
      else {
        const write = this.one().catch((error: unknown) => {
          if (this.stats.firstFailures.length < 10) this.stats.firstFailures.push(String(error));
        });
        inFlight.add(write);
        void write.finally(() => inFlight.delete(write));
      }
      next += interval;
      await sleep(Math.max(0, next - performance.now()));
    }
    await Promise.all(inFlight);
  }

  private closed = false;
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.writerAgent.close().catch(() => undefined);
    void this.checkerAgent.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------------
// --stock: stock @apollo/gateway over the same supergraph and subgraphs

const STOCK_CLAIMS_HEADER = "x-bench-claims";

/**
 * The stock gateway (this file, run with P06_MIX_STOCK_GATEWAY=1): ApolloServer + ApolloGateway as its
 * documentation starts them (startStandaloneServer), with what the subgraphs require of any gateway:
 * the caller's token verified (the gateway's own authenticator) and each subgraph request signed
 * with its secret. No answer cache, no deduplication, no workers, no ETags, no limits.
 */
async function serveStock(): Promise<void> {
  const { ApolloGateway, RemoteGraphQLDataSource } = await import("@apollo/gateway");
  const { ApolloServer } = await import("@apollo/server");
  const { startStandaloneServer } = await import("@apollo/server/standalone");
  const { createAuthenticator } = await import("../../gateway/src/trust/auth.js");
  const { signRequest } = await import("@p06/subgraph-kit");
  type Claims = Parameters<typeof signRequest>[1];
  interface StockContext {
    claims: Claims;
  }
  const config = JSON.parse(process.env.P06_MIX_STOCK_SUBGRAPHS!) as Record<
    string,
    { url: string; secret: string }
  >;
  const authenticate = await createAuthenticator({
    publicKeyFile: process.env.JWT_PUBLIC_KEY_FILE!,
    agencies: new Set(catalogue.agencies.map((a) => a.code)),
    anonymousRead: false,
  });
  class SignedSource extends RemoteGraphQLDataSource<StockContext> {
    constructor(url: string, secret: string) {
      super({ url });
      const inner = this.fetcher;
      type Init = { headers?: Record<string, string>; body?: string };
      this.fetcher = ((target: string, init: Init = {}) => {
        const { [STOCK_CLAIMS_HEADER]: claims, ...headers } = init.headers ?? {};
        const signed = signRequest(
          secret,
          claims ? (JSON.parse(claims) as Claims) : null,
          init.body ?? "",
        );
        return inner(target, { ...init, headers: { ...headers, ...signed } });
      }) as typeof inner;
    }
    override willSendRequest(options: {
      request: { http?: { headers: { set(name: string, value: string): void } } };
      context?: Partial<StockContext>;
    }) {
      const claims = options.context?.claims ?? null;
      options.request.http?.headers.set(STOCK_CLAIMS_HEADER, JSON.stringify(claims));
    }
  }
  const server = new ApolloServer<StockContext>({
    gateway: new ApolloGateway({
      supergraphSdl: await readFile(join(repoRoot, "schema", "supergraph.graphql"), "utf8"),
      buildService: ({ name }) => {
        const subgraph = config[name];
        if (!subgraph) throw new Error(`no URL for subgraph ${name}`);
        return new SignedSource(subgraph.url, subgraph.secret);
      },
    }),
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT), host: "127.0.0.1" },
    context: async ({ req }) => ({ claims: await authenticate(req.headers.authorization) }),
  });
  console.log(`stock gateway listening on ${url}`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** Starts the stock gateway beside the system's own, over its subgraphs; resolves once it answers. */
async function startStockGateway(database: BenchDatabase, system: BenchSystem) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      APOLLO_TELEMETRY_DISABLED: "1",
      P06_MIX_STOCK_GATEWAY: "1",
      PORT: String(port),
      JWT_PUBLIC_KEY_FILE: database.keys.publicKeyFile,
      P06_MIX_STOCK_SUBGRAPHS: JSON.stringify(
        Object.fromEntries(
          subgraphs.map((spec) => [
            spec.name,
            {
              url: system.processes.services[spec.name]!.url,
              secret: database.secrets[spec.name]!,
            },
          ]),
        ),
      ),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-8000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://127.0.0.1:${port}/graphql`;
  const token = await system.token("IOC");
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the stock gateway exited before it was ready:\n${tail}`);
    }
    const ready = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ __typename }" }),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stock gateway did not answer in time:\n${tail}`);
    }
    await sleep(200);
  }
  log(`stock @apollo/gateway answering on ${url}`);
  return {
    url,
    output: () => tail,
    stop,
    async memoryMiB(): Promise<number | null> {
      const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
      const kib = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? 0);
      return kib ? round(kib / 1024) : null;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// One size

const RATE_LIMIT_PER_MINUTE = "100000000";

function summarizePages(map: Map<string, PageStats>, seconds: number) {
  return Object.fromEntries(
    [...map.entries()]
      .sort((a, b) => b[1].latencies.length - a[1].latencies.length)
      .map(([name, s]) => [
        name,
        {
          requests: s.latencies.length,
          perS: round(s.latencies.length / seconds),
          ok: s.ok,
          notModified: s.notModified,
          failed: s.failed,
          refused: s.refused,
          timeouts: s.timeouts,
          latencyMs: s.latencies.length ? summarize(s.latencies) : null,
        },
      ]),
  );
}

interface MixContext {
  size: Size;
  args: MixArgs;
  documents: Record<Operation, string>;
  system: BenchSystem;
  world: World;
  iocToken: string;
  tokens: Map<string, string>;
  cleanup: Cleanup;
}

/** The gateway's answers by source (executed, kept, shared) from /metrics; null where it has none. */
async function answerSources(url: string): Promise<Record<string, number> | null> {
  try {
    const response = await fetch(url.replace(/\/graphql$/, "/metrics"));
    if (!response.ok) return null;
    const counts: Record<string, number> = {};
    for (const m of (await response.text()).matchAll(
      /^p06_gateway_answers_total\{source="(\w+)"\} (\d+(?:\.\d+)?)/gm,
    )) {
      counts[m[1]!] = Number(m[2]);
    }
    return counts;
  } catch {
    return null;
  }
}

/** The mix on one gateway: the check proven, a warm-up, then the measured reads and writes. */
async function runMix(c: MixContext, url: string, label: string) {
  const { size, args, world, documents } = c;
  const makeUser = (id: number): User => {
    const rng = prng(args.seed * 7919 + id + 1);
    const agency = rng() < args.agencyShare ? pick(rng, world.reporting) : null;
    return {
      id,
      rng,
      token: agency ? c.tokens.get(agency.code)! : c.iocToken,
      agency,
      queue: [],
      shown: [],
      etags: new Map(),
    };
  };
  const users = Array.from({ length: args.connections }, (_, id) => makeUser(id));
  const writer = new Writer(c.system, url, world, documents, c.iocToken, args, args.seed ^ 0x5eed);
  c.cleanup.add(async () => writer.close());
  log(
    `${size} ${label}: users ${users.filter((u) => !u.agency).length} IOC, ${users.filter((u) => u.agency).length} agencies; ${writer.agencies.length} agencies owe figures for ${world.entryMonth}`,
  );
  const proof = await writer.prove();
  log(
    `${size} ${label}: the read-back check told ${proof.staleBeforeDetected}/${proof.writes} reads before a write stale and ${proof.freshAfter}/${proof.writes} after it fresh`,
  );
  const load = (durationS: number, stats: ReadStats) =>
    readLoad({
      url,
      durationS,
      connections: args.connections,
      users,
      makeUser,
      world,
      args,
      documents,
      stats,
    });
  if (args.warmUpS > 0) {
    log(`${size} ${label}: warming up ${args.warmUpS} s`);
    await load(args.warmUpS, newReadStats());
  }
  log(
    `${size} ${label}: ${args.connections} connections reading for ${args.durationS} s, ${args.writesPerSecond} writes a second${args.readBeforeWrite ? " (DELIBERATE BUG: read-back before the write)" : ""}`,
  );
  const stats = newReadStats();
  const sourcesBefore = await answerSources(url);
  let loading = true;
  const loadStarted = Date.now();
  const writing = writer.run(() => !loading);
  const progress = setInterval(
    () =>
      log(
        `${size} ${label}:   writes ${writer.stats.acknowledged}/${writer.stats.attempted} acknowledged, ${writer.stats.staleReads} stale reads`,
      ),
    5000,
  );
  const result = await load(args.durationS, stats).finally(() => {
    loading = false;
    clearInterval(progress);
  });
  const loadEnded = Date.now();
  await writing;
  writer.close();
  const sourcesAfter = await answerSources(url);
  const answerSourcesDuringLoad =
    sourcesBefore && sourcesAfter
      ? Object.fromEntries(
          Object.entries(sourcesAfter).map(([k, v]) => [k, v - (sourcesBefore[k] ?? 0)]),
        )
      : null;

  const seconds = result.duration;
  const all = [...stats.byPage.values()].flatMap((s) => s.latencies);
  const sum = (field: keyof PageStats) =>
    [...stats.byPage.values()].reduce((acc, s) => acc + (s[field] as number), 0);
  const w = writer.stats;
  return {
    loadStarted,
    loadEnded,
    writingAgencies: writer.agencies,
    users: users.length,
    readBackCheckProof: proof,
    reads: {
      durationS: round(seconds),
      requests: all.length,
      requestsPerS: round(all.length / seconds),
      latencyMs: all.length ? summarize(all) : null,
      ok: sum("ok"),
      notModified: sum("notModified"),
      failed: sum("failed"),
      refused: sum("refused"),
      timeouts: result.timeouts,
      connectionErrors: result.errors,
      statuses: stats.statuses,
      failuresByCode: stats.failuresByCode,
      refusalsByCode: stats.refusalsByCode,
      firstFailures: stats.firstFailures,
      byPage: summarizePages(stats.byPage, seconds),
      byOperation: summarizePages(stats.byOperation, seconds),
      /** The gateway's own count (/metrics): executed, kept (304s included) or shared; writes too. */
      answerSources: answerSourcesDuringLoad,
    },
    writes: {
      perSecondAsked: args.writesPerSecond,
      attempted: w.attempted,
      acknowledged: w.acknowledged,
      figuresWritten: w.figuresWritten,
      failedByCode: w.failedByCode,
      timedOut: w.timedOut,
      skippedBacklog: w.skippedBacklog,
      skippedBusyKeys: w.skippedBusyKeys,
      latencyMs: w.latencies.length ? summarize(w.latencies) : null,
      readBacks: w.readBacks,
      readBackLatencyMs: w.readBackMs.length ? summarize(w.readBackMs) : null,
      readBackErrors: w.readBackErrors,
      staleReads: w.staleReads,
      staleNeverFreshWithin5s: w.staleNeverFresh,
      staleExamples: w.staleExamples,
      firstFailures: w.firstFailures,
    },
  };
}

async function measure(
  size: Size,
  args: MixArgs,
  documents: Record<Operation, string>,
  cleanup: Cleanup,
) {
  const database: BenchDatabase = await openBenchDatabase(size);
  cleanup.add(() => database.stop());
  let system: BenchSystem | undefined;
  let profileDir: string | undefined;
  try {
    if (args.cpuProf) profileDir = await mkdtemp(join(tmpdir(), "p06-bench-mix-prof-"));
    log(`${size}: starting, demo data ${SIZES[size].describe}`);
    const started = performance.now();
    system = await startBenchSystem(database, {
      gatewayEnv: { RATE_LIMIT_PER_MINUTE },
      ...(profileDir && { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] }),
    });
    const running = system;
    cleanup.add(() => running.stop());
    const startMs = round(performance.now() - started);
    log(`${size}: system up in ${startMs} ms`);

    const world = await discover(system, documents);
    const iocToken = await system.token("IOC");
    const tokens = new Map<string, string>();
    for (const agency of world.agencies) tokens.set(agency.code, await system.token(agency.code));
    log(
      `${size}: ${world.indicators.length} indicators, ${world.communes.length} communes, ${world.agencies.length} agencies (${world.reporting.length} with a month page)`,
    );
    const context: MixContext = { size, args, documents, system, world, iocToken, tokens, cleanup };
    const ours = await runMix(context, system.gatewayUrl, "gateway");
    const memoryMiB = await residentMemoryMiB(system.processes);

    let stock;
    if (args.stock) {
      const gateway = await startStockGateway(database, system);
      cleanup.add(() => gateway.stop());
      try {
        const run = await runMix(context, gateway.url, "stock @apollo/gateway");
        stock = { ...run, gatewayMemoryMiB: await gateway.memoryMiB() };
      } catch (error) {
        log(`stock gateway's last lines:\n${gateway.output()}`);
        throw error;
      } finally {
        await gateway.stop();
      }
    }

    // who is who among the profiles: every process of each service (the gateway's workers)
    const names = new Map<number, string>();
    const exits: Record<string, number> = {};
    for (const [name, service] of Object.entries(system.processes.services)) {
      const tree = service.child.pid ? await processTree(service.child.pid) : [];
      tree.forEach((pid, i) => names.set(pid, i === 0 ? name : `${name} worker`));
      service.child.once("exit", () => (exits[name] = Date.now()));
    }
    await system.stop();
    system = undefined;
    let cpuProfile;
    if (profileDir) {
      // the services stop within a second of one another: one window for all
      const exit = Math.max(...Object.values(exits), Date.now());
      cpuProfile = await topSelfTime(profileDir, names, {
        fromMsBeforeExit: exit - ours.loadStarted,
        toMsBeforeExit: exit - ours.loadEnded,
      });
    }
    const { loadStarted: _s, loadEnded: _e, writingAgencies, users, ...measured } = ours;
    void _s;
    void _e;
    return {
      date: new Date().toISOString(),
      demoData: SIZES[size].describe,
      startMs,
      world: {
        indicators: world.indicators.length,
        communes: world.communes.length,
        agencies: world.agencies.length,
        agenciesWithMonth: world.reporting.length,
        writingAgencies,
        latestDueMonth: world.latestDue,
        entryMonth: world.entryMonth,
        asOf: world.today,
        users,
      },
      ...measured,
      memoryMiB,
      ...(cpuProfile && { cpuProfile }),
      ...(stock && {
        stock: {
          gateway:
            "stock @apollo/gateway: ApolloServer + ApolloGateway, one process, same subgraphs",
          readBackCheckProof: stock.readBackCheckProof,
          reads: stock.reads,
          writes: stock.writes,
          gatewayMemoryMiB: stock.gatewayMemoryMiB,
          ratios: {
            readsPerS: round(measured.reads.requestsPerS / Math.max(0.1, stock.reads.requestsPerS)),
            p99: round(
              (measured.reads.latencyMs?.p99Ms ?? 0) /
                Math.max(0.1, stock.reads.latencyMs?.p99Ms ?? 0),
            ),
          },
        },
      }),
    };
  } catch (error) {
    if (system) log(`${size}: failed; the services' last lines:\n${system.lastLines()}`);
    throw error;
  } finally {
    await system?.stop();
    await database.stop();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  }
}

type Result = Awaited<ReturnType<typeof measure>>;

// ---------------------------------------------------------------------------------------------------
// Printing

type Run = Pick<Result, "reads" | "writes">;

function runLines(title: string, r: Run): string[] {
  const pad = (s: string | number, n: number) => String(s).padStart(n);
  const lines = [
    `== ${title}: ${r.reads.requestsPerS} reads/s over ${r.reads.durationS} s (${r.reads.requests} answers, ${r.reads.notModified} of them 304)`,
    `${"page".padEnd(16)}${pad("req/s", 9)}${pad("p50 ms", 9)}${pad("p90 ms", 9)}${pad("p99 ms", 9)}${pad("304", 7)}${pad("failed", 8)}${pad("refused", 9)}`,
  ];
  const row = (
    name: string,
    p: {
      perS: number;
      notModified: number;
      failed: number;
      refused: number;
      latencyMs: { p50Ms: number; p90Ms: number; p99Ms: number } | null;
    },
  ) =>
    `${name.padEnd(16)}${pad(p.perS, 9)}${pad(p.latencyMs?.p50Ms ?? "-", 9)}${pad(p.latencyMs?.p90Ms ?? "-", 9)}${pad(p.latencyMs?.p99Ms ?? "-", 9)}${pad(p.notModified, 7)}${pad(p.failed, 8)}${pad(p.refused, 9)}`;
  for (const [name, p] of Object.entries(r.reads.byPage)) lines.push(row(name, p));
  lines.push(
    row("ALL", {
      perS: r.reads.requestsPerS,
      notModified: r.reads.notModified,
      failed: r.reads.failed,
      refused: r.reads.refused,
      latencyMs: r.reads.latencyMs,
    }),
  );
  const w = r.writes;
  lines.push(
    `failures by code: ${JSON.stringify(r.reads.failuresByCode)}; refusals by code: ${JSON.stringify(r.reads.refusalsByCode)}; timeouts ${r.reads.timeouts}${r.reads.answerSources ? `; gateway answers by source ${JSON.stringify(r.reads.answerSources)}` : ""}`,
    `writes: ${w.acknowledged}/${w.attempted} acknowledged (${w.figuresWritten} figures), p50 ${w.latencyMs?.p50Ms ?? "-"} / p99 ${w.latencyMs?.p99Ms ?? "-"} / max ${w.latencyMs?.maxMs ?? "-"} ms; failed ${JSON.stringify(w.failedByCode)}, timed out ${w.timedOut}, skipped ${w.skippedBacklog + w.skippedBusyKeys}`,
    `read-backs: ${w.readBacks} (p50 ${w.readBackLatencyMs?.p50Ms ?? "-"} ms), STALE READS ${w.staleReads} (never fresh within 5 s: ${w.staleNeverFreshWithin5s}), read-back errors ${w.readBackErrors}`,
  );
  return lines;
}

function printTable(size: Size, r: Result): void {
  const lines = runLines(size, r);
  lines.push(
    `resident memory MiB: ${Object.entries(r.memoryMiB)
      .map(([name, mib]) => `${name} ${mib}`)
      .join(", ")}`,
  );
  if (r.stock) {
    lines.push(...runLines(`${size}, stock @apollo/gateway`, r.stock));
    lines.push(
      `stock gateway resident memory ${r.stock.gatewayMemoryMiB} MiB; ours/stock: ${r.stock.ratios.readsPerS}x the reads/s, ${r.stock.ratios.p99}x the p99`,
    );
  }
  console.log(lines.join("\n"));
  if (r.cpuProfile) {
    for (const [process, p] of Object.entries(r.cpuProfile)) {
      console.log(`-- ${process}: ${p.sampledMs} ms on CPU in the window; top self time:`);
      for (const f of p.top) {
        console.log(`   ${String(f.ms).padStart(9)} ms ${String(f.pct).padStart(5)}%  ${f.fn}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Main: every process stopped at the end, on failure, or on Ctrl-C

class Cleanup {
  private readonly steps: (() => Promise<unknown>)[] = [];
  add(step: () => Promise<unknown>): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    while (this.steps.length > 0) await this.steps.pop()!().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const args = readMixArgs();
  const cleanup = new Cleanup();
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every process started`);
    const forced = setTimeout(() => process.exit(130), 20_000);
    forced.unref();
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    log("the web application's documents: generating them from gateway/operations");
    const documents = await webDocuments();
    const resultsUrl = new URL("./mix.results.json", import.meta.url);
    const sizes = await previousSizes(resultsUrl);
    let stale = 0;
    for (const size of args.sizes) {
      const result = await measure(size, args, documents, cleanup);
      await cleanup.run();
      printTable(size, result);
      stale += result.writes.staleReads;
      sizes[size] = result;
    }
    if (!args.readBeforeWrite) {
      await writeResults(resultsUrl, {
        mix: {
          tool: "autocannon 8 (in the benchmark's own process, on the same machine)",
          seed: args.seed,
          connections: args.connections,
          durationS: args.durationS,
          warmUpS: args.warmUpS,
          writesPerSecond: args.writesPerSecond,
          agencyShare: args.agencyShare,
          pollShare: args.pollShare,
          pageWeights: args.weights,
          rateLimitPerMinute: Number(RATE_LIMIT_PER_MINUTE),
          cpuProf: args.cpuProf,
          machine: machine(),
        },
        sizes,
      });
    } else log("a deliberate-bug run: results not written");
    if (stale > 0) {
      log(`STALE READS: ${stale} acknowledged writes were not shown by the read right after`);
      process.exitCode = 1;
    }
  } finally {
    await cleanup.run();
  }
}

if (process.env.P06_MIX_STOCK_GATEWAY === "1") await serveStock();
else await main();
