// The readers' load: one autocannon run of the mix, each answer counted by page and operation.
import autocannon from "autocannon";
import type { MixArgs } from "./args.js";
import { bodyOf, type Operation } from "./documents.js";
import { askKey, DATA_VALUES_PAGE, nextAsk, type Ask, type User } from "./pages.js";
import { newPageStats, type PageStats, type ReadStats } from "./read-stats.js";
import type { World } from "./world.js";

const REFUSAL = /BUSY|RATE_LIMITED|OVERLOAD|TOO_MANY/;

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
export async function readLoad(options: {
  url: string;
  durationS: number;
  connections: number;
  users: User[];
  makeUser: (id: number) => User;
  world: World;
  args: MixArgs;
  documents: Record<Operation, string>;
  /** Where each answer is counted now (a warm-up's are counted apart from the measured ones). */
  stats: () => ReadStats;
}) {
  const { users, world, args, documents } = options;
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
      const stats = options.stats();
      const page = statsOf(stats.byPage, next.page);
      const operation = statsOf(stats.byOperation, next.operation);
      bump(stats.statuses, String(status));
      const count = (field: keyof PageStats) => {
        (page[field] as number) += 1;
        (operation[field] as number) += 1;
      };
      if (status === 304) return count("notModified");
      page.bytes += body.length;
      operation.bytes += body.length;
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
          const stats = options.stats();
          statsOf(stats.byPage, context.ask.page).latencies.push(responseTime as number);
          statsOf(stats.byOperation, context.ask.operation).latencies.push(responseTime as number);
        }
        release(context.user);
      });
      raw.on("timeout", () => {
        const context = raw.requestIterator.context;
        if (context.ask) {
          const stats = options.stats();
          statsOf(stats.byPage, context.ask.page).timeouts += 1;
          statsOf(stats.byOperation, context.ask.operation).timeouts += 1;
        }
        release(context.user);
      });
    },
  } as autocannon.Options);
  return await instance;
}
