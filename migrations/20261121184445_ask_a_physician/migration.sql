-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "addressedToId" UUID;

-- CreateIndex
CREATE INDEX "Thread_addressedToId_status_idx" ON "Thread"("addressedToId", "status");

-- AddForeignKey
ALTER TABLE "Thread" ADD CONSTRAINT "Thread_addressedToId_fkey" FOREIGN KEY ("addressedToId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
