import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_MODELS, type EmbedderConfig } from './embed/embedder.ts';

const LogLevel = z.enum(['debug', 'info', 'warn', 'error', 'silent']);
const DOMAIN_LIST = /^\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}\s*(,\s*[A-Za-z0-9.-]+\.[A-Za-z]{2,}\s*)*$/;

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql:// (leave unset for SQLite under DATA_DIR)')
    .optional(),
  LOG_LEVEL: LogLevel.default('info'),
  /** `json`: one pino JSON object per line with the request id (for a log collector); `text`: plain lines. */
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  /** Also serve /metrics on this port without the admin lock (bind it where only the scraper reaches). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** On SIGTERM: how long requests in flight and the mail batch may take before the process exits anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(30),
  /** On SIGTERM: how long to keep answering (with /readyz at 503) so a load balancer moves traffic first. */
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().min(0).max(120).default(0),
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
  /**
   * Personal recommendations (For you, its feeds and API, the digest's "Recommended for you"). On by default:
   * the store's context and every reader's model are built in a worker thread (src/recommend/serving.ts), so
   * a page waits for a retrain at most a bounded time and the event loop is never held for it; `off` for a
   * store that wants no personal features.
   */
  RECOMMENDATIONS: z.enum(['on', 'off']).default('on'),
  /** How many processes `paperboy serve` answers requests with (one per core is the most that helps). */
  WEB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
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
  /** arXiv categories or archives to follow (`cs.LG,cs.CV`, `hep-th`), added as sources at start (src/sources/). */
  FETCH_ARXIV: z
    .string()
    .regex(/^\s*[a-z-]+(\.[A-Za-z-]+)?\s*(,\s*[a-z-]+(\.[A-Za-z-]+)?\s*)*$/, 'must be arXiv categories or archives separated by commas, e.g. cs.LG,cs.CV,hep-th')
    .optional(),
  /** Follow the Hugging Face daily papers list. */
  FETCH_HF_DAILY: z.enum(['on', 'off']).default('off'),
  ARXIV_OAI_URL: z.string().url().default('https://export.arxiv.org/oai2'),
  ARXIV_API_URL: z.string().url().default('https://export.arxiv.org/api/query'),
  HF_API_URL: z.string().url().default('https://huggingface.co/api'),
  /** A contact address for the User-Agent of every fetch, as arXiv's terms ask. */
  FETCH_CONTACT: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address').optional(),
  /** Spacing of requests to arXiv; arXiv asks for one every 3 seconds. */
  ARXIV_REQUEST_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(3000),
  /** Listing days a new source fetches before its first scheduled run, when it names no start date. */
  FETCH_BACKFILL_DAYS: z.coerce.number().int().min(0).max(60).default(7),
  /** Further Eastern days without an arXiv announcement (deferred mailings announced after this release). */
  ARXIV_HOLIDAYS: z.string().regex(/^\s*\d{4}-\d{2}-\d{2}\s*(,\s*\d{4}-\d{2}-\d{2}\s*)*$/, 'must be days YYYY-MM-DD separated by commas').optional(),
  /** Who is mailed when a source has failed for a day. */
  ADMIN_EMAIL: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address').optional(),
  /** Hours after a listing's announcement by which its digest is prepared even if a fetch has not completed. */
  DIGEST_FETCH_DEADLINE: z.coerce.number().min(0).max(48).default(6),
  /** Who may make an account: anyone (open), people an admin invited (invite), nobody new (closed). */
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
  /** Comma-separated domains (`example.org,lab.example.org`) whose addresses alone may make or receive accounts. */
  ALLOWED_EMAIL_DOMAINS: z.string().regex(DOMAIN_LIST, 'must be domain names separated by commas, e.g. example.org,lab.example.org').optional(),
  /** OpenID Connect single sign-on: the provider's issuer URL, and this site's client there. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Comma-separated domains whose verified addresses may sign in through OIDC (default: any the provider vouches for). */
  OIDC_ALLOWED_DOMAINS: z.string().regex(DOMAIN_LIST, 'must be domain names separated by commas').optional(),
  /** What the sign-in button calls the provider ("Sign in with …"). */
  OIDC_NAME: z.string().min(1).max(60).default('single sign-on'),
});

/** Account and sign-in settings. */
export interface AccountsConfig {
  registration: 'open' | 'invite' | 'closed';
  /** Lower-cased domains; empty means any. */
  allowedEmailDomains: string[];
  /** Single sign-on, when OIDC_ISSUER is set. */
  oidc?: { issuer: string; clientId: string; clientSecret: string | undefined; allowedDomains: string[]; name: string };
}

/** What the instance follows and how it fetches (src/sources/). */
export interface SourcesConfig {
  /** FETCH_ARXIV, split: the categories and archives to add as sources at start. */
  arxivSeeds: string[];
  hfDailySeed: boolean;
  arxivOaiUrl: string;
  arxivApiUrl: string;
  hfApiUrl: string;
  /** Put in the User-Agent of every fetch. */
  contact: string | undefined;
  arxivIntervalMs: number;
  backfillDays: number;
  /** Eastern days arXiv defers, beyond the published holidays. */
  extraHolidays: string[];
  /** Mailed when a source has failed for a day; unset, the admin page shows it only. */
  adminEmail: string | undefined;
}

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
  /** A day's digest waits for that day's fetch of every enabled arXiv source at most this long after its announcement. */
  fetchDeadlineHours: number;
  /** Whether digests carry "Recommended for you" (set from Config#recommendations where the composer is made). */
  recommendations?: boolean;
}

/** Validated runtime configuration, read once from the environment. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  logLevel: z.infer<typeof LogLevel>;
  logFormat: 'text' | 'json';
  /** /metrics without the admin lock on another port (cli/metrics-server.ts), when set. */
  metrics: { port: number | undefined; host: string };
  /** What SIGTERM does (cli/serve.command.ts): keep answering `delaySeconds`, then drain for up to `graceSeconds`. */
  shutdown: { graceSeconds: number; delaySeconds: number };
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
  /** RECOMMENDATIONS=on: the For-you pages, feeds, API and digest section answer (see the schema's note). */
  recommendations: boolean;
  /** HTTP processes of `paperboy serve` (node:cluster workers when more than one; see cli/serve-cluster.ts). */
  webConcurrency: number;
  embedder: EmbedderConfig;
  sources: SourcesConfig;
  accounts: AccountsConfig;
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
  if (c.OIDC_ISSUER && !c.OIDC_CLIENT_ID) throw new ConfigError('config: invalid environment:\n  OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  return {
    port: c.PORT,
    host: c.HOST,
    dataDir: path.resolve(c.DATA_DIR),
    databaseUrl: c.DATABASE_URL,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    metrics: { port: c.METRICS_PORT, host: c.METRICS_HOST },
    shutdown: { graceSeconds: c.SHUTDOWN_GRACE_SECONDS, delaySeconds: c.SHUTDOWN_DELAY_SECONDS },
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
      fetchDeadlineHours: c.DIGEST_FETCH_DEADLINE,
    },
    jobs: c.JOBS === 'on',
    recommendations: c.RECOMMENDATIONS === 'on',
    webConcurrency: c.WEB_CONCURRENCY,
    embedder: {
      provider: c.EMBEDDER,
      model: c.EMBEDDER_MODEL ?? DEFAULT_MODELS[c.EMBEDDER],
      modelDir: path.resolve(c.EMBEDDER_MODEL_DIR ?? path.join(c.DATA_DIR, 'models')),
      openaiBaseUrl: c.OPENAI_BASE_URL.replace(/\/$/, ''),
      openaiApiKey: c.OPENAI_API_KEY,
      hfEndpoint: c.HF_ENDPOINT.replace(/\/$/, ''),
    },
    sources: {
      arxivSeeds: listOf(c.FETCH_ARXIV),
      hfDailySeed: c.FETCH_HF_DAILY === 'on',
      arxivOaiUrl: c.ARXIV_OAI_URL,
      arxivApiUrl: c.ARXIV_API_URL,
      hfApiUrl: c.HF_API_URL.replace(/\/$/, ''),
      contact: c.FETCH_CONTACT,
      arxivIntervalMs: c.ARXIV_REQUEST_INTERVAL_MS,
      backfillDays: c.FETCH_BACKFILL_DAYS,
      extraHolidays: listOf(c.ARXIV_HOLIDAYS),
      adminEmail: c.ADMIN_EMAIL,
    },
    accounts: {
      registration: c.REGISTRATION,
      allowedEmailDomains: domainList(c.ALLOWED_EMAIL_DOMAINS),
      oidc: c.OIDC_ISSUER
        ? { issuer: c.OIDC_ISSUER, clientId: c.OIDC_CLIENT_ID!, clientSecret: c.OIDC_CLIENT_SECRET, allowedDomains: domainList(c.OIDC_ALLOWED_DOMAINS), name: c.OIDC_NAME }
        : undefined,
    },
  };
}

function domainList(value: string | undefined): string[] {
  return value ? value.split(',').map((d) => d.trim().toLowerCase()) : [];
}

/** A comma-separated setting as its values. */
function listOf(value: string | undefined): string[] {
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : [];
}

/** The host name mail is sent from by default: the public host, or "localhost". */
function mailDomain(publicBaseUrl: string | undefined): string {
  return publicBaseUrl ? new URL(publicBaseUrl).hostname : 'localhost';
}
