// Container healthchecks for the app image (plain Node: the image has neither curl nor wget).
//   node deploy/healthcheck.mjs http <url>
//     healthy when the URL answers 2xx or 3xx within 4 s (the API's /health answers 503 while
//     PostgreSQL or Temporal is unreachable).
//   node deploy/healthcheck.mjs worker <task-queue>...
//     healthy when this container's worker (identity `pid@hostname`, the SDK's default) is
//     polling every named task queue, as Temporal reports it. A hung worker drops off the poller
//     list within minutes and the container turns unhealthy.
// Exit 0 = healthy, 1 = unhealthy (what Docker expects).
import fs from 'node:fs';
import os from 'node:os';

const TIMEOUT_MS = 4000;

async function checkHttp(url) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status >= 400) throw new Error(`${url} answered ${res.status}`);
}

/** PEM given inline or as a file path. */
function pem(value) {
  return Buffer.from(value.includes('-----BEGIN') ? value : fs.readFileSync(value, 'utf8'));
}

async function checkWorker(taskQueues) {
  if (taskQueues.length === 0) throw new Error('name at least one task queue');
  const { Connection } = await import('@temporalio/client');
  const env = process.env;
  const address = env.TEMPORAL_ADDRESS || '127.0.0.1:7233';
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  const clientCert = env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY
    ? { crt: pem(env.TEMPORAL_TLS_CERT), key: pem(env.TEMPORAL_TLS_KEY) }
    : undefined;
  const useTls = env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_API_KEY) || Boolean(clientCert);
  const connection = await Connection.connect({
    address,
    tls: useTls ? (clientCert ? { clientCertPair: clientCert } : true) : false,
    apiKey: env.TEMPORAL_API_KEY || undefined,
    connectTimeout: TIMEOUT_MS,
  });
  try {
    const host = `@${os.hostname()}`;
    for (const name of taskQueues) {
      const res = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name, kind: 1 /* TASK_QUEUE_KIND_NORMAL */ },
        taskQueueType: 1 /* TASK_QUEUE_TYPE_WORKFLOW */,
      });
      const mine = (res.pollers ?? []).filter((p) => (p.identity ?? '').endsWith(host));
      if (mine.length === 0) throw new Error(`no poller from ${host.slice(1)} on task queue ${name}`);
    }
  } finally {
    await connection.close();
  }
}

const [mode, ...args] = process.argv.slice(2);
const checks = {
  http: () => checkHttp(args[0]),
  worker: () => checkWorker(args),
};

const check = checks[mode];
if (!check) {
  console.error('usage: healthcheck.mjs http <url> | worker <task-queue>...');
  process.exit(1);
}
const timer = setTimeout(() => {
  console.error('healthcheck timed out');
  process.exit(1);
}, TIMEOUT_MS * 2);
check().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
