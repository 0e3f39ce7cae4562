-- CreateTable
CREATE TABLE "MetricChunk" (
    "series" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "start" DATETIME NOT NULL,
    "names" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("series", "tier", "start")
);

-- CreateIndex
CREATE INDEX "MetricChunk_tier_start_idx" ON "MetricChunk"("tier", "start");
