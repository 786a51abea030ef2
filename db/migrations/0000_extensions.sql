-- Extensions, helper functions and the tenant role that the schema and its policies rely on.
-- Runs before the generated schema so generated columns and indexes can use them.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it safe
-- to use in generated columns and index expressions.
CREATE OR REPLACE FUNCTION tigre_unaccent(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN public.unaccent('public.unaccent'::regdictionary, value);--> statement-breakpoint

-- timestamptz + interval is STABLE in general (days/months depend on the time zone), but adding
-- whole minutes never does: lets appointments.ends_at be a generated column.
CREATE OR REPLACE FUNCTION tigre_add_minutes(start timestamptz, minutes integer) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  RETURN start + make_interval(mins => minutes);--> statement-breakpoint

-- Roles are cluster-wide and many databases (tests) share one server: create once, tolerate races.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tigre_app') THEN
    CREATE ROLE tigre_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;--> statement-breakpoint
-- The migrating (owner) user must be able to SET ROLE tigre_app (db/tenancy.ts). Superusers always can;
-- on PostgreSQL 16+ a membership also needs the SET option.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    IF NOT pg_has_role(current_user, 'tigre_app', 'SET') THEN
      EXECUTE format('GRANT tigre_app TO %I WITH SET TRUE', current_user);
    END IF;
  ELSIF NOT pg_has_role(current_user, 'tigre_app', 'MEMBER') THEN
    EXECUTE format('GRANT tigre_app TO %I', current_user);
  END IF;
END
$$;
