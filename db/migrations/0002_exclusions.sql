-- Rules about time ranges that Drizzle cannot express: exclusion constraints (btree_gist).

-- No double booking: a professional's live appointments may not overlap. Cancelled and
-- no-show appointments release the slot.
ALTER TABLE appointments ADD CONSTRAINT appointments_no_double_booking
  EXCLUDE USING gist (professional_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status NOT IN ('cancelado', 'no_show'));--> statement-breakpoint

-- One price per procedure on any given day (validity is inclusive; open-ended when valid_to is null).
ALTER TABLE procedure_prices ADD CONSTRAINT procedure_prices_no_overlap
  EXCLUDE USING gist (procedure_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&);--> statement-breakpoint

-- A professional's working intervals on one weekday may not overlap.
ALTER TABLE professional_working_hours ADD CONSTRAINT professional_working_hours_no_overlap
  EXCLUDE USING gist (professional_id WITH =, weekday WITH =, int4range(start_minute, end_minute) WITH &&);
