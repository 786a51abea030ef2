// The layer rule (scripts/lint/boundaries.js) refuses what the README's Layout table forbids, and the
// tree as it is passes it: `npm test` runs the same lint before vitest.
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result.messages.map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['domain/x.ts', "import { db } from '../db/client';", 'domain/ may not import db/client.ts'],
    ['domain/anna/x.ts', "import { send } from '../../providers/messaging/local';", 'domain/ may not import providers/messaging/local.ts'],
    ['domain/x.ts', "import fs from 'node:fs';", 'domain/ is pure'],
    ['workflows/x.ts', "import { createActivities } from '../activities';", 'workflows/ may import activities/index.ts only as types'],
    ['workflows/x.ts', "import fs from 'node:fs';", 'workflows/ must stay deterministic'],
    ['workflows/x.ts', "import { Client } from '@temporalio/client';", 'workflows/ may import only @temporalio/workflow'],
    ['providers/ai/x.ts', "import type { Db } from '../../db/client';", 'providers/ may not import db/client.ts'],
    ['providers/ai/x.ts', "import { createTwilioAdapter } from '../messaging/twilio';", 'providers/ai may not import another provider'],
    ['providers/calendar/x.ts', "import { sql } from 'drizzle-orm';", 'no database driver'],
    ['api/routes/x.ts', "import { createLeadActivities } from '../../activities/lead';", 'api/ may not import activities/lead.ts'],
    ['api/routes/x.ts', "import { Client } from '@temporalio/client';", 'only through the journey client'],
    ['api/routes/x.ts', "import { leadJourney } from '../../workflows/lead';", 'api/ may import workflows/lead.ts only as types'],
    ['activities/x.ts', "import { router } from '../api/openapi';", 'activities/ may not import api/openapi.ts'],
    ['worker/x.ts', "import { createApp } from '../api/app';", 'worker/ may not import api/app.ts'],
    ['services/x.ts', "import { ApiDeps } from '../api/context';", 'services/ may not import api/context.ts'],
    ['journeys/x.ts', "import { bookAppointment } from '../services/agenda/booking';", 'journeys/ may not import services/agenda/booking.ts'],
    ['web/src/lib/x.ts', "import { createApp } from '$api/app';", 'web/ may import api/app.ts only as types'],
  ])('%s: %s is refused', async (file, code, message) => {
    const found = await problems(file, code);
    expect(found.join('\n')).toContain(message);
  });

  it.each([
    ['domain/anna/x.ts', "import { normalizeText } from '../text';"],
    ['workflows/x.ts', "import type { LeadActivities } from '../activities/lead';\nimport { proxyActivities } from '@temporalio/workflow';"],
    ['api/routes/x.ts', "import type { Client } from '@temporalio/client';\nimport { appointmentWorkflowId } from '../../workflows/definitions';"],
    ['services/x.ts', "import { deliverLeadMessage } from '../journeys/lead';"],
    ['web/src/lib/x.ts', "import type { AppType } from '$api/app';"],
    ['tests/x.test.ts', "import { createApp } from '../api/app';\nimport { createLeadActivities } from '../activities/lead';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });

  it('no Svelte component imports the API or the server layers (ESLint does not parse .svelte)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.svelte')) {
          for (const m of fs.readFileSync(full, 'utf8').matchAll(/^\s*import\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
            const spec = m[2];
            const server = spec.startsWith('$api') || /^(\.\.\/)+(api|services|journeys|activities|db|providers|worker|workflows)\//.test(spec);
            if (server && !m[1]) offenders.push(`${path.relative(root, full)}: ${spec}`);
          }
        }
      }
    };
    walk(path.join(root, 'web/src'));
    expect(offenders).toEqual([]);
  });

  it('the whole tree passes', async () => {
    const results = await eslint.lintFiles(['.']);
    const errors = results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${path.relative(root, r.filePath)}: ${m.message}`));
    expect(errors).toEqual([]);
  }, 120_000);
});
