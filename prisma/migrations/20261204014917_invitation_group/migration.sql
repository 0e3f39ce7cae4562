-- AlterTable
ALTER TABLE "AccountLink" ADD COLUMN "groupId" TEXT;
