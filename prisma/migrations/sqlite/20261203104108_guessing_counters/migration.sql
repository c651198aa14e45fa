-- CreateTable
CREATE TABLE "guess_counter" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "window_start" BIGINT NOT NULL,
    "failures" INTEGER NOT NULL,
    "locked_until" BIGINT,

    PRIMARY KEY ("scope", "key")
);

-- CreateTable
CREATE TABLE "trusted_login_source" (
    "account" TEXT NOT NULL,
    "source_hash" TEXT NOT NULL,
    "expires_at" BIGINT NOT NULL,

    PRIMARY KEY ("account", "source_hash")
);

-- CreateIndex
CREATE INDEX "trusted_login_source_expires_at_idx" ON "trusted_login_source"("expires_at");
