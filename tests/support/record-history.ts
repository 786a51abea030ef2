// The recording switch for the replay fixtures (tests/replay/replay.test.ts). With RECORD_HISTORIES=1,
// a workflow test environment built with `recorder.client` notes every workflow its client starts
// (start or signalWithStart) under the running test's name, and `recorder.save(env.client)` at
// teardown writes each noted run's history (and the runs it continued as new into) to
// tests/replay/histories/<workflowType>/<test file>--<test name>[-n][.runN].json. A history whose
// shape (event types, activity types, signal names) is already in that folder is not written again.
// Without the variable it does nothing: no interceptor, no file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Client, WorkflowClientInterceptor } from '@temporalio/client';
import type { ClientOptionsForTestEnv } from '@temporalio/testing';
import { historyToJSON } from './history-json';

export const HISTORIES_DIR = fileURLToPath(new URL('../replay/histories/', import.meta.url));
/** The workflows of workflows/index.ts: test stand-ins (npsSurvey, recorders) are not recorded. */
const RECORDED_TYPES = new Set(['leadJourney', 'appointmentJourney', 'dailyMetricsRollup', 'calendarSync', 'npsSurvey', 'upsellOffer', 'reactivationJourney']);

export interface HistoryRecorder {
  /** Client options for TestWorkflowEnvironment.createTimeSkipping (undefined when not recording). */
  client: ClientOptionsForTestEnv | undefined;
  /** Writes the noted workflows' histories (nothing when not recording). */
  save(client: Client): Promise<void>;
}

interface Started { workflowId: string; runId: string; workflowType: string; test: string }

export function historyRecorder(): HistoryRecorder {
  if (process.env.RECORD_HISTORIES !== '1') return { client: undefined, async save() {} };
  const started: Started[] = [];
  const note = (workflowType: string, workflowId: string, runId: string) => {
    if (!RECORDED_TYPES.has(workflowType) || started.some((s) => s.runId === runId)) return;
    const { testPath, currentTestName } = expect.getState();
    const test = `${slug(path.basename(testPath ?? 'unknown').replace(/\.test\.ts$/, ''))}--${slug(currentTestName ?? 'setup')}`;
    started.push({ workflowId, runId, workflowType, test });
  };
  const interceptor: WorkflowClientInterceptor = {
    async startWithDetails(input, next) {
      const out = await next(input);
      note(input.workflowType, input.options.workflowId, out.runId);
      return out;
    },
    async signalWithStart(input, next) {
      const runId = await next(input);
      note(input.workflowType, input.options.workflowId, runId);
      return runId;
    },
  };
  return {
    client: { interceptors: { workflow: [interceptor] } },
    async save(client) {
      const perTest = new Map<string, number>();
      const written = new Set<string>();
      for (const s of started) {
        if (written.has(s.runId)) continue; // a signalWithStart that reached a run continued from a noted one
        const n = (perTest.get(`${s.workflowType}/${s.test}`) ?? 0) + 1;
        perTest.set(`${s.workflowType}/${s.test}`, n);
        const base = s.test + (n > 1 ? `-${n}` : '');
        // Follow the continue-as-new chain: each run is its own history.
        let runId: string | undefined = s.runId;
        for (let run = 1; runId && run <= 20; run++) {
          written.add(runId);
          const history = await client.workflow.getHandle(s.workflowId, runId).fetchHistory();
          write(s.workflowType, run > 1 ? `${base}.run${run}` : base, historyToJSON(history));
          const last = history.events?.at(-1);
          runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        }
      }
    },
  };
}

const slug = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  .replace(/[^a-z0-9]+/g, '-').slice(0, 90).replace(/^-|-$/g, '');

interface JsonEvent {
  eventType?: string;
  activityTaskScheduledEventAttributes?: { activityType?: { name?: string } };
  workflowExecutionSignaledEventAttributes?: { signalName?: string };
}

/** What replay checks, roughly: the events in order, with the activity and signal names. */
export function historyShape(json: string): string {
  const { events } = JSON.parse(json) as { events: JsonEvent[] };
  return events.map((e) => [
    (e.eventType ?? '').replace(/^EVENT_TYPE_/, ''),
    e.activityTaskScheduledEventAttributes?.activityType?.name,
    e.workflowExecutionSignaledEventAttributes?.signalName,
  ].filter(Boolean).join(':')).join(' ');
}

function write(workflowType: string, name: string, json: string) {
  const dir = path.join(HISTORIES_DIR, workflowType);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  const shape = historyShape(json);
  for (const other of fs.readdirSync(dir)) {
    if (other.endsWith('.json') && path.join(dir, other) !== file && historyShape(fs.readFileSync(path.join(dir, other), 'utf8')) === shape) return;
  }
  fs.writeFileSync(file, `${json}\n`);
}
