// Prisma CLI configuration. The app applies migrations itself (src/db/migrate.ts);
// this file lets `prisma generate` and, where the native engine is available, `prisma migrate deploy` work.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/curbside" },
});
