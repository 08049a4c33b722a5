/**
 * The start shared by the snapshot files search keeps beside a store (the term index, the vector matrix):
 * an 8-byte magic naming the format and version, a u32 length, and a JSON header. Reading the header alone
 * lets a process compare a snapshot with what it has without reading the rest (tens of megabytes).
 */
import fs from 'node:fs/promises';

/** A snapshot's JSON header, or undefined when the file is missing or of another format. */
export async function readJsonHeader<T>(file: string, magic: string): Promise<T | undefined> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const start = Buffer.alloc(12);
    if ((await handle.read(start, 0, 12, 0)).bytesRead < 12 || start.toString('latin1', 0, 8) !== magic) return undefined;
    const head = Buffer.alloc(start.readUInt32LE(8));
    await handle.read(head, 0, head.length, 12);
    return JSON.parse(head.toString('utf8')) as T;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}
