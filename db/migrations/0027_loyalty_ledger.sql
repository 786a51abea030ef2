ALTER TYPE "public"."loyalty_transaction_kind" ADD VALUE 'estornados';--> statement-breakpoint
ALTER TABLE "coupons" DROP CONSTRAINT "coupons_origin";--> statement-breakpoint
ALTER TABLE "loyalty_accounts" ADD COLUMN "tier_announced" "loyalty_tier";--> statement-breakpoint
ALTER TABLE "loyalty_accounts" ADD COLUMN "expiry_notice_for" date;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "payment_id" uuid;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "refund_id" uuid;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "coupon_id" uuid;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_transactions_payment_credit_unique" ON "loyalty_transactions" USING btree ("payment_id") WHERE "loyalty_transactions"."kind" = 'creditados' and "loyalty_transactions"."payment_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "loyalty_transactions_refund_unique" ON "loyalty_transactions" USING btree ("refund_id") WHERE "loyalty_transactions"."refund_id" is not null;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_origin" CHECK ("coupons"."origin" in ('nps_detractor', 'upsell', 'manual', 'loyalty', 'reactivation'));--> statement-breakpoint
-- Credits recorded before this migration (the demo's history) name their appointment but not their
-- payment; each was written with the payment's processed_at as its time, which identifies it.
UPDATE "loyalty_transactions" t SET "payment_id" = p."id"
FROM "payments" p
WHERE t."kind" = 'creditados' AND t."payment_id" IS NULL AND p."clinic_id" = t."clinic_id"
  AND p."appointment_id" = t."appointment_id" AND p."processed_at" = t."created_at";
--> statement-breakpoint
-- Credits recorded before this migration expire by the default period (12 months), as new ones do.
UPDATE "loyalty_transactions" SET "expires_at" = "created_at" + interval '12 months' WHERE "kind" = 'creditados' AND "expires_at" IS NULL;
