-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsoleTicket" (
    "hash" TEXT NOT NULL,
    "claimsJson" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "ConsoleTicket_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "ClusterEvent" (
    "id" SERIAL NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LoginFailure_key_at_idx" ON "LoginFailure"("key", "at");

-- CreateIndex
CREATE INDEX "ConsoleTicket_expiresAt_idx" ON "ConsoleTicket"("expiresAt");

-- CreateIndex
CREATE INDEX "ClusterEvent_createdAt_idx" ON "ClusterEvent"("createdAt");
