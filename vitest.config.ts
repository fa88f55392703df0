import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The resilience files need their own PostgreSQL and server processes: `npm run test:resilience`.
    exclude: ["tests/e2e/**", "tests/resilience/**", "node_modules/**"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
