-- AlterTable
ALTER TABLE "Flag" ADD COLUMN     "hidesPost" BOOLEAN NOT NULL DEFAULT false;
