import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const LogLevel = z.enum(['debug', 'info', 'warn', 'error', 'silent']);

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql:// (leave unset for SQLite under DATA_DIR)')
    .optional(),
  LOG_LEVEL: LogLevel.default('info'),
  PUBLIC_BASE_URL: z.string().url().optional(),
  /** Skip loading the demo corpus into an empty database on `serve`. */
  DEMO_CORPUS: z.enum(['on', 'off']).default('on'),
});

/** Validated runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof LogLevel>;
  publicBaseUrl: string;
  demoCorpus: boolean;
}

/** Thrown when the environment does not describe a valid configuration; the message lists every problem. */
export class ConfigError extends Error {}

/**
 * Reads configuration from an environment map. For each setting NAME, a `NAME_FILE` variable
 * (Docker/Kubernetes secrets) is read from disk and used when `NAME` itself is unset.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const merged: Record<string, string | undefined> = { ...env };
  for (const name of Object.keys(ConfigSchema.shape)) {
    const key = `${name}_FILE`;
    const value = env[key];
    if (value && merged[name] === undefined) {
      try {
        merged[name] = readFileSync(value, 'utf8').trim();
      } catch (err) {
        throw new ConfigError(`config: ${key}: cannot read ${value}: ${(err as Error).message}`);
      }
    }
  }
  for (const key of Object.keys(merged)) if (merged[key] === '') merged[key] = undefined;
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(merged[String(i.path[0])])})`);
    throw new ConfigError(`config: invalid environment:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    publicBaseUrl: (c.PUBLIC_BASE_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    demoCorpus: c.DEMO_CORPUS === 'on',
  };
}
