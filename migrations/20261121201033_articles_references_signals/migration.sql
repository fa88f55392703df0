-- AlterTable
ALTER TABLE "PhysicianProfile" ADD COLUMN     "bio" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "disclosures" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "PostRevision" ADD COLUMN     "references" JSONB,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Reply" ADD COLUMN     "acceptedAt" TIMESTAMPTZ(3),
ADD COLUMN     "agreeCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "helpfulCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "references" JSONB NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "Thread" ADD COLUMN     "references" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "Agreement" (
    "replyId" INTEGER NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Agreement_pkey" PRIMARY KEY ("replyId","userId")
);

-- CreateTable
CREATE TABLE "HelpfulMark" (
    "replyId" INTEGER NOT NULL,
    "userId" UUID NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HelpfulMark_pkey" PRIMARY KEY ("replyId","userId")
);

-- CreateIndex
CREATE INDEX "Agreement_userId_idx" ON "Agreement"("userId");

-- CreateIndex
CREATE INDEX "HelpfulMark_userId_idx" ON "HelpfulMark"("userId");

-- CreateIndex
CREATE INDEX "Thread_tags_idx" ON "Thread" USING GIN ("tags");

-- AddForeignKey
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_replyId_fkey" FOREIGN KEY ("replyId") REFERENCES "Reply"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpfulMark" ADD CONSTRAINT "HelpfulMark_replyId_fkey" FOREIGN KEY ("replyId") REFERENCES "Reply"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HelpfulMark" ADD CONSTRAINT "HelpfulMark_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
