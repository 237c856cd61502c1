// One gateway worker per core (node:cluster). The primary serves nothing itself: it forks the
// workers (and replaces one that dies), polls the subgraphs' data versions and tells every worker,
// relays a write's version to all workers and acknowledges once each has it, keeps the rate limit's
// counts for all workers, and gathers every worker's metrics for /metrics. Stopping it (SIGINT or
// SIGTERM, through runService) stops the workers first.
import cluster, { type Worker } from "node:cluster";
import {
  ClusterMemoryStorePrimary,
  ClusterMemoryStoreWorker,
} from "@express-rate-limit/cluster-memory-store";
import type { Logger } from "@p06/subgraph-kit";
import {
  AggregatorRegistry,
  type MetricObjectWithValues,
  type MetricValue,
  type Registry,
} from "prom-client";
import type { GatewayConfig } from "../config.js";
import {
  DataVersions,
  pollVersions,
  type Publish,
  type Seen,
  type Stamp,
} from "./data-versions.js";

type Message =
  /** worker → primary: versions it saw, subgraphs whose write came back without one; `id`: ack wanted */
  | { type: "p06:seen"; id?: number; seen: Record<string, Seen>; bump: string[] }
  /** primary → worker: stamps to merge; `id`: answer p06:applied */
  | { type: "p06:stamps"; id?: number; stamps: Record<string, Stamp> }
  | { type: "p06:applied"; id: number }
  | { type: "p06:seen-ack"; id: number }
  | { type: "p06:metrics"; id: number }
  | { type: "p06:metrics-result"; id: number; text?: string; error?: string }
  /** primary → worker: its metrics, please; worker → primary: here they are */
  | { type: "p06:worker-metrics"; id: number }
  | { type: "p06:worker-metrics-result"; id: number; metrics: Metrics };

type Metrics = MetricObjectWithValues<MetricValue<string>>[];

const isMessage = (value: unknown): value is Message =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as { type?: unknown }).type === "string" &&
  (value as { type: string }).type.startsWith("p06:");

/** How long a worker waits for the primary (and the primary for a worker) before going on. */
const ACK_TIMEOUT_MS = 2000;

/** The worker's side of the link to the primary. */
export interface WorkerLink {
  publish: Publish;
  onStamps(listener: (stamps: Record<string, Stamp>) => void): void;
  rateLimitStore(): ClusterMemoryStoreWorker;
  /** Lets the primary read this worker's metrics (call once, at start). */
  shareMetrics(registry: Registry): void;
  /** Every worker's metrics, added up by the primary. */
  clusterMetrics(): Promise<string>;
  /**
   * Resolves once every version the primary sent before now has been applied here: the channel is
   * ordered, so its answer comes after them (a worker calls it before it listens).
   */
  caughtUp(): Promise<void>;
}

export function workerLink(): WorkerLink {
  let next = 0;
  const pending = new Map<number, (message: Message) => void>();
  const listeners: ((stamps: Record<string, Stamp>) => void)[] = [];
  let registry: Registry | undefined;
  process.on("message", (message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === "p06:worker-metrics" && registry) {
      const { id } = message;
      void registry.getMetricsAsJSON().then((metrics) => {
        process.send?.({ type: "p06:worker-metrics-result", id, metrics } satisfies Message);
      });
    } else if (message.type === "p06:stamps") {
      for (const listener of listeners) listener(message.stamps);
      if (message.id !== undefined) process.send?.({ type: "p06:applied", id: message.id });
    } else if (message.type === "p06:seen-ack" || message.type === "p06:metrics-result") {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const ask = (message: Message & { id: number }) =>
    new Promise<Message | null>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(message.id);
        resolve(null);
      }, ACK_TIMEOUT_MS);
      pending.set(message.id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      process.send?.(message);
    });
  return {
    async publish(seen, bump, wait) {
      if (!wait) {
        process.send?.({ type: "p06:seen", seen, bump } satisfies Message);
        return;
      }
      await ask({ type: "p06:seen", id: (next += 1), seen, bump });
    },
    onStamps: (listener) => void listeners.push(listener),
    rateLimitStore: () => new ClusterMemoryStoreWorker({ prefix: "graphql" }),
    shareMetrics(shared) {
      registry = shared;
    },
    caughtUp() {
      return this.publish({}, [], true);
    },
    async clusterMetrics() {
      const answer = await ask({ type: "p06:metrics", id: (next += 1) });
      if (answer?.type !== "p06:metrics-result" || answer.text === undefined)
        throw new Error(
          `the workers' metrics did not come: ${answer?.type === "p06:metrics-result" ? answer.error : "timed out"}`,
        );
      return answer.text;
    },
  };
}

/** Runs a worker: starts the gateway, and stops it once on a signal or when the primary is gone. */
export async function runWorker(
  logger: Logger,
  start: () => Promise<() => Promise<void>>,
): Promise<void> {
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason, worker: cluster.worker?.id }, "worker shutting down");
    await close?.().catch((error: unknown) => logger.error({ err: error }, "worker close failed"));
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("disconnect", () => void stop("primary gone"));
  try {
    close = await start();
  } catch (error) {
    logger.fatal({ err: error }, "worker start-up failed");
    process.exit(1);
  }
}

/**
 * The workers that listen (one still starting is busy loading and answers nothing), and their
 * metrics added up (prom-client's aggregation) for /metrics.
 */
function servingWorkers() {
  const ids = new Set<number>();
  const pending = new Map<number, (metrics: Metrics) => void>();
  let next = 0;
  const ask = (worker: Worker) =>
    new Promise<Metrics | null>((resolve) => {
      const id = (next += 1);
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve(null);
      }, ACK_TIMEOUT_MS);
      pending.set(id, (metrics) => {
        clearTimeout(timer);
        resolve(metrics);
      });
      worker.send({ type: "p06:worker-metrics", id } satisfies Message);
    });
  return {
    ids: ids as ReadonlySet<number>,
    add: (worker: Worker) => void ids.add(worker.id),
    remove: (worker: Worker) => void ids.delete(worker.id),
    answered(id: number, metrics: Metrics) {
      pending.get(id)?.(metrics);
      pending.delete(id);
    },
    async metrics(): Promise<string> {
      const workers = [...ids]
        .map((id) => cluster.workers?.[id])
        .filter((worker): worker is Worker => !!worker?.isConnected());
      const answers = await Promise.all(workers.map(ask));
      // a worker that did not answer in time is left out rather than failing the whole
      return AggregatorRegistry.aggregate(
        answers.filter((m): m is Metrics => m !== null),
      ).metrics();
    },
  };
}

/** Runs the primary: forks `config.workers` workers; returns the function that stops them all. */
export function runPrimary(config: GatewayConfig, logger: Logger): () => Promise<void> {
  new ClusterMemoryStorePrimary().init();
  const versions = new DataVersions();
  let stopping = false;
  let nextId = 0;
  const acks = new Map<number, { waiting: Set<number>; done: () => void }>();
  const serving = servingWorkers();

  const alive = () =>
    Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w?.isConnected());
  /** Sends stamps to every worker; resolves once each has applied them (or the wait ran out). */
  const broadcast = (stamps: Record<string, Stamp>, wait: boolean) =>
    new Promise<void>((resolve) => {
      const workers = alive();
      // a worker still starting answers nobody yet and may be busy loading for seconds: it gets the
      // stamps, in order, before it serves (it asks with caughtUp), and is not waited for
      const awaited = workers.filter((worker) => serving.ids.has(worker.id));
      if (!wait || awaited.length === 0) {
        for (const worker of workers) worker.send({ type: "p06:stamps", stamps } satisfies Message);
        return resolve();
      }
      const id = (nextId += 1);
      const timer = setTimeout(() => {
        acks.delete(id);
        logger.warn({ id }, "a worker did not acknowledge a write's data version in time");
        resolve();
      }, ACK_TIMEOUT_MS);
      acks.set(id, {
        waiting: new Set(awaited.map((w) => w.id)),
        done: () => {
          clearTimeout(timer);
          acks.delete(id);
          resolve();
        },
      });
      for (const worker of workers)
        worker.send({ type: "p06:stamps", id, stamps } satisfies Message);
    });
  const stampsOf = (seen: Record<string, Seen>, bump: string[] = []) => {
    const stamps: Record<string, Stamp> = {};
    for (const [subgraph, given] of Object.entries(seen))
      stamps[subgraph] = { ...given, epoch: versions.stamp(subgraph)?.epoch ?? 0 };
    for (const subgraph of bump) {
      const current = stamps[subgraph] ?? versions.stamp(subgraph) ?? { version: 0, epoch: 0 };
      stamps[subgraph] = { version: current.version, epoch: current.epoch + 1 };
    }
    return stamps;
  };
  const stopPolling = pollVersions(config.subgraphUrls, config.versionPollMs, (seen, lost) => {
    // a subgraph that stopped answering: nothing read from it is reused until it is read again
    const moved = versions.merge(stampsOf(seen, lost));
    if (Object.keys(moved).length) void broadcast(moved, false);
  });

  cluster.on("message", (worker, message: unknown) => {
    if (!isMessage(message)) return;
    if (message.type === "p06:seen") {
      const moved = versions.merge(stampsOf(message.seen, message.bump));
      if (message.id === undefined) {
        if (Object.keys(moved).length) void broadcast(moved, false);
        return;
      }
      // a write: every worker gets the current stamps of what it touched (even unmoved: a broadcast
      // before this one may still be on its way) and acknowledges, then the writer's worker hears
      const touched = [...Object.keys(message.seen), ...message.bump];
      const current = Object.fromEntries(touched.map((s) => [s, versions.stamp(s)!]));
      const id = message.id;
      void broadcast(current, true).then(() => {
        if (worker.isConnected()) worker.send({ type: "p06:seen-ack", id } satisfies Message);
      });
    } else if (message.type === "p06:applied") {
      for (const ack of acks.values()) {
        if (ack.waiting.delete(worker.id) && ack.waiting.size === 0) ack.done();
      }
    } else if (message.type === "p06:metrics") {
      serving.metrics().then(
        (text) =>
          worker.send({ type: "p06:metrics-result", id: message.id, text } satisfies Message),
        (error: unknown) =>
          worker.send({
            type: "p06:metrics-result",
            id: message.id,
            error: error instanceof Error ? error.message : String(error),
          } satisfies Message),
      );
    } else if (message.type === "p06:worker-metrics-result") {
      serving.answered(message.id, message.metrics);
    }
  });

  const fork = () => {
    const worker = cluster.fork();
    // a new worker starts knowing what the others know
    worker.once("online", () => {
      const known = Object.fromEntries(
        Object.keys(config.subgraphUrls).flatMap((s) => {
          const stamp = versions.stamp(s);
          return stamp ? [[s, stamp]] : [];
        }),
      );
      if (Object.keys(known).length)
        worker.send({ type: "p06:stamps", stamps: known } satisfies Message);
    });
    return worker;
  };
  // Workers start one after another: the first takes traffic as soon as it listens, rather than all
  // of them sharing the cores while each loads the supergraph and warms up.
  let starting: Worker | undefined;
  const startWorkers = () => {
    const running = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
    if (stopping || starting || running.length >= config.workers) return;
    const worker = (starting = fork());
    worker.once("listening", () => {
      serving.add(worker);
      starting = undefined;
      startWorkers();
    });
  };
  const deaths: number[] = [];
  cluster.on("exit", (worker, code, signal) => {
    serving.remove(worker);
    // a worker's acknowledgement is no longer awaited
    for (const ack of acks.values()) {
      if (ack.waiting.delete(worker.id) && ack.waiting.size === 0) ack.done();
    }
    if (stopping) return;
    // workers that cannot start (a port taken, say) would otherwise be replaced for ever
    const now = Date.now();
    deaths.push(now);
    while (deaths[0]! < now - 60_000) deaths.shift();
    if (deaths.length > 2 * config.workers) {
      logger.fatal({ deaths: deaths.length }, "gateway workers keep dying; stopping");
      void stop().then(() => process.exit(1));
      return;
    }
    logger.error({ worker: worker.id, code, signal }, "a gateway worker died; starting another");
    if (starting === worker) starting = undefined;
    startWorkers();
  });

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopPolling();
    await Promise.all(
      alive().map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => worker.process.kill("SIGKILL"), 10_000);
            worker.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            worker.process.kill("SIGTERM");
          }),
      ),
    );
  };

  logger.info({ workers: config.workers }, "starting the gateway workers");
  startWorkers();
  return stop;
}
