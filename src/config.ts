import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODELS, type EmbedderConfig } from './embed/embedder.ts';

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
  /** Signs links in mails and forms; generated under DATA_DIR when unset (see src/secret-key.ts). */
  SECRET_KEY: z.string().min(32, 'must be at least 32 characters (try: openssl rand -hex 32)').optional(),
  /** Where mail goes: smtp://user:pass@host:587 or smtps://…; unset writes .eml files under DATA_DIR/outbox. */
  SMTP_URL: z.string().refine((v) => /^smtps?:\/\//.test(v), 'must start with smtp:// or smtps://').optional(),
  MAIL_FROM: z.string().min(3).optional(),
  /** Opens /admin (HTTP Basic password, Bearer token or the sign-in link); generated under DATA_DIR by `serve` when unset. */
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  DIGEST_WEEKENDS: z.enum(['skip', 'send']).default('skip'),
  DIGEST_SIZE: z.coerce.number().int().min(1).max(50).default(10),
  DIGEST_WINDOW_DAYS: z.coerce.number().int().min(1).max(30).default(3),
  MAIL_BOUNCE_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  /** First retry delay after a temporary failure; each next one waits four times longer (capped at 6 h). */
  MAIL_RETRY_SECONDS: z.coerce.number().min(0.1).max(86400).default(60),
  /** How long a process holds claimed messages (or a digest day it prepares) before another may take them over. */
  MAIL_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(300),
  /** Background jobs inside `paperboy serve`: digest preparation, mail delivery, embedding new papers. */
  JOBS: z.enum(['on', 'off']).default('on'),
  DIGEST_INTERVAL_MINUTES: z.coerce.number().min(0.05).max(1440).default(5),
  /** How many reverse proxies in front each append the address they saw to X-Forwarded-For (`on` = 1, `off` = 0). */
  TRUST_PROXY: z
    .string()
    .regex(/^(on|off|[0-9])$/, 'must be the number of proxies in front that append to X-Forwarded-For (0–9), or on (1) / off (0)')
    .default('off')
    .transform((v) => (v === 'on' ? 1 : v === 'off' ? 0 : Number(v))),
  /** Embedder for semantic search: bundled static word vectors, a local ONNX model, or an OpenAI-compatible API. */
  EMBEDDER: z.enum(['static', 'onnx', 'openai']).default('static'),
  EMBEDDER_MODEL: z.string().min(1).optional(),
  /** Where ONNX models live (default DATA_DIR/models). */
  EMBEDDER_MODEL_DIR: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().default('https://api.openai.com'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  /** Hugging Face hub (or mirror) that `paperboy models pull` downloads from. */
  HF_ENDPOINT: z.string().url().default('https://huggingface.co'),
});

/** Outgoing mail settings. */
export interface MailConfig {
  /** SMTP server URL; undefined writes .eml files to `outboxDir` instead. */
  smtpUrl: string | undefined;
  from: string;
  outboxDir: string;
  /** Permanent (5xx) failures after which an address gets no more mail. */
  bounceLimit: number;
  retrySeconds: number;
  leaseSeconds: number;
}

/** When and what the digest sends. */
export interface DigestConfig {
  /** Local hour (0–23, in each subscriber's time zone) at which the digest goes out. */
  hour: number;
  skipWeekends: boolean;
  /** Default number of trending papers. */
  size: number;
  /** Papers listed this many days up to the digest day are candidates (covers weekends). */
  windowDays: number;
  intervalMinutes: number;
}

/** Validated runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof LogLevel>;
  publicBaseUrl: string;
  demoCorpus: boolean;
  /** From SECRET_KEY; `withSecretKey` (src/secret-key.ts) fills it from DATA_DIR when unset. */
  secretKey: string | undefined;
  /** The secret that opens /admin: ADMIN_TOKEN, or the one `withAdminToken` (src/secret-key.ts) keeps under DATA_DIR. */
  adminToken: string | undefined;
  /** Where `adminToken` came from; only a generated one is printed in the start-up sign-in link. */
  adminTokenSource?: 'env' | 'generated';
  /** How many proxies in front append to X-Forwarded-For; the client is that many entries from its right (see http/client-address.ts). */
  trustProxyHops: number;
  mail: MailConfig;
  digest: DigestConfig;
  jobs: boolean;
  embedder: EmbedderConfig;
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
    secretKey: c.SECRET_KEY,
    adminToken: c.ADMIN_TOKEN,
    adminTokenSource: c.ADMIN_TOKEN ? 'env' : undefined,
    trustProxyHops: c.TRUST_PROXY,
    mail: {
      smtpUrl: c.SMTP_URL,
      from: c.MAIL_FROM ?? `Paperboy <paperboy@${mailDomain(c.PUBLIC_BASE_URL)}>`,
      outboxDir: path.join(path.resolve(c.DATA_DIR), 'outbox'),
      bounceLimit: c.MAIL_BOUNCE_LIMIT,
      retrySeconds: c.MAIL_RETRY_SECONDS,
      leaseSeconds: c.MAIL_LEASE_SECONDS,
    },
    digest: {
      hour: c.DIGEST_HOUR,
      skipWeekends: c.DIGEST_WEEKENDS === 'skip',
      size: c.DIGEST_SIZE,
      windowDays: c.DIGEST_WINDOW_DAYS,
      intervalMinutes: c.DIGEST_INTERVAL_MINUTES,
    },
    jobs: c.JOBS === 'on',
    embedder: {
      provider: c.EMBEDDER,
      model: c.EMBEDDER_MODEL ?? DEFAULT_MODELS[c.EMBEDDER],
      modelDir: path.resolve(c.EMBEDDER_MODEL_DIR ?? path.join(c.DATA_DIR, 'models')),
      openaiBaseUrl: c.OPENAI_BASE_URL.replace(/\/$/, ''),
      openaiApiKey: c.OPENAI_API_KEY,
      hfEndpoint: c.HF_ENDPOINT.replace(/\/$/, ''),
    },
  };
}

/** The host name mail is sent from by default: the public host, or "localhost". */
function mailDomain(publicBaseUrl: string | undefined): string {
  return publicBaseUrl ? new URL(publicBaseUrl).hostname : 'localhost';
}
