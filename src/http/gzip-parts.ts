/**
 * A gzip body put together from parts compressed separately, so a cached page can go out compressed with a
 * few small per-reader fragments in it without compressing the whole page again for every request.
 *
 * Each part is raw DEFLATE ending in a sync flush (byte-aligned, not final) from a fresh compressor, so it
 * refers to nothing before it and parts can simply be concatenated (as pigz does); an empty final block ends
 * the stream. The gzip trailer needs the CRC-32 of the whole text: each cached part keeps its CRC and the
 * operator that shifts a CRC past its length (zlib's crc32_combine), so joining costs a few hundred integer
 * operations per part, not a pass over the page. Fragments made per request are stored uncompressed
 * (`storedPart`): a stored block needs no compressor at all.
 */
import { promisify } from 'node:util';
import { constants, crc32, deflateRaw } from 'node:zlib';

const deflateRawAsync = promisify(deflateRaw);

/** One piece of text, compressed on its own. */
export interface GzipPart {
  deflated: Buffer;
  crc: number;
  length: number;
  /** x^(8·length) mod the CRC polynomial: what `crc32_combine` multiplies a preceding CRC by. */
  shift: number;
}

const POLY = 0xedb88320; // CRC-32, reflected
const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

/** a·b modulo the CRC polynomial (zlib's multmodp). */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

const X2N: number[] = [];
for (let p = 0x40000000, n = 0; n < 32; n++) {
  X2N.push(p); // x^(2^n) mod P
  p = multiplyModP(p, p);
}

/** x^(8·bytes) mod P (zlib's x2nmodp(bytes, 3)). */
function shiftFor(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3;
  for (let n = bytes; n > 0; n >>>= 1, k++) if (n & 1) p = multiplyModP(X2N[k & 31], p);
  return p;
}

/** How far back DEFLATE may refer: the text before a part that `gzipPart`'s `dictionary` may be. */
export const WINDOW = 32_768;

/**
 * Compresses one part on zlib's thread pool, so a big page does not hold the event loop while it shrinks.
 * With a `dictionary` (at most the `WINDOW` bytes before it), the part may refer back into that text, as if
 * compressed with it: it may then only follow exactly that text (pigz joins its blocks so).
 */
export async function gzipPart(text: Buffer, level = 6, dictionary?: Buffer): Promise<GzipPart> {
  const options = { level, finishFlush: constants.Z_SYNC_FLUSH, ...(dictionary && dictionary.length > 0 ? { dictionary } : {}) };
  const deflated = await deflateRawAsync(text, options);
  return { deflated, crc: crc32(text), length: text.length, shift: shiftFor(text.length) };
}

/**
 * A part kept as it is, in stored blocks: for the small per-request fragments, where setting up a compressor
 * would cost more than the few hundred bytes saved.
 */
export function storedPart(text: Buffer): GzipPart {
  const blocks: Buffer[] = [];
  for (let at = 0; at < text.length || blocks.length === 0; at += 65_535) {
    const chunk = text.subarray(at, at + 65_535);
    const head = Buffer.from([0, chunk.length & 0xff, chunk.length >>> 8, ~chunk.length & 0xff, (~chunk.length >>> 8) & 0xff]);
    blocks.push(head, chunk);
  }
  return { deflated: Buffer.concat(blocks), crc: crc32(text), length: text.length, shift: shiftFor(text.length) };
}

/**
 * One part made of several that follow each other: what a run of a cached page's parts that many readers
 * get unchanged can be kept as, so joining a reader's page handles a few parts rather than one per slot.
 */
export function combineGzipParts(parts: GzipPart[]): GzipPart {
  let shift = 0x80000000; // x^0
  for (const part of parts) shift = multiplyModP(part.shift, shift);
  return { deflated: Buffer.concat(parts.map((p) => p.deflated)), ...crcOfParts(parts), shift };
}

/** The CRC-32 and length of the parts' uncompressed texts one after another (each part's CRC shifted past the rest). */
function crcOfParts(parts: GzipPart[]): { crc: number; length: number } {
  let crc = 0;
  let length = 0;
  for (const part of parts) {
    crc = (multiplyModP(part.shift, crc) ^ part.crc) >>> 0;
    length += part.length;
  }
  return { crc, length };
}

/** The complete gzip member for the parts in order. */
export function joinGzipParts(parts: GzipPart[]): Buffer {
  const { crc, length } = crcOfParts(parts);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4);
  return Buffer.concat([HEADER, ...parts.map((p) => p.deflated), FINAL_BLOCK, trailer]);
}
