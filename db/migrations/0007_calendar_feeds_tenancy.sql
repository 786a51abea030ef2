-- Row-level security and grants for calendar_feeds.
SELECT tigre_apply_tenancy();
