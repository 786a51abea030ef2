// The production-shaped stack (docker-compose.yml + Dockerfile + deploy/) checked without a Docker
// engine: services, ports, env and healthchecks must agree with config/env.ts and the code they run.
// When a `docker-compose` (or `docker compose`) binary is installed, it also validates the file.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { envSchema, loadEnv, secrets } from '../../config/env';
import { startEmbeddedPostgres } from '../../db/embedded';
import { migrateDatabase } from '../../db/migrate';
import { freePort } from '../../scripts/temporal-dev';
import { SEARCH_ATTRIBUTES, TASK_QUEUE } from '../../workflows/definitions';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const exists = (p: string) => fs.existsSync(path.join(root, p));

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Env | string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  profiles?: string[];
  restart?: string;
  volumes?: string[];
}

const composeText = read('docker-compose.yml');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes?: object };
const services = compose.services;
const service = (name: string) => {
  const s = services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

/** What a filled-in .env holds (the values only need to pass config/env.ts). */
const sampleDotEnv: Env = {
  POSTGRES_PASSWORD: 'a1b2c3d4e5f6a7b8',
  TIGRE_DB_PASSWORD: 'b1c2d3e4f5a6b7c8',
  TEMPORAL_DB_PASSWORD: 'c1d2e3f4a5b6c7d8',
  TIGRE_DATA_KEY: 'ab'.repeat(32),
  TIGRE_LINK_SECRET: 'cd'.repeat(16),
};

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
function interpolate(value: string, vars: Env): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (whole, name, op, arg) => {
    if (whole === '$$') return '$';
    const v = vars[name];
    const unset = op?.startsWith(':') ? !v : v === undefined;
    if (op?.endsWith('-')) return unset ? arg : v;
    if (op?.endsWith('?') && unset) throw new Error(`${name}: ${arg}`);
    return v ?? '';
  });
}

function envOf(s: Service, vars: Env = sampleDotEnv): Env {
  const raw = s.environment ?? {};
  const entries = Array.isArray(raw)
    ? raw.map((line) => [line.split('=')[0], line.slice(line.indexOf('=') + 1)] as const)
    : Object.entries(raw).map(([k, v]) => [k, String(v ?? '')] as const);
  return Object.fromEntries(entries.map(([k, v]) => [k, interpolate(v, vars)]));
}

function dependsOn(s: Service): Record<string, string> {
  const d = s.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, 'service_started'])) : Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition]));
}

/** Published ports as [hostIp, hostPort, containerPort]. */
function ports(s: Service): Array<[string, number, number]> {
  return (s.ports ?? []).map((p) => {
    const parts = interpolate(String(p), sampleDotEnv).replace(/\/tcp$/, '').split(':');
    const [ip, host, container] = parts.length === 3 ? parts : ['0.0.0.0', ...parts];
    return [ip, Number(host), Number(container)];
  });
}

const defaults = loadEnv({});
const appServices = ['migrate', 'worker', 'api', 'web', 'seed'];
const oneShots = ['temporal-schema', 'temporal-namespace', 'migrate', 'seed'];
/** adapter-node reads these itself; they are not the app's config keys. */
const adapterNodeEnv = ['PORT', 'HOST', 'ORIGIN', 'BODY_SIZE_LIMIT'];

/** Provider credentials the app runs without (local adapters); compose passes them through when set. */
const OPTIONAL_PROVIDER_VARS = [
  'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_REDIRECT_URL',
  'TWILIO_ACCOUNT_SID',
  'TWILIO_AUTH_TOKEN',
  'TWILIO_WHATSAPP_FROM',
  'TWILIO_SMS_FROM',
  'TWILIO_CONTENT_SIDS',
  'SENDGRID_API_KEY',
  'SENDGRID_FROM',
  'SENDGRID_WEBHOOK_PUBLIC_KEY',
  'PUBLIC_API_URL',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'SLACK_WEBHOOK_URL',
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_MODEL',
  'S3_BUCKET', 'AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'S3_ENDPOINT', 'S3_FORCE_PATH_STYLE',
];

describe('docker-compose.yml', () => {
  it('defines every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'migrate', 'postgres', 'seed', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'web', 'worker'].sort(),
    );
    expect(service('seed').profiles).toEqual(['demo']);
    for (const name of Object.keys(services).filter((n) => n !== 'seed')) expect(services[name].profiles, name).toBeUndefined();
  });

  it('runs every app role from the one image built by the Dockerfile, on files that exist', () => {
    const images = new Set(appServices.map((n) => service(n).image));
    expect(images.size).toBe(1);
    for (const name of appServices) {
      expect(service(name).build, name).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    }
    const tsEntry = (name: string) => {
      const cmd = service(name).command ?? [];
      expect(cmd.slice(0, 3), name).toEqual(['node', '--import', 'tsx']);
      return cmd[3];
    };
    expect(tsEntry('migrate')).toBe('db/migrate.ts');
    expect(tsEntry('worker')).toBe('worker/main.ts');
    expect(tsEntry('api')).toBe('api/main.ts');
    expect(tsEntry('seed')).toBe('scripts/seed.ts');
    for (const name of ['migrate', 'worker', 'api', 'seed']) expect(exists(tsEntry(name)), tsEntry(name)).toBe(true);
    // The web runs the adapter-node output that the image builds from web/ (out: 'build').
    expect(service('web').command).toEqual(['node', 'web/build/index.js']);
    expect(read('web/svelte.config.js')).toMatch(/@sveltejs\/adapter-node[\s\S]*out: path\.join\(webDir, 'build'\)/);
  });

  it('publishes the default ports of config/env.ts; PostgreSQL stays internal', () => {
    expect([defaults.WEB_PORT, defaults.API_PORT, defaults.TEMPORAL_PORT, defaults.TEMPORAL_UI_PORT]).toEqual([3000, 8787, 7233, 8233]);
    expect(ports(service('web'))).toEqual([['0.0.0.0', defaults.WEB_PORT, defaults.WEB_PORT]]);
    expect(ports(service('api'))).toEqual([['0.0.0.0', defaults.API_PORT, defaults.API_PORT]]);
    // No authentication on Temporal's frontend and UI here: loopback only.
    expect(ports(service('temporal'))).toEqual([['127.0.0.1', defaults.TEMPORAL_PORT, 7233]]);
    expect(ports(service('temporal-ui'))).toEqual([['127.0.0.1', defaults.TEMPORAL_UI_PORT, 8080]]);
    for (const name of ['postgres', 'worker', 'migrate', 'seed', 'temporal-schema', 'temporal-namespace']) {
      expect(service(name).ports, name).toBeUndefined();
    }
  });

  it('wires the services to each other with the addresses and ports they listen on', () => {
    const api = envOf(service('api'));
    const web = envOf(service('web'));
    expect(Number(api.API_PORT)).toBe(defaults.API_PORT);
    expect(api.API_HOST).toBe('0.0.0.0');
    expect(Number(web.PORT)).toBe(defaults.WEB_PORT);
    expect(Number(web.WEB_PORT)).toBe(defaults.WEB_PORT);
    expect(web.HOST).toBe('0.0.0.0');
    expect(web.API_URL).toBe(`http://api:${defaults.API_PORT}`);
    expect(web.ORIGIN).toBe(web.WEB_URL);
    expect(new URL(web.TEMPORAL_UI_URL).port).toBe(String(defaults.TEMPORAL_UI_PORT));
    expect(new URL(web.WEB_URL).port).toBe(String(defaults.WEB_PORT));

    for (const name of ['migrate', 'worker', 'api', 'seed']) {
      const url = new URL(envOf(service(name)).DATABASE_URL);
      expect([url.protocol, url.hostname, url.port, url.pathname, url.username], name).toEqual(['postgres:', 'postgres', '5432', '/tigre', 'tigre']);
      expect(decodeURIComponent(url.password)).toBe(sampleDotEnv.TIGRE_DB_PASSWORD);
    }
    for (const name of ['worker', 'api', 'seed']) expect(envOf(service(name)).TEMPORAL_ADDRESS, name).toBe('temporal:7233');
    expect(envOf(service('temporal-ui')).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(envOf(service('temporal-namespace')).TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(envOf(service('temporal-ui')).TEMPORAL_CORS_ORIGINS).toBe(web.WEB_URL);

    // Temporal and its schema tool use the `temporal` role on the same server, in their own databases.
    const temporal = envOf(service('temporal'));
    const schema = envOf(service('temporal-schema'));
    expect([temporal.DB, temporal.POSTGRES_SEEDS, temporal.DB_PORT, temporal.POSTGRES_USER]).toEqual(['postgres12', 'postgres', '5432', 'temporal']);
    expect([schema.SQL_PLUGIN, schema.SQL_HOST, schema.SQL_PORT, schema.SQL_USER]).toEqual(['postgres12', 'postgres', '5432', 'temporal']);
    expect(temporal.POSTGRES_PWD).toBe(sampleDotEnv.TEMPORAL_DB_PASSWORD);
    expect(schema.SQL_PASSWORD).toBe(sampleDotEnv.TEMPORAL_DB_PASSWORD);
    expect([temporal.DBNAME, temporal.VISIBILITY_DBNAME]).toEqual([schema.TEMPORAL_DB, schema.TEMPORAL_VISIBILITY_DB]);
    expect(temporal.DBNAME).not.toBe('tigre');
    const namespaces = new Set([...['worker', 'api', 'seed', 'web', 'temporal-namespace', 'temporal-ui'].map((n) => {
      const e = envOf(service(n));
      return e.TEMPORAL_NAMESPACE ?? e.TEMPORAL_DEFAULT_NAMESPACE;
    })]);
    expect([...namespaces]).toEqual([defaults.TEMPORAL_NAMESPACE]);
  });

  it('gives the app only variables that config/env.ts knows (and adapter-node its own)', () => {
    const known = new Set(Object.keys(envSchema.shape));
    for (const name of appServices) {
      const extra = name === 'web' ? adapterNodeEnv : [];
      const unknown = Object.keys(envOf(service(name))).filter((k) => !known.has(k) && !extra.includes(k));
      expect(unknown, name).toEqual([]);
    }
  });

  it('passes config validation in production, and refuses to start without the secrets', () => {
    for (const name of appServices) {
      const env = envOf(service(name));
      expect(env.NODE_ENV, name).toBe('production');
      const parsed = loadEnv(Object.fromEntries(Object.entries(env).filter(([k]) => k in envSchema.shape)));
      if (['worker', 'api', 'seed'].includes(name)) expect(() => secrets(parsed), name).not.toThrow();
    }
    for (const secret of Object.keys(sampleDotEnv)) {
      const withoutIt = { ...sampleDotEnv, [secret]: '' };
      expect(() => Object.values(services).forEach((s) => envOf(s, withoutIt)), secret).toThrow(new RegExp(secret));
    }
    // Secrets are never written into the file itself.
    for (const [name, s] of Object.entries(services)) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        // Required secrets fail loudly when unset; optional provider credentials default to empty (= not configured).
        if (OPTIONAL_PROVIDER_VARS.includes(k)) expect(String(v), `${name}.${k}`).toMatch(/^\$\{[A-Z0-9_]+:-\}$/);
        else if (/PASSWORD|PWD|SECRET|KEY/.test(k)) expect(String(v), `${name}.${k}`).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
  });

  it('starts in an order without cycles, on dependencies that exist', () => {
    const graph = Object.fromEntries(Object.entries(services).map(([n, s]) => [n, dependsOn(s)]));
    for (const [name, deps] of Object.entries(graph)) {
      for (const [dep, condition] of Object.entries(deps)) {
        expect(services[dep], `${name} -> ${dep}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dep].healthcheck, `${dep} (needed healthy by ${name})`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(oneShots, `${dep} (awaited by ${name})`).toContain(dep);
      }
    }
    const state: Record<string, 'visiting' | 'done'> = {};
    const visit = (n: string, trail: string[]) => {
      if (state[n] === 'done') return;
      if (state[n] === 'visiting') throw new Error(`dependency cycle: ${[...trail, n].join(' -> ')}`);
      state[n] = 'visiting';
      for (const dep of Object.keys(graph[n])) visit(dep, [...trail, n]);
      state[n] = 'done';
    };
    for (const n of Object.keys(graph)) visit(n, []);

    expect(graph.temporal).toEqual({ 'temporal-schema': 'service_completed_successfully' });
    expect(graph['temporal-schema']).toEqual({ postgres: 'service_healthy' });
    expect(graph['temporal-namespace']).toEqual({ temporal: 'service_healthy' });
    for (const name of ['worker', 'api', 'seed']) {
      expect(graph[name], name).toEqual({ migrate: 'service_completed_successfully', 'temporal-namespace': 'service_completed_successfully' });
    }
    expect(graph.migrate).toEqual({ postgres: 'service_healthy' });
    expect(graph.web).toEqual({ api: 'service_healthy' });
  });

  it('health-checks every long-running service; one-shots do not restart', () => {
    for (const [name, s] of Object.entries(services)) {
      if (oneShots.includes(name)) {
        expect(s.restart, name).toBe('no');
        continue;
      }
      expect(s.restart, name).toBe('unless-stopped');
      const test = s.healthcheck?.test ?? [];
      expect(['CMD', 'CMD-SHELL'], name).toContain(test[0]);
      expect(test.length, name).toBeGreaterThan(1);
    }
    expect(service('postgres').healthcheck!.test).toContain('pg_isready');
    expect(service('api').healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs', 'http', `http://127.0.0.1:${defaults.API_PORT}/health`]);
    expect(service('web').healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs', 'http', `http://127.0.0.1:${defaults.WEB_PORT}/login`]);
    // The worker is healthy while it polls the task queue the code defines.
    expect(service('worker').healthcheck!.test).toEqual(['CMD', 'node', 'deploy/healthcheck.mjs', 'worker', TASK_QUEUE]);
    expect(service('temporal').healthcheck!.test.join(' ')).toContain('7233');
    expect(service('temporal-ui').healthcheck!.test.join(' ')).toContain('8080');
  });

  it('registers the namespace and every search attribute the workflows define', () => {
    const registered = envOf(service('temporal-namespace')).SEARCH_ATTRIBUTES.split(/\s+/).map((pair) => pair.split('='));
    const typeName = { KEYWORD: 'Keyword', TEXT: 'Text', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' } as const;
    const expected = SEARCH_ATTRIBUTES.map((key) => [key.name, typeName[key.type as keyof typeof typeName]]);
    expect(registered.sort()).toEqual(expected.sort());
    for (const name of ['ClinicId', 'PatientId', 'JourneyKind', 'AppointmentId']) expect(registered).toContainEqual([name, 'Keyword']);

    const script = read('deploy/temporal/setup-namespace.sh');
    expect(script).toContain('operator namespace create');
    expect(script).toContain('operator search-attribute create');
    expect(script).toContain('operator cluster health');
    const schema = read('deploy/temporal/setup-schema.sh');
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema -d']) expect(schema).toContain(step);
    expect(schema).toContain('/temporal/versioned');
    expect(schema).toContain('/visibility/versioned');
  });

  it('mounts files that exist, and runs the setup scripts through those mounts', () => {
    for (const [name, s] of Object.entries(services)) {
      for (const volume of s.volumes ?? []) {
        const [source] = volume.split(':');
        if (source.startsWith('.')) expect(exists(source), `${name}: ${volume}`).toBe(true);
        else expect(Object.keys(compose.volumes ?? {}), `${name}: ${volume}`).toContain(source);
      }
    }
    const viaMount = (name: string) => {
      const s = service(name);
      const [shell, script] = s.entrypoint ?? [];
      expect(shell).toBe('/bin/sh');
      const mount = (s.volumes ?? []).map((v) => v.split(':')).find(([, target]) => script.startsWith(target + '/'));
      expect(mount, `${name}: ${script} is not on a mounted path`).toBeDefined();
      return path.join(mount![0], script.slice(mount![1].length));
    };
    expect(viaMount('temporal-schema')).toBe(path.join('deploy/temporal', 'setup-schema.sh'));
    expect(viaMount('temporal-namespace')).toBe(path.join('deploy/temporal', 'setup-namespace.sh'));
    const dynamicConfig = envOf(service('temporal')).DYNAMIC_CONFIG_FILE_PATH;
    const dcMount = service('temporal').volumes!.map((v) => v.split(':')).find(([, target]) => dynamicConfig.startsWith(target + '/'))!;
    const dcFile = path.join(dcMount[0], dynamicConfig.slice(dcMount[1].length));
    expect(exists(dcFile), dcFile).toBe(true);
    expect(parse(read(dcFile))).toHaveProperty(['limit.maxIDLength']);
  });

  it('pins every image to a version', () => {
    const image = (n: string) => interpolate(service(n).image!, {});
    for (const name of Object.keys(services).filter((n) => !appServices.includes(n))) {
      expect(image(name), name).toMatch(/^[a-z0-9./-]+:[0-9][\w.-]*(-[\w.]+)?$/);
    }
    expect(image('postgres')).toMatch(/^postgres:17\b/);
    const tag = (n: string) => image(n).split(':')[1];
    expect(tag('temporal-schema')).toBe(tag('temporal'));
    expect(tag('temporal-namespace')).toBe(tag('temporal'));
    expect(image('temporal')).toMatch(/^temporalio\/server:/);
    expect(image('temporal-schema')).toMatch(/^temporalio\/admin-tools:/);
    expect(image('temporal-ui')).toMatch(/^temporalio\/ui:2\./);
  });

  it('documents in .env.example every variable the file reads', () => {
    const example = read('.env.example');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const used = [...composeText.matchAll(/\$\{([A-Z][A-Z0-9_]*)(:?[-?])?/g)];
    for (const [, name, op] of used) {
      expect(documented.has(name), `${name} missing from .env.example`).toBe(true);
      // Required ones appear uncommented, so a copied .env.example lists what to fill in.
      if (op === ':?') expect(example, name).toMatch(new RegExp(`^${name}=$`, 'm'));
    }
    expect(new Set(used.filter(([, , op]) => op === ':?').map(([, n]) => n))).toEqual(new Set(Object.keys(sampleDotEnv)));
  });
});

describe('Dockerfile', () => {
  const text = read('Dockerfile').replace(/\\\n/g, ' ');
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const args = Object.fromEntries(lines.filter((l) => l.startsWith('ARG ')).map((l) => l.slice(4).split('=') as [string, string]));
  const stages: Array<{ from: string; name: string; lines: string[] }> = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ from: from[1].replace(/\$\{(\w+)\}/g, (_, a) => args[a]), name: from[2] ?? '', lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  const stage = (name: string) => stages.find((s) => s.name === name)!;
  const final = stages.at(-1)!;
  /** COPY sources from the build context (not --from another stage). */
  const contextCopies = (lines: string[]) =>
    lines.filter((l) => /^COPY\s/.test(l) && !/--from=/.test(l)).flatMap((l) => l.split(/\s+/).slice(1).filter((w) => !w.startsWith('--')).slice(0, -1));

  const ignore = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const globToRegex = (glob: string) =>
    new RegExp('^' + glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(?:.*/)?').replace(/\*\*/g, '.*').replace(/\*/g, '[^/]*') + '$');
  /** Docker's rule: the last pattern matching the path (or a parent directory) decides. */
  const ignored = (p: string) => {
    const prefixes = p.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
    let out = false;
    for (const pattern of ignore) {
      const negated = pattern.startsWith('!');
      const re = globToRegex(negated ? pattern.slice(1) : pattern);
      if (prefixes.some((q) => re.test(q))) out = !negated;
    }
    return out;
  };

  it('builds on node:20-bookworm-slim in stages and runs as a non-root user', () => {
    for (const s of stages.filter((s) => !stages.some((o) => o.name === s.from))) expect(s.from).toBe('node:20-bookworm-slim');
    expect(stages.map((s) => s.name)).toEqual(expect.arrayContaining(['deps', 'web-build', 'prod-deps', 'runtime']));
    expect(final.name).toBe('runtime');
    expect(final.lines.filter((l) => l.startsWith('USER ')).at(-1)).toBe('USER node');
    expect(final.lines.join('\n')).toMatch(/NODE_ENV=production/);
  });

  it('installs with npm ci without the postinstall tool download, and builds the web', () => {
    const base = stage('base').lines.join('\n');
    expect(base).toMatch(/TIGRE_SKIP_TOOLS=1/);
    expect(stage('deps').lines).toContain('RUN npm ci');
    expect(stage('prod-deps').lines.join('\n')).toMatch(/RUN npm ci --omit=dev/);
    for (const s of ['deps', 'prod-deps']) {
      const pkg = JSON.parse(read('package.json')) as { scripts?: Record<string, string> };
      // Whatever postinstall runs must be in the image before `npm ci` runs it.
      const postinstall = pkg.scripts?.postinstall ?? '';
      for (const file of postinstall.split(/\s+/).filter((w) => /\.(m?js|ts)$/.test(w))) {
        expect(contextCopies(stage(s).lines), `${s}: ${file}`).toContain(file);
      }
    }
    expect(stage('web-build').lines).toContain('RUN cd web && npx vite build');
    expect(final.lines).toContain('COPY --from=web-build /app/web/build ./web/build');
  });

  it('copies from the context only files that exist and that .dockerignore keeps', () => {
    const sources = stages.flatMap((s) => contextCopies(s.lines)).filter((src) => src !== '.');
    expect(sources.length).toBeGreaterThan(5);
    for (const src of sources) {
      expect(exists(src), src).toBe(true);
      expect(ignored(src), `${src} is excluded by .dockerignore`).toBe(false);
    }
    for (const secretish of ['.env', 'node_modules', '.data', '.tools', 'web/build', '.git']) expect(ignored(secretish), secretish).toBe(true);
    expect(ignored('.env.example')).toBe(false);
  });

  it('puts into the runtime image every source directory and script the services run', () => {
    const copied = contextCopies(final.lines);
    // Every top-level directory of TypeScript the app runs (not tests, benchmarks, the web sources).
    const notRuntime = new Set(['tests', 'bench', 'web', 'deploy', 'node_modules']);
    // Tracked directories only: untracked output (test-results/, .data/) is not source.
    const tracked = execFileSync('git', ['ls-files'], { cwd: root }).toString().split('\n');
    const sourceDirs = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))]
      .filter((d) => !d.startsWith('.') && !notRuntime.has(d));
    for (const dir of sourceDirs) expect(copied, dir).toContain(dir);
    for (const name of ['migrate', 'worker', 'api', 'seed']) {
      const entry = service(name).command![3];
      expect(copied, entry).toContain(entry.split('/')[0]);
    }
    for (const s of Object.values(services)) {
      const [, script] = (s.healthcheck?.test ?? []).filter((w) => w !== 'CMD');
      if (script?.startsWith('deploy/')) expect(copied).toContain(script);
    }
    const cmd = final.lines.find((l) => l.startsWith('CMD '))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(service('api').command);
  });
});

describe('deploy/ scripts', () => {
  const scripts = ['deploy/postgres/initdb/10-tigre-roles.sh', 'deploy/temporal/setup-schema.sh', 'deploy/temporal/setup-namespace.sh'];

  it('are valid POSIX sh', () => {
    for (const script of scripts) {
      const res = spawnSync('sh', ['-n', path.join(root, script)], { encoding: 'utf8' });
      expect(res.status, `${script}: ${res.stderr}`).toBe(0);
    }
    // The postgres image runs executable init scripts; a non-executable one would be sourced.
    expect(fs.statSync(path.join(root, scripts[0])).mode & 0o111).not.toBe(0);
  });

  it('creates the roles with which the migrations run on a fresh server, and the app can act as tigre_app', async () => {
    // A fresh server, as on a new PostgreSQL volume (the shared test server already has tigre_app).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-compose-pg-'));
    fs.chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dir: path.join(dir, 'data'), port: await freePort(), persistent: false });
    try {
      // The init script's SQL, with psql's :'var' quoting done here.
      const sqlText = /<<'SQL'\n([\s\S]*?)\nSQL/.exec(read(scripts[0]))![1];
      const passwords: Env = { tigre_password: "it's $ecret", temporal_password: 'temporal-pw' };
      const admin = postgres(pg.adminUrl, { max: 1, onnotice: () => {} });
      try {
        for (const stmt of sqlText.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) {
          await admin.unsafe(stmt.replace(/:'(\w+)'/g, (_, v) => `'${passwords[v].replace(/'/g, "''")}'`));
        }
      } finally {
        await admin.end();
      }
      const asRole = (user: string, password: string, db: string) => {
        const url = new URL(pg.urlFor(db));
        url.username = user;
        url.password = encodeURIComponent(password);
        return url.toString();
      };
      await migrateDatabase(asRole('tigre', passwords.tigre_password, 'tigre'));
      const app = postgres(asRole('tigre', passwords.tigre_password, 'tigre'), { max: 1, onnotice: () => {} });
      try {
        const row = await app.begin(async (tx) => {
          await tx`select set_config('role', 'tigre_app', true), set_config('app.clinic_id', '00000000-0000-0000-0000-000000000000', true)`;
          const [r] = await tx`select current_user as role`;
          return r;
        });
        expect(row.role).toBe('tigre_app');
        const [who] = await app`select rolsuper from pg_roles where rolname = current_user`;
        expect(who.rolsuper).toBe(false);
      } finally {
        await app.end();
      }
      // temporal-sql-tool's `create` runs as the temporal role.
      const temporal = postgres(asRole('temporal', passwords.temporal_password, 'postgres'), { max: 1, onnotice: () => {} });
      try {
        await temporal.unsafe('create database temporal_check');
        await temporal.unsafe('drop database temporal_check');
      } finally {
        await temporal.end();
      }
    } finally {
      await pg.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** `docker-compose` (Debian's v1 package) or the `docker compose` plugin, when installed. */
const composeCli = (() => {
  for (const cmd of [['docker-compose'], ['docker', 'compose']]) {
    const res = spawnSync(cmd[0], [...cmd.slice(1), 'version'], { encoding: 'utf8' });
    if (res.status === 0) return cmd;
  }
  return null;
})();

describe('docker-compose config', () => {
  const run = (dotEnv: Env, extra: string[] = []) => {
    // An empty --env-file keeps a developer's own .env out of the check.
    const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tigre-compose-')), 'empty.env');
    fs.writeFileSync(envFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...dotEnv };
    const [cmd, ...pre] = composeCli!;
    return spawnSync(cmd, [...pre, '--env-file', envFile, '-f', path.join(root, 'docker-compose.yml'), ...extra, 'config', '-q'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
  };

  const skipped = composeCli ? '' : ' (skipped: neither docker-compose nor docker compose is on PATH)';

  it.skipIf(!composeCli)(`accepts the file with the secrets set${skipped}`, () => {
    const res = run(sampleDotEnv);
    expect(res.status, res.stderr).toBe(0);
    const demo = run(sampleDotEnv, ['--profile', 'demo']);
    expect(demo.status, demo.stderr).toBe(0);
  });

  it.skipIf(!composeCli)(`refuses the file when a secret is missing, naming it${skipped}`, () => {
    const res = run({ ...sampleDotEnv, TIGRE_DATA_KEY: '' });
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('TIGRE_DATA_KEY');
  });
});
