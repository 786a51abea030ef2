-- Live updates (issue #13): after every statement that writes appointments or payments, one NOTIFY per
-- clinic touched on the channel tigre_events ({"c": clinic, "e": table, "op": operation, "n": rows}); the
-- API listens (services/events.ts) and pushes them to the clinic's open dashboards as server-sent events.
-- Statement-level with transition tables: a bulk insert of 100k rows is one notification, not 100k.
CREATE OR REPLACE FUNCTION tigre_notify_clinic_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('tigre_events', json_build_object('c', clinic_id, 'e', TG_TABLE_NAME, 'op', TG_OP, 'n', n)::text)
      FROM (SELECT clinic_id, count(*) AS n FROM old_rows GROUP BY clinic_id) t;
  ELSE
    PERFORM pg_notify('tigre_events', json_build_object('c', clinic_id, 'e', TG_TABLE_NAME, 'op', TG_OP, 'n', n)::text)
      FROM (SELECT clinic_id, count(*) AS n FROM new_rows GROUP BY clinic_id) t;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER appointments_events_insert AFTER INSERT ON appointments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tigre_notify_clinic_events();
--> statement-breakpoint
CREATE TRIGGER appointments_events_update AFTER UPDATE ON appointments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tigre_notify_clinic_events();
--> statement-breakpoint
CREATE TRIGGER appointments_events_delete AFTER DELETE ON appointments REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tigre_notify_clinic_events();
--> statement-breakpoint
CREATE TRIGGER payments_events_insert AFTER INSERT ON payments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tigre_notify_clinic_events();
--> statement-breakpoint
CREATE TRIGGER payments_events_update AFTER UPDATE ON payments REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tigre_notify_clinic_events();
