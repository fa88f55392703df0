-- DropIndex
DROP INDEX "Reply_status_createdAt_idx";

-- DropIndex
DROP INDEX "Thread_status_createdAt_idx";

-- CreateIndex
CREATE INDEX "PhysicianProfile_status_fullName_idx" ON "PhysicianProfile"("status", "fullName");

-- CreateIndex
CREATE INDEX "Reply_status_updatedAt_idx" ON "Reply"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "Thread_status_updatedAt_idx" ON "Thread"("status", "updatedAt");

-- CreateIndex
CREATE INDEX "Thread_kind_status_approvedAt_idx" ON "Thread"("kind", "status", "approvedAt" DESC);
