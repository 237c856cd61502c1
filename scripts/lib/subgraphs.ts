// Every subgraph `npm start` runs, in start order, with its default port.
export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  entry: string;
  port: number;
  /** The prefix of its value mutations (submitHealthValue, importHealthReport, ...). */
  prefix: string;
}

export const subgraphs: ServiceSpec[] = [
  { name: "plan", prefix: "Plan", entry: "subgraphs/plan/src/index.ts", port: 4101 },
  { name: "identity", prefix: "Identity", entry: "subgraphs/identity/src/index.ts", port: 4102 },
  {
    name: "procedures",
    prefix: "Procedures",
    entry: "subgraphs/procedures/src/index.ts",
    port: 4103,
  },
  { name: "health", prefix: "Health", entry: "subgraphs/health/src/index.ts", port: 4104 },
  { name: "education", prefix: "Education", entry: "subgraphs/education/src/index.ts", port: 4105 },
  {
    name: "social-security",
    prefix: "SocialSecurity",
    entry: "subgraphs/social-security/src/index.ts",
    port: 4106,
  },
];

/** The environment variable that overrides a service's port, e.g. P06_SOCIAL_SECURITY_PORT. */
export const portVariable = (name: string) => `P06_${name.toUpperCase().replaceAll("-", "_")}_PORT`;
