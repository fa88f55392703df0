-- CreateEnum
CREATE TYPE "FlagReason" AS ENUM ('MISINFORMATION', 'PERSONAL_INFORMATION', 'SPAM', 'ABUSE', 'EMERGENCY', 'OTHER');

-- CreateEnum
CREATE TYPE "FlagStatus" AS ENUM ('OPEN', 'UPHELD', 'DISMISSED');

-- CreateTable
CREATE TABLE "Flag" (
    "id" SERIAL NOT NULL,
    "reporterId" UUID NOT NULL,
    "threadId" INTEGER,
    "replyId" INTEGER,
    "reason" "FlagReason" NOT NULL,
    "note" TEXT,
    "status" "FlagStatus" NOT NULL DEFAULT 'OPEN',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedById" UUID,
    "resolvedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Flag_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Flag_status_createdAt_idx" ON "Flag"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Flag_threadId_idx" ON "Flag"("threadId");

-- CreateIndex
CREATE INDEX "Flag_replyId_idx" ON "Flag"("replyId");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_reporterId_threadId_key" ON "Flag"("reporterId", "threadId");

-- CreateIndex
CREATE UNIQUE INDEX "Flag_reporterId_replyId_key" ON "Flag"("reporterId", "replyId");

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_resolvedById_fkey" FOREIGN KEY ("resolvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_threadId_fkey" FOREIGN KEY ("threadId") REFERENCES "Thread"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Flag" ADD CONSTRAINT "Flag_replyId_fkey" FOREIGN KEY ("replyId") REFERENCES "Reply"("id") ON DELETE CASCADE ON UPDATE CASCADE;
