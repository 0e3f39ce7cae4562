-- CreateTable
CREATE TABLE "AgentPresence" (
    "hostId" TEXT NOT NULL PRIMARY KEY,
    "serverId" TEXT NOT NULL,
    "connectedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "AgentPresence_serverId_idx" ON "AgentPresence"("serverId");
