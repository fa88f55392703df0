-- DropIndex
DROP INDEX "Thread_categoryId_status_lastActivityAt_idx";

-- CreateIndex
CREATE INDEX "Thread_categoryId_status_lastActivityAt_id_idx" ON "Thread"("categoryId", "status", "lastActivityAt" DESC, "id" DESC);
