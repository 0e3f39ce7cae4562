-- AlterTable
ALTER TABLE "Task" ADD COLUMN     "deadlineAt" TIMESTAMP(3);
