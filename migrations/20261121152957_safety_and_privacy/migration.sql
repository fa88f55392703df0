-- DropIndex
DROP INDEX "Reply_status_updatedAt_idx";

-- DropIndex
DROP INDEX "Thread_status_updatedAt_idx";

-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "withdrawnAt" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Reply_status_urgent_updatedAt_idx" ON "Reply"("status", "urgent" DESC, "updatedAt");

-- CreateIndex
CREATE INDEX "Thread_status_urgent_updatedAt_idx" ON "Thread"("status", "urgent" DESC, "updatedAt");
