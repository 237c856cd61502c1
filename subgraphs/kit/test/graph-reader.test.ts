// A subgraph reads the graph with a token signed by the secret it shares with the gateway. While that
// secret is rotated the subgraph holds the new one and the previous one, and the gateway only one of
// them: the token the gateway refuses (401) is followed by the other, and the one taken is tried first
// from then on. Here a stand-in gateway takes only tokens signed with the previous secret.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  graphReaderFromEnv,
  readGraph,
  verifyGraphReaderToken,
  type GraphReader,
} from "../src/graph-reader.js";

const NEW_SECRET = "n".repeat(40);
const PREVIOUS_SECRET = "p".repeat(40);

let gateway: Server;
let url: string;
let requests = 0;

beforeAll(async () => {
  gateway = createServer((req, res) => {
    requests += 1;
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    verifyGraphReaderToken(token, "plan", PREVIOUS_SECRET).then(
      () => {
        res.setHeader("content-type", "application/json");
        res.setHeader("x-p06-read-versions", "health=4.0");
        res.end(JSON.stringify({ data: { ok: true } }));
      },
      () => {
        res.statusCode = 401;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ errors: [{ message: "refused" }] }));
      },
    );
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise((resolve) => gateway.close(resolve)));

const ask = (reader: GraphReader) =>
  readGraph<{ ok: boolean }>(
    reader,
    { query: "{ ok }", variables: {}, operationName: "Ok" },
    { timeoutMs: 5000 },
  );

it("reads with the previous secret's token when the gateway refuses the new one, and starts with it next time", async () => {
  const reader = graphReaderFromEnv("plan", {
    P06_GRAPH_URL: url,
    SUBGRAPH_SECRET: NEW_SECRET,
    SUBGRAPH_SECRET_PREVIOUS: PREVIOUS_SECRET,
  })!;
  requests = 0;
  expect(await ask(reader)).toEqual({
    status: 200,
    data: { ok: true },
    errors: [],
    reads: { health: { version: 4, epoch: 0 } },
  });
  expect(requests).toBe(2);
  await ask(reader);
  expect(requests).toBe(3);
});

it("gives the gateway's refusal when no secret it holds is taken", async () => {
  const reader = graphReaderFromEnv("plan", { P06_GRAPH_URL: url, SUBGRAPH_SECRET: NEW_SECRET })!;
  const answer = await ask(reader);
  expect(answer.status).toBe(401);
  expect(answer.errors).toEqual([{ message: "refused" }]);
});

it("reads nothing without the gateway's address or a secret", () => {
  expect(graphReaderFromEnv("plan", { SUBGRAPH_SECRET: NEW_SECRET })).toBeNull();
  expect(graphReaderFromEnv("plan", { P06_GRAPH_URL: url })).toBeNull();
});
