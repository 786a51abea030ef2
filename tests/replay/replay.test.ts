// Replay safety: every recorded history in tests/replay/histories/<workflowType>/ (the journeys as the
// workflow tests drove them, every branch they reach) is replayed against today's workflows/index.ts.
// A change that alters the commands a workflow issues for the same history (order, kind, activity
// type: a non-deterministic change that would break the journeys running in production) fails here.
// A deliberately altered copy (altered/alter.ts) shows that it does. No database, no Temporal server.
//
// Re-record (after a deliberate, versioned change, or to cover a new branch):
//   RECORD_HISTORIES=1 npx vitest run tests/journeys tests/calendar/workflow.test.ts
// (tests/support/record-history.ts; a history with the same shape as one already there is skipped:
// delete a folder first to record it afresh). Keep the histories of code that may still be running.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type ReplayResult, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { workflowsPath } from '../../worker/worker';
import { historyFromJSON } from '../support/history-json';
import { HISTORIES_DIR, historyShape } from '../support/record-history';
import { ALTERATIONS, writeAlteredWorkflows } from './altered/alter';

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
// The altered copy fails on purpose, dozens of times: no worker chatter (a failure's details are in the assertion).
Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

interface Fixture { id: string; workflowType: string; json: string }
const fixtures: Fixture[] = fs.readdirSync(HISTORIES_DIR).sort().flatMap((workflowType) =>
  fs.readdirSync(path.join(HISTORIES_DIR, workflowType)).filter((f) => f.endsWith('.json')).sort().map((f) => ({
    id: `${workflowType}/${f}`, workflowType, json: fs.readFileSync(path.join(HISTORIES_DIR, workflowType, f), 'utf8'),
  })));
const ofType = (type: string) => fixtures.filter((f) => f.workflowType === type);

/** Replays the fixtures one after the other on one replay worker; the result of each by fixture id. */
async function replay(bundle: WorkflowBundleWithSourceMap, list: Fixture[]): Promise<Map<string, ReplayResult>> {
  const results = new Map<string, ReplayResult>();
  const histories = list.map((f) => ({ workflowId: f.id, history: historyFromJSON(f.json) }));
  for await (const r of Worker.runReplayHistories({ workflowBundle: bundle, replayName: 'fixtures' }, histories)) {
    results.set(r.workflowId, r);
  }
  expect([...results.keys()].sort()).toEqual(list.map((f) => f.id).sort());
  return results;
}

/** The history's commands as the shape names them: ACTIVITY_TASK_SCHEDULED:<type>, TIMER_STARTED, WORKFLOW_EXECUTION_COMPLETED… */
const commands = (f: Fixture) => historyShape(f.json).split(' ').filter((e) =>
  /^(ACTIVITY_TASK_(SCHEDULED|CANCEL_REQUESTED)|TIMER_(STARTED|CANCELED)|WORKFLOW_EXECUTION_(COMPLETED|FAILED|CONTINUED_AS_NEW)|START_CHILD|SIGNAL_EXTERNAL|MARKER_RECORDED|UPSERT)/.test(e));
const activities = (f: Fixture) => commands(f).filter((c) => c.startsWith('ACTIVITY_TASK_SCHEDULED:')).map((c) => c.split(':')[1]);

describe('recorded histories', () => {
  it('cover the lead and appointment journeys', () => {
    expect(ofType('leadJourney').length).toBeGreaterThanOrEqual(10);
    expect(ofType('appointmentJourney').length).toBeGreaterThanOrEqual(5);
  });
});

describe('replayed against today\'s workflows', () => {
  let results: Map<string, ReplayResult>;
  beforeAll(async () => {
    results = await replay(await bundleWorkflowCode({ workflowsPath, logger: quiet }), fixtures);
  }, 120_000);

  it.each(fixtures.map((f) => f.id))('%s', (id) => {
    expect(results.get(id)?.error?.message).toBeUndefined(); // the message says which event and command disagree
  });
});

describe('replayed against a deliberately altered copy (tests/replay/altered)', () => {
  let results: Map<string, ReplayResult>;
  beforeAll(async () => {
    const alteredPath = writeAlteredWorkflows();
    results = await replay(await bundleWorkflowCode({ workflowsPath: alteredPath, logger: quiet }), fixtures);
  }, 120_000);

  const failures = (list: Fixture[]) => list.filter((f) => results.get(f.id)?.error).map((f) => f.id);

  it(`appointment journey (${ALTERATIONS.appointmentSettingsFirst.why}): a non-determinism error for every history that started otherwise`, () => {
    const list = ofType('appointmentJourney');
    // Unchanged only where the journey's first command already was that read (a visit within the hour: no reminder to wait for).
    const expected = list.filter((f) => commands(f)[0] !== 'ACTIVITY_TASK_SCHEDULED:loadAppointmentJourneySettings').map((f) => f.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(failures(list)).toEqual(expected);
    for (const id of expected) {
      const error = results.get(id)!.error;
      expect(error, id).toBeInstanceOf(DeterminismViolationError);
      expect(error!.message).toMatch(/nondeterminism/i);
    }
  });

  it(`lead journey (${ALTERATIONS.leadSaveBeforeBookedMessage.why}): a non-determinism error for every history that books`, () => {
    const list = ofType('leadJourney');
    const books = (f: Fixture) => activities(f).some((a, i, all) => a === 'bookLeadAppointment' && all[i + 1] === 'sendAnnaMessage');
    const expected = list.filter(books).map((f) => f.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(list.length); // the others do not reach the swapped calls, and still replay
    expect(failures(list)).toEqual(expected);
    for (const id of expected) expect(results.get(id)!.error, id).toBeInstanceOf(DeterminismViolationError);
  });

  it('the workflows it did not alter still replay', () => {
    expect(failures(fixtures.filter((f) => f.workflowType !== 'appointmentJourney' && f.workflowType !== 'leadJourney'))).toEqual([]);
  });
});
