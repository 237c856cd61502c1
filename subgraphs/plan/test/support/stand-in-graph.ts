// A stand-in gateway on a local port for the plan's reads through the graph (agency-figures.ts): it
// answers each agency's root field the plan asks, as the gateway would, with the version it read.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { READ_VERSIONS_HEADER, type GraphReader } from "@p06/subgraph-kit";
import { agencySubgraphs, type SubgraphSpec } from "@p06/catalogue";

/** What the stand-in gives for a root field of an agency (`healthFigures`, `healthFiguresSeries`). */
export type Answers = (spec: SubgraphSpec, field: string) => unknown;

export interface StandInGraph {
  reader: GraphReader;
  close(): Promise<void>;
}

export async function standInGraph(answers: Answers): Promise<StandInGraph> {
  const graph = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const { query } = JSON.parse(body) as { query: string };
      const field = /\{\s*(\w+)/.exec(query)![1]!;
      const spec = agencySubgraphs.find((s) => field.startsWith(s.reviewField))!;
      res.setHeader("content-type", "application/json");
      res.setHeader(READ_VERSIONS_HEADER, `${spec.name}=1.0`);
      res.end(JSON.stringify({ data: { [field]: answers(spec, field) } }));
    });
  });
  await new Promise<void>((resolve) => graph.listen(0, "127.0.0.1", resolve));
  const { port } = graph.address() as AddressInfo;
  return {
    reader: { url: `http://127.0.0.1:${port}/graphql`, tokens: [async () => "stand-in"] },
    close: () => new Promise((resolve) => graph.close(() => resolve())),
  };
}
