CREATE TYPE "public"."calendar_connection_status" AS ENUM('connected', 'disconnected', 'error');--> statement-breakpoint
CREATE TABLE "calendar_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"status" "calendar_connection_status" DEFAULT 'connected' NOT NULL,
	"calendar_id" text DEFAULT 'primary' NOT NULL,
	"encrypted_tokens" text,
	"sync_token" text,
	"last_synced_at" timestamp with time zone,
	"last_full_sync_at" timestamp with time zone,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"channel_id" text,
	"channel_resource_id" text,
	"channel_expires_at" timestamp with time zone,
	"connected_by" uuid,
	"connected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disconnected_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calendar_connections_professional_unique" UNIQUE("professional_id"),
	CONSTRAINT "calendar_connections_tokens_when_connected" CHECK ("calendar_connections"."status" <> 'connected' or "calendar_connections"."encrypted_tokens" is not null)
);
--> statement-breakpoint
CREATE TABLE "google_quota" (
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "google_quota_pk" PRIMARY KEY("clinic_id","day"),
	CONSTRAINT "google_quota_requests_nonnegative" CHECK ("google_quota"."requests" >= 0)
);
--> statement-breakpoint
ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_connected_by_users_id_fk" FOREIGN KEY ("connected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_connections" ADD CONSTRAINT "calendar_connections_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "google_quota" ADD CONSTRAINT "google_quota_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_connections_channel_unique" ON "calendar_connections" USING btree ("channel_id") WHERE channel_id is not null;--> statement-breakpoint
CREATE INDEX "calendar_connections_status_idx" ON "calendar_connections" USING btree ("status");