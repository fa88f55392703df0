-- Hold reasons are decided once, when a post is sent, and stored with it. Posts already waiting get theirs from
-- a data step at the next start (src/moderation/hold-backfill.ts, run after migrations): the rules for links,
-- watched words and identifying details are TypeScript, so SQL could recompute only part of them.
-- AlterTable
ALTER TABLE "PostRevision" ADD COLUMN     "holdReasons" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "heldAt" TIMESTAMPTZ(3),
ADD COLUMN     "holdReasons" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "heldAt" TIMESTAMPTZ(3),
ADD COLUMN     "holdReasons" TEXT[] DEFAULT ARRAY[]::TEXT[];
