ALTER TABLE "conversations" ADD COLUMN "subject" text DEFAULT 'lead' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "nps_survey_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_nps_survey_fk" FOREIGN KEY ("clinic_id","nps_survey_id") REFERENCES "public"."nps_surveys"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_subject" CHECK ("conversations"."subject" in ('lead', 'nps_detractor'));