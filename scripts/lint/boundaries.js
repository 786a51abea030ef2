// The project's layers as a lint rule: each import is resolved to the file it names and checked
// against what its folder may import (README, "Layout"). A type-only import is allowed where a value
// import is not when the table says `types`; there is no exception list.
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

/**
 * Per layer: which of our layers it may import (value imports), which only as types, and which npm
 * packages it may not import. `contract` = workflows/definitions.ts: task queue, search attributes,
 * workflow types and ids, signals and queries, free of @temporalio/workflow, so both sides share it.
 */
export const LAYERS = {
  domain: { may: ['domain'], types: [] },
  config: { may: ['config', 'domain'], types: [] },
  db: { may: ['db', 'domain', 'config'], types: [] },
  providers: { may: ['domain', 'config'], samePart: true, types: [], noDatabase: true },
  workflows: { may: ['workflows', 'domain'], types: ['activities'], npm: /^@temporalio\/(workflow|common)$/ },
  journeys: { may: ['journeys', 'db', 'domain', 'config', 'contract'], types: ['workflows'] },
  services: { may: ['services', 'journeys', 'db', 'domain', 'providers', 'config', 'contract'], types: ['workflows'], noTemporalClient: true },
  activities: { may: ['activities', 'services', 'journeys', 'db', 'domain', 'providers', 'config', 'contract'], types: ['workflows'], noTemporalClient: true },
  worker: { may: ['worker', 'activities', 'services', 'journeys', 'db', 'domain', 'providers', 'config', 'contract'], types: ['workflows'] },
  api: { may: ['api', 'services', 'journeys', 'db', 'domain', 'providers', 'config', 'contract'], types: ['workflows'], noTemporalClient: true },
  web: { may: ['web'], types: ['api'] },
};

/** The layer of a file (a path relative to the project root), or null for scripts/tests/bench. */
export function layerOf(rel) {
  const norm = rel.split(path.sep).join('/');
  if (norm === 'workflows/definitions.ts') return 'contract';
  const top = norm.split('/')[0];
  return top in LAYERS ? top : null;
}

/** The part of a provider a file belongs to (providers/<part>/…), for "a provider knows only its provider". */
const providerPart = (rel) => rel.split('/').slice(0, 2).join('/');

function check(fromRel, toRel, typeOnly) {
  const from = layerOf(fromRel);
  if (!from || from === 'contract') return null;
  const to = layerOf(toRel);
  if (!to) return `${from}/ may not import ${toRel} (scripts, tests and benchmarks are leaves)`;
  const rules = LAYERS[from];
  if (to === from) {
    if (rules.samePart && providerPart(fromRel) !== providerPart(toRel) && toRel.split('/').length > 2) {
      return `${providerPart(fromRel)} may not import another provider (${toRel})`;
    }
    return null;
  }
  if (rules.may.includes(to)) return null;
  // The contract is part of workflows/ for whoever may import workflows/
  if (to === 'contract' && (rules.may.includes('workflows') || typeOnly)) return null;
  const asTypes = to === 'contract' ? 'workflows' : to;
  if (rules.types.includes(asTypes)) {
    return typeOnly ? null : `${from}/ may import ${toRel} only as types (import type …)`;
  }
  return `${from}/ may not import ${toRel}`;
}

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  if (node.type === 'ImportDeclaration' && node.specifiers.length > 0) {
    return node.specifiers.every((s) => s.importKind === 'type');
  }
  return false;
}

/** The file an import names, relative to the root: x → x.ts, a folder → its index.ts. */
function resolveRel(abs) {
  // As the bundler resolves: x.ts before the folder x/ (workflows/lead.ts beside workflows/lead/).
  let target = abs;
  if (/\.(ts|js|mjs|svelte|json)$/.test(abs)) target = abs;
  else if (fs.existsSync(`${abs}.ts`)) target = `${abs}.ts`;
  else if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) target = path.join(abs, 'index.ts');
  else target = `${abs}.ts`;
  return path.relative(ROOT, target).split(path.sep).join('/');
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export const boundaries = {
  meta: { type: 'problem', schema: [], messages: { layer: '{{msg}}' } },
  create(context) {
    const file = context.filename;
    const fromRel = path.relative(ROOT, file).split(path.sep).join('/');
    const from = layerOf(fromRel);
    // Tests beside the code are tests: they may reach anything.
    if (!from || from === 'contract' || /\.test(-helpers)?\.ts$/.test(fromRel)) return {};
    const rules = LAYERS[from];
    function visit(node) {
      if (!node.source || typeof node.source.value !== 'string') return;
      const spec = node.source.value;
      const typeOnly = isTypeOnly(node);
      let msg = null;
      if (spec.startsWith('.')) {
        msg = check(fromRel, resolveRel(path.resolve(path.dirname(file), spec)), typeOnly);
      } else if (spec.startsWith('$api/')) {
        msg = check(fromRel, resolveRel(path.join(ROOT, 'api', spec.slice(5))), typeOnly);
      } else if (from === 'workflows') {
        if (builtins.has(spec)) msg = `workflows/ must stay deterministic: no Node built-in (${spec})`;
        else if (!typeOnly && spec.startsWith('@temporalio/') && !rules.npm.test(spec)) msg = `workflows/ may import only @temporalio/workflow and @temporalio/common (${spec})`;
      } else if (rules.noDatabase && /^(drizzle-orm|postgres|pg)(\/|$)/.test(spec)) {
        msg = `${from}/ knows no table of ours: no database driver (${spec}); a service keeps the rows`;
      } else if (rules.noTemporalClient && !typeOnly && spec === '@temporalio/client') {
        msg = `${from}/ talks to Temporal only through the journey client (journeys/), not @temporalio/client`;
      } else if (from === 'domain' && builtins.has(spec) && spec !== 'node:crypto') {
        msg = `domain/ is pure: no Node built-in but node:crypto's hashing (${spec})`;
      }
      if (msg) context.report({ node: node.source, messageId: 'layer', data: { msg } });
    }
    return {
      ImportDeclaration: visit,
      ExportNamedDeclaration: visit,
      ExportAllDeclaration: visit,
      ImportExpression(node) {
        if (node.source.type === 'Literal') visit({ source: node.source, importKind: 'value' });
      },
    };
  },
};

export default { rules: { boundaries } };
