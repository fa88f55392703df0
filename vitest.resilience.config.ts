import { defineConfig } from "vitest/config";

// Faults that need their own PostgreSQL or their own server process: run one file at a time.
export default defineConfig({
  test: {
    include: ["tests/resilience/**/*.test.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
