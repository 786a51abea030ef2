CREATE TYPE "public"."member_role" AS ENUM('admin', 'staff', 'view');--> statement-breakpoint
CREATE TYPE "public"."message_channel" AS ENUM('whatsapp', 'sms', 'email');--> statement-breakpoint
CREATE TYPE "public"."address_kind" AS ENUM('residencial', 'comercial');--> statement-breakpoint
CREATE TYPE "public"."patient_classification" AS ENUM('ouro', 'prata', 'bronze', 'novo');--> statement-breakpoint
CREATE TYPE "public"."patient_gender" AS ENUM('M', 'F', 'Outro');--> statement-breakpoint
CREATE TYPE "public"."patient_status" AS ENUM('ativo', 'inativo', 'bloqueado');--> statement-breakpoint
CREATE TYPE "public"."phone_kind" AS ENUM('celular', 'comercial', 'residencial');--> statement-breakpoint
CREATE TYPE "public"."procedure_category" AS ENUM('facial', 'corporal', 'capilar', 'outra');--> statement-breakpoint
CREATE TYPE "public"."time_block_kind" AS ENUM('ferias', 'folga', 'almoco', 'reuniao', 'curso', 'pessoal', 'outro');--> statement-breakpoint
CREATE TYPE "public"."appointment_message_kind" AS ENUM('confirmacao', 'lembrete_24h', 'lembrete_2h');--> statement-breakpoint
CREATE TYPE "public"."appointment_payment_status" AS ENUM('pendente', 'pago', 'reembolsado');--> statement-breakpoint
CREATE TYPE "public"."appointment_response" AS ENUM('confirmou', 'cancelou', 'remarcou');--> statement-breakpoint
CREATE TYPE "public"."appointment_source" AS ENUM('painel', 'whatsapp', 'link', 'google');--> statement-breakpoint
CREATE TYPE "public"."appointment_status" AS ENUM('agendado', 'confirmado', 'realizado', 'cancelado', 'no_show');--> statement-breakpoint
CREATE TYPE "public"."payment_method" AS ENUM('cartao', 'pix', 'boleto', 'dinheiro');--> statement-breakpoint
CREATE TYPE "public"."payment_status" AS ENUM('pendente', 'processando', 'aprovado', 'recusado', 'reembolsado');--> statement-breakpoint
CREATE TYPE "public"."recurring_payment_status" AS ENUM('ativo', 'suspenso', 'cancelado');--> statement-breakpoint
CREATE TYPE "public"."conversation_status" AS ENUM('aberta', 'convertida', 'abandonada', 'spam');--> statement-breakpoint
CREATE TYPE "public"."message_kind" AS ENUM('texto', 'imagem', 'documento');--> statement-breakpoint
CREATE TYPE "public"."message_sender" AS ENUM('anna', 'paciente', 'staff');--> statement-breakpoint
CREATE TYPE "public"."qualification_interest" AS ENUM('sim', 'nao', 'talvez');--> statement-breakpoint
CREATE TYPE "public"."loyalty_tier" AS ENUM('bronze', 'prata', 'ouro', 'platina');--> statement-breakpoint
CREATE TYPE "public"."loyalty_transaction_kind" AS ENUM('creditados', 'resgatados', 'expirados');--> statement-breakpoint
CREATE TYPE "public"."outbox_status" AS ENUM('queued', 'sending', 'sent', 'delivered', 'read', 'failed');--> statement-breakpoint
CREATE TYPE "public"."webhook_provider" AS ENUM('twilio', 'stripe', 'sendgrid', 'google');--> statement-breakpoint
CREATE TYPE "public"."integration_provider" AS ENUM('openai', 'twilio', 'stripe', 'google', 'sendgrid', 's3');--> statement-breakpoint
CREATE TABLE "clinic_memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "member_role" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinic_memberships_clinic_user_unique" UNIQUE("clinic_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"cnpj" text,
	"address" text,
	"phone" text,
	"logo_url" text,
	"timezone" text DEFAULT 'America/Sao_Paulo' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	CONSTRAINT "sessions_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_email_lowercase" CHECK ("users"."email" = lower("users"."email"))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid,
	"action" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text,
	"ip" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient_addresses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"street" text NOT NULL,
	"number" text,
	"complement" text,
	"district" text,
	"city" text NOT NULL,
	"state" char(2) NOT NULL,
	"postal_code" text,
	"kind" "address_kind" DEFAULT 'residencial' NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_addresses_state_uf" CHECK (state in ('AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO')),
	CONSTRAINT "patient_addresses_postal_code_digits" CHECK ("patient_addresses"."postal_code" is null or "patient_addresses"."postal_code" ~ '^[0-9]{8}$')
);
--> statement-breakpoint
CREATE TABLE "patient_phones" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"number" text NOT NULL,
	"kind" "phone_kind" DEFAULT 'celular' NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_phones_number_e164" CHECK ("patient_phones"."number" ~ '^[+][1-9][0-9]{7,14}$')
);
--> statement-breakpoint
CREATE TABLE "patients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"whatsapp" text,
	"cpf_encrypted" text,
	"cpf_hash" text,
	"birth_date" date,
	"gender" "patient_gender",
	"status" "patient_status" DEFAULT 'ativo' NOT NULL,
	"classification" "patient_classification" DEFAULT 'novo' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source" text,
	"notes" text,
	"procedure_count" integer DEFAULT 0 NOT NULL,
	"favorite_procedure_id" uuid,
	"last_contact_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"search_name" text GENERATED ALWAYS AS (tigre_unaccent(lower(name))) STORED,
	CONSTRAINT "patients_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "patients_phone_e164" CHECK ("patients"."phone" is null or "patients"."phone" ~ '^[+][1-9][0-9]{7,14}$'),
	CONSTRAINT "patients_whatsapp_e164" CHECK ("patients"."whatsapp" is null or "patients"."whatsapp" ~ '^[+][1-9][0-9]{7,14}$'),
	CONSTRAINT "patients_email_lowercase" CHECK ("patients"."email" is null or "patients"."email" = lower("patients"."email")),
	CONSTRAINT "patients_cpf_pair" CHECK (("patients"."cpf_encrypted" is null) = ("patients"."cpf_hash" is null)),
	CONSTRAINT "patients_procedure_count_nonnegative" CHECK ("patients"."procedure_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "procedure_prices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"procedure_id" uuid NOT NULL,
	"price_cents" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedure_prices_price_nonnegative" CHECK ("procedure_prices"."price_cents" >= 0),
	CONSTRAINT "procedure_prices_valid_range" CHECK ("procedure_prices"."valid_to" is null or "procedure_prices"."valid_to" >= "procedure_prices"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"duration_minutes" integer NOT NULL,
	"default_price_cents" integer NOT NULL,
	"cost_cents" integer,
	"category" "procedure_category" NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"image_url" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "procedures_clinic_name_unique" UNIQUE("clinic_id","name"),
	CONSTRAINT "procedures_duration_positive" CHECK ("procedures"."duration_minutes" > 0),
	CONSTRAINT "procedures_default_price_nonnegative" CHECK ("procedures"."default_price_cents" >= 0),
	CONSTRAINT "procedures_cost_nonnegative" CHECK ("procedures"."cost_cents" is null or "procedures"."cost_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "clinic_holidays" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" text NOT NULL,
	CONSTRAINT "clinic_holidays_clinic_day_unique" UNIQUE("clinic_id","day")
);
--> statement-breakpoint
CREATE TABLE "professional_procedures" (
	"clinic_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"procedure_id" uuid NOT NULL,
	CONSTRAINT "professional_procedures_pk" PRIMARY KEY("professional_id","procedure_id")
);
--> statement-breakpoint
CREATE TABLE "professional_time_blocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"kind" time_block_kind DEFAULT 'outro' NOT NULL,
	"reason" text,
	"google_event_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "professional_time_blocks_range" CHECK ("professional_time_blocks"."ends_at" > "professional_time_blocks"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "professional_working_hours" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"start_minute" integer NOT NULL,
	"end_minute" integer NOT NULL,
	CONSTRAINT "professional_working_hours_weekday" CHECK ("professional_working_hours"."weekday" between 0 and 6),
	CONSTRAINT "professional_working_hours_range" CHECK ("professional_working_hours"."start_minute" >= 0 and "professional_working_hours"."end_minute" <= 1440 and "professional_working_hours"."start_minute" < "professional_working_hours"."end_minute")
);
--> statement-breakpoint
CREATE TABLE "professionals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid,
	"name" text NOT NULL,
	"email" text,
	"phone" text,
	"specialty" text,
	"commission_bps" integer DEFAULT 0 NOT NULL,
	"color" text DEFAULT '#6366f1' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "professionals_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "professionals_commission_range" CHECK ("professionals"."commission_bps" between 0 and 10000),
	CONSTRAINT "professionals_color_hex" CHECK ("professionals"."color" ~ '^#[0-9a-fA-F]{6}$'),
	CONSTRAINT "professionals_phone_e164" CHECK ("professionals"."phone" is null or "professionals"."phone" ~ '^[+][1-9][0-9]{7,14}$')
);
--> statement-breakpoint
CREATE TABLE "appointment_confirmations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"kind" "appointment_message_kind" NOT NULL,
	"channel" "message_channel" NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"read" boolean DEFAULT false NOT NULL,
	"read_at" timestamp with time zone,
	"response" "appointment_response",
	"responded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointment_confirmations_read_at" CHECK ("appointment_confirmations"."read_at" is null or "appointment_confirmations"."read")
);
--> statement-breakpoint
CREATE TABLE "appointments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"procedure_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"duration_minutes" integer NOT NULL,
	"ends_at" timestamp with time zone GENERATED ALWAYS AS (tigre_add_minutes(starts_at, duration_minutes)) STORED NOT NULL,
	"status" "appointment_status" DEFAULT 'agendado' NOT NULL,
	"price_cents" integer NOT NULL,
	"payment_status" "appointment_payment_status" DEFAULT 'pendente' NOT NULL,
	"source" "appointment_source" DEFAULT 'painel' NOT NULL,
	"notes" text,
	"cancel_reason" text,
	"confirmed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"google_event_id" text,
	"reminder_24h_sent" boolean DEFAULT false NOT NULL,
	"reminder_2h_sent" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appointments_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "appointments_duration_positive" CHECK ("appointments"."duration_minutes" > 0),
	CONSTRAINT "appointments_price_nonnegative" CHECK ("appointments"."price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid,
	"patient_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"method" "payment_method" NOT NULL,
	"status" "payment_status" DEFAULT 'pendente' NOT NULL,
	"stripe_payment_id" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"refunded_at" timestamp with time zone,
	CONSTRAINT "payments_amount_positive" CHECK ("payments"."amount_cents" > 0)
);
--> statement-breakpoint
CREATE TABLE "recurring_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"amount_cents" integer NOT NULL,
	"day_of_month" integer NOT NULL,
	"status" "recurring_payment_status" DEFAULT 'ativo' NOT NULL,
	"next_date" date,
	"stripe_subscription_id" text,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recurring_payments_amount_positive" CHECK ("recurring_payments"."amount_cents" > 0),
	CONSTRAINT "recurring_payments_day_of_month" CHECK ("recurring_payments"."day_of_month" between 1 and 28)
);
--> statement-breakpoint
CREATE TABLE "conversation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"sender" "message_sender" NOT NULL,
	"body" text NOT NULL,
	"kind" "message_kind" DEFAULT 'texto' NOT NULL,
	"media_url" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read" boolean DEFAULT false NOT NULL,
	"read_at" timestamp with time zone,
	"sentiment_score" numeric(3, 2),
	"provider_message_id" text,
	CONSTRAINT "conversation_messages_sentiment_range" CHECK ("conversation_messages"."sentiment_score" is null or "conversation_messages"."sentiment_score" between -1 and 1)
);
--> statement-breakpoint
CREATE TABLE "conversation_qualifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"score" integer,
	"interested" "qualification_interest",
	"procedure_interest" text,
	"procedure_id" uuid,
	"preferred_date" date,
	"preferred_time" text,
	"confirmed_phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_qualifications_conversation_unique" UNIQUE("conversation_id"),
	CONSTRAINT "conversation_qualifications_score_range" CHECK ("conversation_qualifications"."score" is null or "conversation_qualifications"."score" between 0 and 100),
	CONSTRAINT "conversation_qualifications_phone_e164" CHECK ("conversation_qualifications"."confirmed_phone" is null or "conversation_qualifications"."confirmed_phone" ~ '^[+][1-9][0-9]{7,14}$')
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_whatsapp" text NOT NULL,
	"patient_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "conversation_status" DEFAULT 'aberta' NOT NULL,
	"converted_appointment_id" uuid,
	"closed_at" timestamp with time zone,
	"workflow_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "conversations_whatsapp_e164" CHECK ("conversations"."patient_whatsapp" ~ '^[+][1-9][0-9]{7,14}$'),
	CONSTRAINT "conversations_converted_has_appointment" CHECK ("conversations"."status" <> 'convertida' or "conversations"."converted_appointment_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "nps_surveys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"score" integer,
	"comment" text,
	"sentiment_score" numeric(3, 2),
	"sent_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"answered" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "nps_surveys_appointment_unique" UNIQUE("appointment_id"),
	CONSTRAINT "nps_surveys_score_range" CHECK ("nps_surveys"."score" is null or "nps_surveys"."score" between 0 and 10),
	CONSTRAINT "nps_surveys_answered_has_score" CHECK (not "nps_surveys"."answered" or "nps_surveys"."score" is not null),
	CONSTRAINT "nps_surveys_sentiment_range" CHECK ("nps_surveys"."sentiment_score" is null or "nps_surveys"."sentiment_score" between -1 and 1)
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"professional_id" uuid NOT NULL,
	"rating" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_appointment_unique" UNIQUE("appointment_id"),
	CONSTRAINT "reviews_rating_range" CHECK ("reviews"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "loyalty_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"balance" integer DEFAULT 0 NOT NULL,
	"lifetime_points" integer DEFAULT 0 NOT NULL,
	"tier" "loyalty_tier" DEFAULT 'bronze' NOT NULL,
	"next_tier_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_accounts_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "loyalty_accounts_patient_unique" UNIQUE("clinic_id","patient_id"),
	CONSTRAINT "loyalty_accounts_balance_nonnegative" CHECK ("loyalty_accounts"."balance" >= 0),
	CONSTRAINT "loyalty_accounts_balance_within_lifetime" CHECK ("loyalty_accounts"."lifetime_points" >= "loyalty_accounts"."balance")
);
--> statement-breakpoint
CREATE TABLE "loyalty_transactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"kind" "loyalty_transaction_kind" NOT NULL,
	"points" integer NOT NULL,
	"reason" text,
	"appointment_id" uuid,
	"reward_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_transactions_points_positive" CHECK ("loyalty_transactions"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "rewards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"points_required" integer NOT NULL,
	"discount_cents" integer,
	"discount_percent" numeric(5, 2),
	"validity_days" integer,
	"max_uses" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_clinic_id_id_unique" UNIQUE("clinic_id","id"),
	CONSTRAINT "rewards_points_positive" CHECK ("rewards"."points_required" > 0),
	CONSTRAINT "rewards_one_discount" CHECK (("rewards"."discount_cents" is null) <> ("rewards"."discount_percent" is null)),
	CONSTRAINT "rewards_discount_cents_positive" CHECK ("rewards"."discount_cents" is null or "rewards"."discount_cents" > 0),
	CONSTRAINT "rewards_discount_percent_range" CHECK ("rewards"."discount_percent" is null or ("rewards"."discount_percent" > 0 and "rewards"."discount_percent" <= 100)),
	CONSTRAINT "rewards_validity_positive" CHECK ("rewards"."validity_days" is null or "rewards"."validity_days" > 0),
	CONSTRAINT "rewards_max_uses_positive" CHECK ("rewards"."max_uses" is null or "rewards"."max_uses" > 0)
);
--> statement-breakpoint
CREATE TABLE "analytics_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"description" text,
	"patient_id" uuid,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "daily_metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"day" date NOT NULL,
	"revenue_cents" integer DEFAULT 0 NOT NULL,
	"appointments" integer DEFAULT 0 NOT NULL,
	"no_shows" integer DEFAULT 0 NOT NULL,
	"conversions" integer DEFAULT 0 NOT NULL,
	"new_patients" integer DEFAULT 0 NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"average_ticket_cents" integer DEFAULT 0 NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_metrics_clinic_day_unique" UNIQUE("clinic_id","day"),
	CONSTRAINT "daily_metrics_nonnegative" CHECK ("daily_metrics"."revenue_cents" >= 0 and "daily_metrics"."appointments" >= 0 and "daily_metrics"."no_shows" >= 0 and "daily_metrics"."conversions" >= 0 and "daily_metrics"."new_patients" >= 0 and "daily_metrics"."completed" >= 0 and "daily_metrics"."average_ticket_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "consents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"channel" "message_channel" NOT NULL,
	"granted" boolean NOT NULL,
	"source" text NOT NULL,
	"granted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_patient_channel_unique" UNIQUE("clinic_id","patient_id","channel")
);
--> statement-breakpoint
CREATE TABLE "message_outbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"channel" "message_channel" NOT NULL,
	"to" text NOT NULL,
	"subject" text,
	"body" text NOT NULL,
	"template" text,
	"template_data" jsonb,
	"status" "outbox_status" DEFAULT 'queued' NOT NULL,
	"idempotency_key" text NOT NULL,
	"provider_message_id" text,
	"patient_id" uuid,
	"appointment_id" uuid,
	"error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	CONSTRAINT "message_outbox_idempotency_unique" UNIQUE("clinic_id","idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" "webhook_provider" NOT NULL,
	"provider_event_id" text NOT NULL,
	"clinic_id" uuid,
	"payload" jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"error" text,
	CONSTRAINT "webhook_deliveries_provider_event_unique" UNIQUE("provider","provider_event_id")
);
--> statement-breakpoint
CREATE TABLE "provider_credentials" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"clinic_id" uuid NOT NULL,
	"provider" "integration_provider" NOT NULL,
	"encrypted_secret" text NOT NULL,
	"config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "provider_credentials_clinic_provider_unique" UNIQUE("clinic_id","provider")
);
--> statement-breakpoint
ALTER TABLE "clinic_memberships" ADD CONSTRAINT "clinic_memberships_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_memberships" ADD CONSTRAINT "clinic_memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_addresses" ADD CONSTRAINT "patient_addresses_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_addresses" ADD CONSTRAINT "patient_addresses_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_phones" ADD CONSTRAINT "patient_phones_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_phones" ADD CONSTRAINT "patient_phones_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_favorite_procedure_fk" FOREIGN KEY ("clinic_id","favorite_procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_prices" ADD CONSTRAINT "procedure_prices_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_prices" ADD CONSTRAINT "procedure_prices_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedures" ADD CONSTRAINT "procedures_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinic_holidays" ADD CONSTRAINT "clinic_holidays_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_procedures" ADD CONSTRAINT "professional_procedures_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_procedures" ADD CONSTRAINT "professional_procedures_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_procedures" ADD CONSTRAINT "professional_procedures_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_time_blocks" ADD CONSTRAINT "professional_time_blocks_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_time_blocks" ADD CONSTRAINT "professional_time_blocks_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_working_hours" ADD CONSTRAINT "professional_working_hours_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professional_working_hours" ADD CONSTRAINT "professional_working_hours_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professionals" ADD CONSTRAINT "professionals_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "professionals" ADD CONSTRAINT "professionals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_confirmations" ADD CONSTRAINT "appointment_confirmations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointment_confirmations" ADD CONSTRAINT "appointment_confirmations_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appointments" ADD CONSTRAINT "appointments_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_payments" ADD CONSTRAINT "recurring_payments_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recurring_payments" ADD CONSTRAINT "recurring_payments_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_conversation_fk" FOREIGN KEY ("clinic_id","conversation_id") REFERENCES "public"."conversations"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD CONSTRAINT "conversation_qualifications_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD CONSTRAINT "conversation_qualifications_conversation_fk" FOREIGN KEY ("clinic_id","conversation_id") REFERENCES "public"."conversations"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_qualifications" ADD CONSTRAINT "conversation_qualifications_procedure_fk" FOREIGN KEY ("clinic_id","procedure_id") REFERENCES "public"."procedures"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_appointment_fk" FOREIGN KEY ("clinic_id","converted_appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "nps_surveys" ADD CONSTRAINT "nps_surveys_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_professional_fk" FOREIGN KEY ("clinic_id","professional_id") REFERENCES "public"."professionals"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_accounts" ADD CONSTRAINT "loyalty_accounts_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_accounts" ADD CONSTRAINT "loyalty_accounts_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_account_fk" FOREIGN KEY ("clinic_id","account_id") REFERENCES "public"."loyalty_accounts"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "loyalty_transactions" ADD CONSTRAINT "loyalty_transactions_reward_fk" FOREIGN KEY ("clinic_id","reward_id") REFERENCES "public"."rewards"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rewards" ADD CONSTRAINT "rewards_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_events" ADD CONSTRAINT "analytics_events_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analytics_events" ADD CONSTRAINT "analytics_events_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "daily_metrics" ADD CONSTRAINT "daily_metrics_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_outbox" ADD CONSTRAINT "message_outbox_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_outbox" ADD CONSTRAINT "message_outbox_patient_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patients"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_outbox" ADD CONSTRAINT "message_outbox_appointment_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointments"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_credentials" ADD CONSTRAINT "provider_credentials_clinic_id_clinics_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinics"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "clinic_memberships_user_idx" ON "clinic_memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "audit_log_clinic_created_idx" ON "audit_log" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_addresses_one_primary" ON "patient_addresses" USING btree ("patient_id") WHERE "patient_addresses"."is_primary";--> statement-breakpoint
CREATE INDEX "patient_addresses_patient_idx" ON "patient_addresses" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_phones_one_primary" ON "patient_phones" USING btree ("patient_id") WHERE "patient_phones"."is_primary";--> statement-breakpoint
CREATE INDEX "patient_phones_patient_idx" ON "patient_phones" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "patient_phones_clinic_number_idx" ON "patient_phones" USING btree ("clinic_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "patients_clinic_cpf_hash_unique" ON "patients" USING btree ("clinic_id","cpf_hash") WHERE "patients"."deleted_at" is null and "patients"."cpf_hash" is not null;--> statement-breakpoint
CREATE INDEX "patients_clinic_whatsapp_idx" ON "patients" USING btree ("clinic_id","whatsapp");--> statement-breakpoint
CREATE INDEX "patients_clinic_created_idx" ON "patients" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "patients_search_name_trgm_idx" ON "patients" USING gin ("search_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "procedure_prices_procedure_idx" ON "procedure_prices" USING btree ("procedure_id","valid_from");--> statement-breakpoint
CREATE INDEX "professional_procedures_procedure_idx" ON "professional_procedures" USING btree ("procedure_id");--> statement-breakpoint
CREATE INDEX "professional_time_blocks_professional_idx" ON "professional_time_blocks" USING btree ("professional_id","starts_at");--> statement-breakpoint
CREATE INDEX "professional_working_hours_professional_idx" ON "professional_working_hours" USING btree ("professional_id","weekday");--> statement-breakpoint
CREATE INDEX "appointment_confirmations_appointment_idx" ON "appointment_confirmations" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "appointments_clinic_starts_idx" ON "appointments" USING btree ("clinic_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_professional_starts_idx" ON "appointments" USING btree ("professional_id","starts_at");--> statement-breakpoint
CREATE INDEX "appointments_patient_starts_idx" ON "appointments" USING btree ("patient_id","starts_at");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_stripe_payment_id_unique" ON "payments" USING btree ("stripe_payment_id") WHERE "payments"."stripe_payment_id" is not null;--> statement-breakpoint
CREATE INDEX "payments_clinic_created_idx" ON "payments" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "payments_appointment_idx" ON "payments" USING btree ("appointment_id");--> statement-breakpoint
CREATE INDEX "payments_patient_idx" ON "payments" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "recurring_payments_patient_idx" ON "recurring_payments" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "conversation_messages_conversation_sent_idx" ON "conversation_messages" USING btree ("conversation_id","sent_at");--> statement-breakpoint
CREATE INDEX "conversation_messages_provider_id_idx" ON "conversation_messages" USING btree ("provider_message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_one_open_per_number" ON "conversations" USING btree ("clinic_id","patient_whatsapp") WHERE "conversations"."status" = 'aberta';--> statement-breakpoint
CREATE INDEX "conversations_clinic_last_message_idx" ON "conversations" USING btree ("clinic_id","last_message_at");--> statement-breakpoint
CREATE INDEX "conversations_patient_idx" ON "conversations" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "nps_surveys_clinic_answered_idx" ON "nps_surveys" USING btree ("clinic_id","answered_at");--> statement-breakpoint
CREATE INDEX "nps_surveys_patient_idx" ON "nps_surveys" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "reviews_professional_idx" ON "reviews" USING btree ("professional_id");--> statement-breakpoint
CREATE INDEX "loyalty_transactions_account_idx" ON "loyalty_transactions" USING btree ("account_id","created_at");--> statement-breakpoint
CREATE INDEX "analytics_events_clinic_kind_occurred_idx" ON "analytics_events" USING btree ("clinic_id","kind","occurred_at");--> statement-breakpoint
CREATE INDEX "analytics_events_patient_idx" ON "analytics_events" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "message_outbox_clinic_created_idx" ON "message_outbox" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "message_outbox_provider_message_idx" ON "message_outbox" USING btree ("provider_message_id");--> statement-breakpoint
CREATE INDEX "message_outbox_pending_idx" ON "message_outbox" USING btree ("status") WHERE "message_outbox"."status" in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "provider_credentials_provider_idx" ON "provider_credentials" USING btree ("provider");