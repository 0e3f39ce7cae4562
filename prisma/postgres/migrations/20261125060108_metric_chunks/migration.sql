-- CreateTable
CREATE TABLE "MetricChunk" (
    "series" TEXT NOT NULL,
    "tier" INTEGER NOT NULL,
    "start" TIMESTAMP(3) NOT NULL,
    "names" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MetricChunk_pkey" PRIMARY KEY ("series","tier","start")
);

-- CreateIndex
CREATE INDEX "MetricChunk_tier_start_idx" ON "MetricChunk"("tier", "start");
