// Structured JSON logs (pino); pretty-printed in development, machine-readable in production and CI.
import pino, { type Logger } from 'pino';
import type { Env } from './env';

export type { Logger };

export function createLogger(env: Pick<Env, 'NODE_ENV' | 'LOG_LEVEL'>, name: string): Logger {
  const pretty = env.NODE_ENV === 'development' && process.stdout.isTTY && !process.env.CI;
  return pino({
    name,
    level: env.NODE_ENV === 'test' && !process.env.LOG_LEVEL ? 'silent' : env.LOG_LEVEL,
    redact: { paths: ['password', '*.password', 'req.headers.cookie', 'req.headers.authorization', '*.token'], censor: '[redacted]' },
    transport: pretty ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } : undefined,
  });
}
