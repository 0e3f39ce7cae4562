-- AlterTable
ALTER TABLE "Task" ADD COLUMN "deadlineAt" DATETIME;
