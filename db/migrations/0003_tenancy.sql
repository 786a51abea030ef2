-- Row-level security by clinic. Inside `withClinic` (db/tenancy.ts) a transaction runs as the
-- NOLOGIN role tigre_app with app.clinic_id set; the table owner (migrations, login, webhooks)
-- is not subject to the policies.
--
-- tigre_apply_tenancy() is idempotent: grants tigre_app its privileges and puts the
-- tenant_isolation policy on every public table that has a clinic_id column, except the
-- global ones listed below. A migration that adds tables ends with:  SELECT tigre_apply_tenancy();
CREATE OR REPLACE FUNCTION tigre_apply_tenancy() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t record;
  tenant constant text := $q$nullif(current_setting('app.clinic_id', true), '')::uuid$q$;
BEGIN
  GRANT USAGE ON SCHEMA public TO tigre_app;
  GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tigre_app;
  GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tigre_app;

  FOR t IN
    SELECT c.table_name
    FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public'
      AND c.column_name = 'clinic_id'
      AND tb.table_type = 'BASE TABLE'
      -- Global tables: read before a clinic is known (session by token, webhook by provider id).
      AND c.table_name NOT IN ('sessions', 'webhook_deliveries')
  LOOP
    EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON public.%I', t.table_name);
    EXECUTE format('CREATE POLICY tenant_isolation ON public.%I USING (clinic_id = %s) WITH CHECK (clinic_id = %s)',
                   t.table_name, tenant, tenant);
  END LOOP;

  -- The clinic row itself: visible and editable only as that clinic.
  ALTER TABLE public.clinics ENABLE ROW LEVEL SECURITY;
  DROP POLICY IF EXISTS tenant_isolation ON public.clinics;
  EXECUTE format('CREATE POLICY tenant_isolation ON public.clinics USING (id = %s) WITH CHECK (id = %s)', tenant, tenant);
END
$$;--> statement-breakpoint

-- Tables created later by the same owner get the grants without waiting for the function.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tigre_app;--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO tigre_app;--> statement-breakpoint

SELECT tigre_apply_tenancy();
