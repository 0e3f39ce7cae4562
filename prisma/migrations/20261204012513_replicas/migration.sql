-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ConsoleTicket" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "claimsJson" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- CreateTable
CREATE TABLE "ClusterEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "LoginFailure_key_at_idx" ON "LoginFailure"("key", "at");

-- CreateIndex
CREATE INDEX "ConsoleTicket_expiresAt_idx" ON "ConsoleTicket"("expiresAt");

-- CreateIndex
CREATE INDEX "ClusterEvent_createdAt_idx" ON "ClusterEvent"("createdAt");
