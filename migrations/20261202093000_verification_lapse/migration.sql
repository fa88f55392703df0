-- A verification past its re-check date and the admins' grace period lapses: the profile's status becomes
-- LAPSED (no badge, no verified physician's powers) until a moderator records a new check. The physician is
-- told in the app (a VERIFICATION notification) and by mail.

-- AlterEnum
ALTER TYPE "VerificationStatus" ADD VALUE 'LAPSED';

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'VERIFICATION';

-- AlterTable
ALTER TABLE "PhysicianProfile" ADD COLUMN     "lapsedAt" TIMESTAMPTZ(3);
