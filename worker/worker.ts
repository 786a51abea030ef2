// Builds the one Temporal worker: every workflow of workflows/ and every activity of activities/.
import { createRequire } from 'node:module';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TASK_QUEUE } from '../workflows/definitions';

const require = createRequire(import.meta.url);
export const workflowsPath = require.resolve('../workflows/index.ts');

export async function createWorker(opts: {
  connection: NativeConnection;
  namespace: string;
  deps: ActivityDeps;
  taskQueue?: string;
  /** A prebuilt bundle (tests bundle once per file); otherwise the worker bundles workflows/ itself. */
  workflowBundle?: WorkflowBundleWithSourceMap;
}) {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue ?? TASK_QUEUE,
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath }),
    activities: createActivities(opts.deps),
  });
}
