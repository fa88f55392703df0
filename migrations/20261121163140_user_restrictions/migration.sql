-- AlterTable
ALTER TABLE "User" ADD COLUMN     "restrictionMessage" TEXT,
ADD COLUMN     "silencedUntil" TIMESTAMPTZ(3),
ADD COLUMN     "suspendedUntil" TIMESTAMPTZ(3);
