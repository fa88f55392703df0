-- AlterTable
ALTER TABLE "OutboxEmail" ADD COLUMN     "unsubscribeList" TEXT;
