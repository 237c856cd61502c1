// Every service `npm start` runs, in start order, with its default port.
export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  entry: string;
  port: number;
}

export const subgraphs: ServiceSpec[] = [
  { name: "plan", entry: "subgraphs/plan/src/index.ts", port: 4101 },
];
