-- AlterTable
ALTER TABLE "Task" ADD COLUMN "serverId" TEXT;

-- CreateTable
CREATE TABLE "Server" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "url" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "heartbeatAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "Server_heartbeatAt_idx" ON "Server"("heartbeatAt");
