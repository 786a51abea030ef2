CREATE TABLE "churn_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"examples" integer NOT NULL,
	"positives" integer NOT NULL,
	"auc" double precision,
	"brier" double precision,
	"calibration" jsonb,
	"model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "churn_models_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "churn_models_clinic_version_unique" UNIQUE("clinic_id","version")
);
--> statement-breakpoint
CREATE TABLE "patient_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"risk" integer NOT NULL,
	"p_alive" double precision NOT NULL,
	"expected_visits" double precision NOT NULL,
	"clv_cents" integer NOT NULL,
	"average_ticket_cents" integer NOT NULL,
	"last_visit_at" timestamp with time zone,
	"days_since_last_visit" integer,
	"model_version" integer,
	"factors" jsonb NOT NULL,
	"features" jsonb NOT NULL,
	"scored_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_scores_patient_unique" UNIQUE("clinic_id","patient_id"),
	CONSTRAINT "patient_scores_risk_range" CHECK ("patient_scores"."risk" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "reactivation_campaigns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"seed" text NOT NULL,
	"holdout_share" double precision NOT NULL,
	"eligible" integer NOT NULL,
	"contacted" integer NOT NULL,
	"control" integer NOT NULL,
	"deferred" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reactivation_campaigns_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "reactivation_campaigns_clinic_day_unique" UNIQUE("clinic_id","day")
);
--> statement-breakpoint
CREATE TABLE "reactivation_targets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"arm" text NOT NULL,
	"seq" integer,
	"workflow_id" text,
	"risk" integer NOT NULL,
	"p_alive" double precision NOT NULL,
	"clv_cents" integer NOT NULL,
	"model_version" integer,
	"factors" jsonb NOT NULL,
	"features" jsonb NOT NULL,
	"status" text NOT NULL,
	"skip_reason" text,
	"coupon_id" uuid,
	"photo_id" uuid,
	"sent_at" timestamp with time zone,
	"follow_up_at" timestamp with time zone,
	"window_ends_at" timestamp with time zone NOT NULL,
	"outcome" text,
	"returned_appointment_id" uuid,
	"revenue_cents" integer,
	"outcome_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reactivation_targets_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "reactivation_targets_campaign_patient_unique" UNIQUE("campaign_id","patient_id"),
	CONSTRAINT "reactivation_targets_workflow_unique" UNIQUE("clinic_id","workflow_id"),
	CONSTRAINT "reactivation_targets_patient_seq_unique" UNIQUE("clinic_id","patient_id","seq"),
	CONSTRAINT "reactivation_targets_arm" CHECK ("reactivation_targets"."arm" in ('contacted', 'control')),
	CONSTRAINT "reactivation_targets_outcome" CHECK ("reactivation_targets"."outcome" is null or "reactivation_targets"."outcome" in ('voltou', 'nao_voltou')),
	CONSTRAINT "reactivation_targets_contacted_has_workflow" CHECK (("reactivation_targets"."arm" = 'contacted') = ("reactivation_targets"."workflow_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "churn_models" ADD CONSTRAINT "churn_models_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_scores" ADD CONSTRAINT "patient_scores_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_scores" ADD CONSTRAINT "patient_scores_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_campaigns" ADD CONSTRAINT "reactivation_campaigns_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_targets" ADD CONSTRAINT "reactivation_targets_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_targets" ADD CONSTRAINT "reactivation_targets_campaign_fk" FOREIGN KEY ("clinic_id","campaign_id") REFERENCES "public"."reactivation_campaigns"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_targets" ADD CONSTRAINT "reactivation_targets_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_targets" ADD CONSTRAINT "reactivation_targets_coupon_fk" FOREIGN KEY ("clinic_id","coupon_id") REFERENCES "public"."coupons"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reactivation_targets" ADD CONSTRAINT "reactivation_targets_appointment_fk" FOREIGN KEY ("clinic_id","returned_appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_scores_risk_idx" ON "patient_scores" USING btree ("clinic_id","risk");--> statement-breakpoint
CREATE INDEX "reactivation_targets_patient_idx" ON "reactivation_targets" USING btree ("clinic_id","patient_id","created_at");--> statement-breakpoint
CREATE INDEX "reactivation_targets_open_idx" ON "reactivation_targets" USING btree ("clinic_id","window_ends_at") WHERE "reactivation_targets"."outcome" is null;