// Types shared by the API's middleware and routes.
import type { EventHub } from '../services/events';
import type { Client } from '@temporalio/client';
import type { Logger } from '../config/logger';
import type { Env } from '../config/env';
import type { Db, Tx } from '../db/client';
import type { MemberRole } from '../db/schema';
import type { ObjectStorage } from '../providers/storage';

export interface ApiDeps {
  env: Env;
  db: Db;
  log: Logger;
  /** Temporal client (lazy connection): journeys are started, signalled and queried through it. */
  temporal: Client;
  /** Pings Temporal with a short deadline; resolves true when reachable. */
  temporalHealthy(): Promise<boolean>;
  /** Instant source, replaceable in tests. */
  now(): Date;
  /** Photo storage; default from the environment (S3 when S3_BUCKET is set, else local files). */
  storage?: ObjectStorage;
  /** Live changes for the dashboards (services/events.ts); default: a hub on this database's notifications. */
  events?: EventHub;
}

export interface Auth {
  sessionId: string;
  userId: string;
  clinicId: string;
  role: MemberRole;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    /** The caller's address (see api/ip.ts). */
    clientIp: string;
    log: Logger;
    auth: Auth;
    /** Runs `fn` as the signed-in clinic (row-level security applies). */
    tenant: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
  };
}
