-- AlterTable
ALTER TABLE "SiteSettings" ADD COLUMN     "questionsPerHour" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "repliesPerHour" INTEGER NOT NULL DEFAULT 30;
