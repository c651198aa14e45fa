-- AlterTable
ALTER TABLE "user" ALTER COLUMN "wfc_id" DROP NOT NULL;
