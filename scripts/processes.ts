// Child processes with prefixed output, readiness polling and orderly stop: shared by `npm start` and the tests.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  stop(timeoutMs?: number): Promise<void>;
}

export function startProcess(
  name: string, command: string, args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; output?: 'inherit' | 'ignore' | string; /** with 'inherit': also append to this file */ logFile?: string } = {},
): Managed {
  const output = opts.output ?? 'inherit';
  const copy = output === 'inherit' && opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : null;
  const child = spawn(command, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const sink = output === 'inherit' ? null : output === 'ignore' ? undefined : fs.createWriteStream(output, { flags: 'a' });
  const prefix = `[${name}] `;
  for (const stream of [child.stdout!, child.stderr!]) {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      if (sink === undefined) return;
      if (sink) return void sink.write(chunk);
      copy?.write(chunk);
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { sink?.end(); copy?.end(); resolve(code); }));
  return {
    name, child, exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls `url` until it answers 2xx, the process dies, or the timeout passes. */
export async function waitForHttp(url: string, proc: Managed | null, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${proc.name} exited with code ${proc.child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer in ${timeoutMs / 1000}s (${last})`);
}

export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    import('node:net').then(({ default: net }) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
  });
}
