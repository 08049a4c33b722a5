/**
 * Structured logs. With LOG_FORMAT=json every line a process writes is one pino JSON object, and a line
 * written while a request is answered carries its `reqId` (the request's AsyncLocalStorage context), so an
 * operator can pull every line of one request — the access line, an error's stack, a slow-query warning.
 * The code base logs through `console.*`; in JSON mode those calls are routed through pino rather than
 * rewritten one by one, so no line escapes the format. Text mode (the default, for a terminal) is
 * `console` as it always was.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import pino, { type Logger } from 'pino';

/** What a request's log lines share. */
export interface RequestContext {
  requestId: string;
}

/** The request being answered, in whatever async work it started. */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** The id of the request being answered here, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

let json: Logger | undefined;

/** The JSON logger when LOG_FORMAT=json is in effect, else undefined (text mode writes through console). */
export function jsonLogger(): Logger | undefined {
  return json;
}

/** How a log level of the configuration maps to pino's. */
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * Switches this process to JSON logs on `destination` (stdout by default): creates the pino logger and
 * routes console.log/info/debug/warn/error through it. Idempotent; returns the logger.
 */
export function useJsonLogs(level: Level, destination?: pino.DestinationStream): Logger {
  if (json) return json;
  const logger = pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // Called for every line: one AsyncLocalStorage read, nothing when no request is being answered.
      mixin: () => {
        const store = requestContext.getStore();
        return store ? { reqId: store.requestId } : {};
      },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  const route = (write: (obj: object, msg: string) => void) => (...args: unknown[]) => {
    const err = args.find((a): a is Error => a instanceof Error);
    const rest = err ? args.filter((a) => a !== err) : args;
    write(err ? { err } : {}, format(...rest));
  };
  console.log = route((o, m) => logger.info(o, m));
  console.info = console.log;
  console.debug = route((o, m) => logger.debug(o, m));
  console.warn = route((o, m) => logger.warn(o, m));
  console.error = route((o, m) => logger.error(o, m));
  json = logger;
  return logger;
}
