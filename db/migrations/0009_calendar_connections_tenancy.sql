-- Row-level security and grants for calendar_connections and google_quota (see 0003_tenancy).
SELECT tigre_apply_tenancy();
