// Every workflow type the product starts (WORKFLOW_TYPES: journeys, schedules, hand-overs) is a workflow
// the worker registers, i.e. a function exported by workflows/index.ts under that name.
import { expect, it } from 'vitest';
import * as workflows from '../../workflows/index';
import { WORKFLOW_TYPES } from '../../workflows/definitions';

it('workflows/index.ts exports every type of WORKFLOW_TYPES', () => {
  const exported = workflows as Record<string, unknown>;
  const missing = Object.values(WORKFLOW_TYPES).filter((type) => typeof exported[type] !== 'function');
  expect(missing).toEqual([]);
});
