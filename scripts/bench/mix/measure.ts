// One data size: its database and system, the mix on our gateway (and on stock @apollo/gateway with
// --stock), memory and CPU profiles, gathered into that size's result.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { defaultWorkers } from "../../../gateway/src/config.js";
import { join } from "node:path";
import { processTree } from "../../lib/processes.js";
import { topSelfTime } from "../cpu-profile.js";
import {
  log,
  openBenchDatabase,
  residentMemoryMiB,
  round,
  SIZES,
  startBenchSystem,
  type BenchDatabase,
  type BenchSystem,
  type Size,
} from "../harness.js";
import type { MixArgs } from "./args.js";
import type { Cleanup } from "./cleanup.js";
import type { Operation } from "./documents.js";
import { runMix, type MixContext } from "./run.js";
import { startStockGateway } from "./stock.js";
import { discover } from "./world.js";

export const RATE_LIMIT_PER_MINUTE = "100000000";

export async function measure(
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
    // the gateway takes traffic as soon as its first worker listens; the others start after it, and
    // connections opened before they listen would all stay on the first
    await allWorkersServing(system.gatewayUrl);

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
          coresBusy: stock.coresBusy,
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

export type Result = Awaited<ReturnType<typeof measure>>;

/** Waits (a minute at most) until every gateway worker serves, as its /metrics counts them. */
async function allWorkersServing(gatewayUrl: string): Promise<void> {
  const expected = Number(process.env.GATEWAY_WORKERS) || defaultWorkers();
  const deadline = Date.now() + 60_000;
  let serving = 0;
  while (Date.now() < deadline) {
    const text = await (await fetch(gatewayUrl.replace(/\/graphql$/, "/metrics"))).text();
    serving = Number(/^p06_gateway_workers_serving (\d+)/m.exec(text)?.[1] ?? 0);
    if (serving >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  log(
    `only ${serving} of ${expected} gateway workers serve after a minute: measuring all the same`,
  );
}
