// One vitest configuration, two projects: fast in-process tests (*.test.ts) and end-to-end tests
// over booted servers (*.e2e.ts). Both get the same database server from test/global-setup.ts.
import { defineConfig } from "vitest/config";
import { cleanTestEnvironment } from "./test/support/clean-env.js";

// before anything starts: every test process inherits this environment
const removed = cleanTestEnvironment();
if (removed.length) console.log(`tests run without your ${removed.join(", ")}`);

// the cross-checks against sources kept outside the repository run where they are given (CI)
const sources = {
  P06_PLAN_TEXT: "subgraphs/catalogue/test/catalogue-source.test.ts",
  P06_COMMUNE_LIST: "subgraphs/catalogue/test/reporting-units-source.test.ts",
};
const absentSources = Object.entries(sources).filter(([variable]) => !process.env[variable]);
for (const [variable, file] of absentSources)
  console.log(`${file}: runs where ${variable} is given`);

const shared = {
  globalSetup: ["test/global-setup.ts"],
  setupFiles: ["test/support/no-process-left.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
    projects: [
      {
        test: {
          ...shared,
          name: "fast",
          include: [
            "subgraphs/*/test/**/*.test.ts",
            "gateway/test/**/*.test.ts",
            "test/**/*.test.ts",
          ],
          exclude: ["**/node_modules/**", ...absentSources.map(([, file]) => file)],
        },
      },
      {
        test: {
          ...shared,
          name: "e2e",
          include: ["subgraphs/*/test/**/*.e2e.ts", "gateway/test/**/*.e2e.ts", "test/**/*.e2e.ts"],
        },
      },
    ],
  },
});
