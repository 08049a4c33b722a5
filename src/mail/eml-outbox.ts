/** Reads the .eml files the file mailer writes under DATA_DIR/outbox, for /admin/outbox. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';

/** A message in the outbox folder, parsed. */
export interface EmlMessage {
  name: string;
  writtenAt: Date;
  to: string;
  from: string;
  subject: string;
  date?: Date;
  messageId?: string;
  headers: [string, string][];
  text: string;
  html?: string;
}

const NAME = /^[A-Za-z0-9_-]{1,120}\.eml$/;

/** Whether a string is a file name the outbox can hold (no paths, no dots but the extension). */
export function isEmlName(name: string): boolean {
  return NAME.test(name);
}

async function parse(dir: string, name: string, writtenAt: Date): Promise<EmlMessage> {
  const mail = await simpleParser(await fs.readFile(path.join(dir, name)));
  const address = (a: typeof mail.to) => (Array.isArray(a) ? a.map((x) => x.text).join(', ') : (a?.text ?? ''));
  const headers: [string, string][] = mail.headerLines.map((h) => {
    const colon = h.line.indexOf(':');
    return [h.line.slice(0, colon), h.line.slice(colon + 1).replace(/\r?\n\s+/g, ' ').trim()];
  });
  return {
    name,
    writtenAt,
    to: address(mail.to),
    from: address(mail.from),
    subject: mail.subject ?? '',
    date: mail.date,
    messageId: mail.messageId,
    headers,
    text: mail.text ?? '',
    html: typeof mail.html === 'string' ? mail.html : undefined,
  };
}

/** The newest messages first, at most `limit`; an empty list when the folder does not exist yet. */
export async function listEml(dir: string, limit = 100): Promise<{ messages: EmlMessage[]; total: number }> {
  let names: string[];
  try {
    names = (await fs.readdir(dir)).filter(isEmlName);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { messages: [], total: 0 };
    throw err;
  }
  const stats = await Promise.all(names.map(async (name) => ({ name, mtime: (await fs.stat(path.join(dir, name))).mtime })));
  stats.sort((a, b) => b.mtime.getTime() - a.mtime.getTime() || a.name.localeCompare(b.name));
  const messages = await Promise.all(stats.slice(0, limit).map((s) => parse(dir, s.name, s.mtime)));
  return { messages, total: names.length };
}

/** One message by file name, or undefined when there is none. */
export async function readEml(dir: string, name: string): Promise<EmlMessage | undefined> {
  if (!isEmlName(name)) return undefined;
  try {
    const stat = await fs.stat(path.join(dir, name));
    return await parse(dir, name, stat.mtime);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
