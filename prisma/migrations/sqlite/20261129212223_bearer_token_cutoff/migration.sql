-- AlterTable
ALTER TABLE "user" ADD COLUMN "tokens_valid_after" DATETIME;
