-- Row-level security and grants for clinic_date_overrides.
SELECT tigre_apply_tenancy();
