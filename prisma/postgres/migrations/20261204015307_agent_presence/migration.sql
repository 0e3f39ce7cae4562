-- CreateTable
CREATE TABLE "AgentPresence" (
    "hostId" TEXT NOT NULL,
    "serverId" TEXT NOT NULL,
    "connectedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentPresence_pkey" PRIMARY KEY ("hostId")
);

-- CreateIndex
CREATE INDEX "AgentPresence_serverId_idx" ON "AgentPresence"("serverId");
