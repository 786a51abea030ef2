// How every process reaches Temporal: local dev server by default, any cluster (incl. Temporal Cloud) by env.
import fs from 'node:fs';
import type { Env } from './env';

export function temporalAddress(env: Env) {
  return env.TEMPORAL_ADDRESS ?? `127.0.0.1:${env.TEMPORAL_PORT}`;
}

/** Options shared by `Connection.connect` (client) and `NativeConnection.connect` (worker). */
export function temporalConnectionOptions(env: Env) {
  const useTls = env.TEMPORAL_TLS === 'true' || !!env.TEMPORAL_API_KEY || !!env.TEMPORAL_TLS_CERT;
  const clientCertPair =
    env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
      ? { crt: fs.readFileSync(env.TEMPORAL_TLS_CERT), key: fs.readFileSync(env.TEMPORAL_TLS_KEY) }
      : undefined;
  return {
    address: temporalAddress(env),
    tls: useTls ? (clientCertPair ? { clientCertPair } : true) : undefined,
    apiKey: env.TEMPORAL_API_KEY,
  };
}
