CREATE TABLE "clinic_date_overrides" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"professional_id" uuid,
	"day" date NOT NULL,
	"closed" boolean DEFAULT false NOT NULL,
	"intervals" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinic_date_overrides_scope_day_unique" UNIQUE NULLS NOT DISTINCT("clinic_id","professional_id","day"),
	CONSTRAINT "clinic_date_overrides_shape" CHECK (jsonb_typeof("clinic_date_overrides"."intervals") = 'array' and ("clinic_date_overrides"."closed" = (jsonb_array_length("clinic_date_overrides"."intervals") = 0)))
);
--> statement-breakpoint
ALTER TABLE "clinic_date_overrides" ADD CONSTRAINT "clinic_date_overrides_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_date_overrides" ADD CONSTRAINT "clinic_date_overrides_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_date_overrides_day_idx" ON "clinic_date_overrides" USING btree ("clinic_id","day");