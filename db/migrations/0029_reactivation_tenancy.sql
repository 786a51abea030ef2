SELECT tigre_apply_tenancy();
