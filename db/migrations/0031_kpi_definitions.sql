ALTER TABLE "daily_metrics" DROP CONSTRAINT "daily_metrics_nonnegative";--> statement-breakpoint
-- The rows under the old definitions (gross revenue, cancelled appointments left out) are derived data: the next rollup (and `npm start`'s backfill) rewrites them, and the dashboard computes a day without a row live.
DELETE FROM "daily_metrics";--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD COLUMN "gross_revenue_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD COLUMN "refunds_cents" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD COLUMN "cancelled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD COLUMN "leads" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD COLUMN "paid_visits" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "payment_refunds_clinic_created_idx" ON "payment_refunds" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_clinic_started_idx" ON "conversations" USING btree ("clinic_id","started_at");--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_counts_nonnegative" CHECK ("daily_metrics"."gross_revenue_cents" >= 0 and "daily_metrics"."refunds_cents" >= 0 and "daily_metrics"."appointments" >= 0 and "daily_metrics"."no_shows" >= 0 and "daily_metrics"."cancelled" >= 0 and "daily_metrics"."leads" >= 0 and "daily_metrics"."conversions" >= 0 and "daily_metrics"."new_patients" >= 0 and "daily_metrics"."completed" >= 0 and "daily_metrics"."paid_visits" >= 0);--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_net_revenue" CHECK ("daily_metrics"."revenue_cents" = "daily_metrics"."gross_revenue_cents" - "daily_metrics"."refunds_cents");--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_outcomes_within_booked" CHECK ("daily_metrics"."completed" + "daily_metrics"."no_shows" + "daily_metrics"."cancelled" <= "daily_metrics"."appointments" and "daily_metrics"."paid_visits" <= "daily_metrics"."completed");--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_conversions_within_leads" CHECK ("daily_metrics"."conversions" <= "daily_metrics"."leads");