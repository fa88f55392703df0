-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "submissionKey" TEXT;

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "submissionKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Reply_authorId_submissionKey_key" ON "Reply"("authorId", "submissionKey");

-- CreateIndex
CREATE UNIQUE INDEX "Thread_authorId_submissionKey_key" ON "Thread"("authorId", "submissionKey");
