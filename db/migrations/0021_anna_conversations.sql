CREATE TYPE "public"."ai_call_outcome" AS ENUM('ok', 'rate_limited', 'local_rate_limit', 'budget_exceeded', 'timeout', 'error', 'malformed', 'guardrail');--> statement-breakpoint
CREATE TABLE "ai_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"conversation_id" uuid,
	"engine" text NOT NULL,
	"model" text,
	"purpose" text NOT NULL,
	"outcome" "ai_call_outcome" NOT NULL,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"cost_micro_usd" integer DEFAULT 0 NOT NULL,
	"latency_ms" integer,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ai_calls_tokens_nonnegative" CHECK ("ai_calls"."prompt_tokens" >= 0 and "ai_calls"."completion_tokens" >= 0 and "ai_calls"."cost_micro_usd" >= 0)
);
--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "conversation_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD COLUMN "outbox_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD COLUMN "user_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD COLUMN "quick_replies" jsonb;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD COLUMN "interest_when" text;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD COLUMN "score_factors" jsonb;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD COLUMN "suggested_slots" jsonb;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "channel" text DEFAULT 'whatsapp' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "stage" text DEFAULT 'qualifying' NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "needs_staff" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "taken_over_by" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "taken_over_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "unread_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_calls" ADD CONSTRAINT "ai_calls_conversation_fk" FOREIGN KEY ("clinic_id","conversation_id") REFERENCES "public"."conversations"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_calls_clinic_created_idx" ON "ai_calls" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "ai_calls_conversation_idx" ON "ai_calls" USING btree ("conversation_id");--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_conversation_fk" FOREIGN KEY ("clinic_id","conversation_id") REFERENCES "public"."conversations"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_taken_over_by_users_id_fk" FOREIGN KEY ("taken_over_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_messages_inbound_once" ON "conversation_messages" USING btree ("conversation_id","provider_message_id") WHERE "conversation_messages"."sender" = 'paciente' and "conversation_messages"."provider_message_id" is not null;