// One vitest configuration, two projects: fast in-process tests (*.test.ts) and end-to-end tests
// over booted servers (*.e2e.ts). Both get the same database server from test/global-setup.ts.
import { defineConfig } from "vitest/config";

const shared = {
  globalSetup: ["test/global-setup.ts"],
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
