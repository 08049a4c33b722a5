/** The URL scheme lives in src/urls.ts, shared with mails and feeds; re-exported here for the web layer. */
export * from '../urls.ts';
