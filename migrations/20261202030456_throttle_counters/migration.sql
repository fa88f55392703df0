-- CreateTable
-- UNLOGGED: counters are written on every sign-in failure and non-GET request; a crash forgets them, which
-- only forgives some failures, and they skip the WAL (and so replicas).
CREATE UNLOGGED TABLE "ThrottleCounter" (
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "resetAt" TIMESTAMPTZ(3) NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ThrottleCounter_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "ThrottleCounter_resetAt_idx" ON "ThrottleCounter"("resetAt");
