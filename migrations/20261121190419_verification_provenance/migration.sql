-- AlterTable
ALTER TABLE "PhysicianProfile" ADD COLUMN     "checkedOn" DATE,
ADD COLUMN     "registryName" TEXT,
ADD COLUMN     "registryReference" TEXT,
ADD COLUMN     "reverifyBy" DATE,
ADD COLUMN     "revokedAt" TIMESTAMPTZ(3);
