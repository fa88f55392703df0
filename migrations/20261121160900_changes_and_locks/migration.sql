-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "changesRequestedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "changesRequestedAt" TIMESTAMPTZ(3),
ADD COLUMN     "lockedAt" TIMESTAMPTZ(3);
