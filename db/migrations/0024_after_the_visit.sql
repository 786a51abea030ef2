CREATE TABLE "coupons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"code" text NOT NULL,
	"patient_id" uuid,
	"percent_off" integer,
	"amount_off_cents" integer,
	"min_charge_cents" integer DEFAULT 0 NOT NULL,
	"valid_until" timestamp with time zone NOT NULL,
	"origin" text NOT NULL,
	"survey_id" uuid,
	"upsell_offer_id" uuid,
	"redeemed_at" timestamp with time zone,
	"redeemed_payment_id" uuid,
	"redeemed_discount_cents" integer,
	"revoked_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "coupons_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "coupons_clinic_code_unique" UNIQUE("clinic_id","code"),
	CONSTRAINT "coupons_one_discount" CHECK (("coupons"."percent_off" is null) <> ("coupons"."amount_off_cents" is null)),
	CONSTRAINT "coupons_percent_range" CHECK ("coupons"."percent_off" is null or "coupons"."percent_off" between 1 and 100),
	CONSTRAINT "coupons_amount_positive" CHECK ("coupons"."amount_off_cents" is null or "coupons"."amount_off_cents" > 0),
	CONSTRAINT "coupons_min_nonnegative" CHECK ("coupons"."min_charge_cents" >= 0),
	CONSTRAINT "coupons_code_format" CHECK ("coupons"."code" ~ '^[A-Z0-9-]{4,32}$'),
	CONSTRAINT "coupons_origin" CHECK ("coupons"."origin" in ('nps_detractor', 'upsell', 'manual')),
	CONSTRAINT "coupons_redeemed_whole" CHECK (("coupons"."redeemed_at" is null) = ("coupons"."redeemed_payment_id" is null))
);
--> statement-breakpoint
CREATE TABLE "feedback_responses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"aspects" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "feedback_responses_survey_unique" UNIQUE("survey_id"),
	CONSTRAINT "feedback_responses_aspects" CHECK ("feedback_responses"."aspects" <@ array['atendimento', 'pontualidade', 'resultado', 'preco', 'limpeza']::text[]),
	CONSTRAINT "feedback_responses_comment_length" CHECK ("feedback_responses"."comment" is null or char_length("feedback_responses"."comment") <= 2000)
);
--> statement-breakpoint
CREATE TABLE "patient_photos" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"appointment_id" uuid,
	"procedure_id" uuid,
	"kind" text NOT NULL,
	"storage_key" text NOT NULL,
	"content_type" text NOT NULL,
	"bytes" integer NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"publicity_consent" boolean DEFAULT false NOT NULL,
	"identifiable" boolean DEFAULT false NOT NULL,
	"consent_at" timestamp with time zone,
	"consent_revoked_at" timestamp with time zone,
	"consent_source" text,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	CONSTRAINT "patient_photos_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "patient_photos_storage_key_unique" UNIQUE("storage_key"),
	CONSTRAINT "patient_photos_kind" CHECK ("patient_photos"."kind" in ('antes', 'depois')),
	CONSTRAINT "patient_photos_identifiable_needs_consent" CHECK (not "patient_photos"."identifiable" or "patient_photos"."publicity_consent")
);
--> statement-breakpoint
CREATE TABLE "upsell_offers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"workflow_id" text NOT NULL,
	"survey_id" uuid,
	"procedure_id" uuid,
	"reason" jsonb,
	"reason_text" text,
	"coupon_id" uuid,
	"photo_id" uuid,
	"status" text DEFAULT 'aguardando' NOT NULL,
	"skip_reason" text,
	"sent_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"outcome_at" timestamp with time zone,
	"appointment_id" uuid,
	"revenue_cents" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upsell_offers_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "upsell_offers_workflow_unique" UNIQUE("clinic_id","workflow_id"),
	CONSTRAINT "upsell_offers_patient_seq_unique" UNIQUE("clinic_id","patient_id","seq"),
	CONSTRAINT "upsell_offers_status" CHECK ("upsell_offers"."status" in ('aguardando', 'enviada', 'agendou', 'ignorou', 'recusou', 'nao_enviada'))
);
--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "status" text DEFAULT 'aguardando' NOT NULL;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "workflow_id" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "nps_class" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "channel" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "basis" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "skip_reason" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "reminder_sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "answered_via" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "late_answer" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "comment_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "sentiment_label" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "sentiment_words" jsonb;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "sentiment_source" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "follow_up_status" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "follow_up_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "follow_up_by" uuid;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "follow_up_note" text;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coupons" ADD CONSTRAINT "coupons_payment_fk" FOREIGN KEY ("clinic_id","redeemed_payment_id") REFERENCES "public"."payments"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_clinic_id_id_unique" UNIQUE("clinic_id","id");--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_survey_fk" FOREIGN KEY ("clinic_id","survey_id") REFERENCES "public"."nps_surveys"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "feedback_responses" ADD CONSTRAINT "feedback_responses_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_photos" ADD CONSTRAINT "patient_photos_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_photos" ADD CONSTRAINT "patient_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_photos" ADD CONSTRAINT "patient_photos_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_photos" ADD CONSTRAINT "patient_photos_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_photos" ADD CONSTRAINT "patient_photos_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD CONSTRAINT "upsell_offers_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD CONSTRAINT "upsell_offers_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD CONSTRAINT "upsell_offers_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "upsell_offers" ADD CONSTRAINT "upsell_offers_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "coupons_redeemed_payment_unique" ON "coupons" USING btree ("redeemed_payment_id") WHERE "coupons"."redeemed_payment_id" is not null;--> statement-breakpoint
CREATE INDEX "coupons_patient_idx" ON "coupons" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "feedback_responses_clinic_created_idx" ON "feedback_responses" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "patient_photos_patient_idx" ON "patient_photos" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "patient_photos_procedure_consented_idx" ON "patient_photos" USING btree ("clinic_id","procedure_id") WHERE "patient_photos"."publicity_consent" and "patient_photos"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "upsell_offers_clinic_created_idx" ON "upsell_offers" USING btree ("clinic_id","created_at");--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_follow_up_by_users_id_fk" FOREIGN KEY ("follow_up_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "nps_surveys_clinic_sent_idx" ON "nps_surveys" USING btree ("clinic_id","sent_at");--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_status" CHECK ("nps_surveys"."status" in ('aguardando', 'enviada', 'respondida', 'sem_resposta', 'nao_enviada'));--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_class" CHECK ("nps_surveys"."nps_class" is null or "nps_surveys"."nps_class" in ('detractor', 'neutral', 'promoter'));--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_follow_up" CHECK ("nps_surveys"."follow_up_status" is null or "nps_surveys"."follow_up_status" in ('aberto', 'contatado', 'resolvido'));--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_comment_length" CHECK ("nps_surveys"."comment" is null or char_length("nps_surveys"."comment") <= 2000);