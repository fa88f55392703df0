-- AlterTable
ALTER TABLE "SiteSettings" ADD COLUMN     "verificationGraceDays" INTEGER NOT NULL DEFAULT 30;
