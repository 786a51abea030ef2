CREATE INDEX "patients_clinic_search_name_idx" ON "patients" USING btree ("clinic_id","search_name","id");--> statement-breakpoint
CREATE INDEX "patients_clinic_email_idx" ON "patients" USING btree ("clinic_id","email");--> statement-breakpoint
CREATE INDEX "patients_tags_idx" ON "patients" USING gin ("tags");