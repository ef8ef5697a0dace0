import { createRequire } from 'node:module';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import type * as DicomParser from 'dicom-parser';
import { describeThrown, PixelError } from './DecodeError';
import { looksExplicitVr } from './sniffFormat';
import { transferSyntaxes } from './transferSyntaxes';
import type { TransferSyntaxEntry } from './transferSyntaxRegistry';

const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

export interface ParsedDicom {
  dataSet: DicomParser.DataSet;
  syntax: TransferSyntaxEntry;
  /** Set when parsing stopped early; the elements read before the break are kept. */
  brokenAt?: string;
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
const EXPLICIT_LE = '1.2.840.10008.1.2.1';
/** Deflate can expand ~1000x; beyond this a file is treated as a bomb, not an image. */
const MAX_INFLATED_BYTES = 1024 * 1024 * 1024;

/**
 * Parses a Part 10 file, or a bare data set (no preamble), with dicom-parser. The transfer
 * syntax is checked before the data set is read: an unknown one is refused, not guessed at.
 */
export function parseDicom(bytes: Uint8Array, hasPreamble: boolean): ParsedDicom {
  if (hasPreamble) return parseWithMeta(bytes);
  // Meta group written without the preamble: give it one so the standard path applies.
  if (bytes[0] === 0x02 && bytes[1] === 0x00) {
    const framed = new Uint8Array(bytes.length + 132);
    framed.set([0x44, 0x49, 0x43, 0x4d], 128);
    framed.set(bytes, 132);
    return parseWithMeta(framed);
  }
  const first = looksExplicitVr(bytes) ? EXPLICIT_LE : IMPLICIT_LE;
  const second = first === EXPLICIT_LE ? IMPLICIT_LE : EXPLICIT_LE;
  const a = parseBare(bytes, first);
  if (!a.brokenAt) return a;
  const b = parseBare(bytes, second);
  return b.brokenAt ? a : b;
}

function parseWithMeta(bytes: Uint8Array): ParsedDicom {
  let meta: DicomParser.DataSet;
  try {
    meta = dicomParser.readPart10Header(bytes);
  } catch (e) {
    throw new PixelError(`file meta information is unreadable: ${describeParseFailure(e)}`);
  }
  const el = meta.elements.x00020010;
  const uid = el ? readUid(bytes, el) : undefined;
  if (!uid) throw new PixelError('file meta information has no transfer syntax UID');
  const syntax = transferSyntaxes.get(uid);
  if (!syntax) throw new PixelError(`transfer syntax ${uid.replace(/[^\x20-\x7e]/g, '?')} is not supported`, 'unsupported');
  return run(bytes, syntax, {
    inflater: syntax.encoding === 'deflatedLE' ? inflate : undefined,
  });
}

function parseBare(bytes: Uint8Array, uid: string): ParsedDicom {
  return run(bytes, transferSyntaxes.get(uid)!, { TransferSyntaxUID: uid });
}

function run(bytes: Uint8Array, syntax: TransferSyntaxEntry, options: DicomParser.ParseDicomOptions): ParsedDicom {
  try {
    const dataSet = dicomParser.parseDicom(bytes, options);
    return { dataSet, syntax, brokenAt: findOverrun(dataSet) };
  } catch (e) {
    const partial = (e as DicomParser.ParseDicomFailure | undefined)?.dataSet;
    if (partial && typeof partial === 'object' && partial.elements) {
      return { dataSet: partial, syntax, brokenAt: describeParseFailure(e) };
    }
    if (e instanceof PixelError) throw e;
    throw new PixelError(`not a readable DICOM data set: ${describeParseFailure(e)}`);
  }
}

function describeParseFailure(e: unknown): string {
  const inner = (e as { exception?: unknown } | undefined)?.exception ?? e;
  return inner instanceof RangeError ? `sequences nested too deeply (${inner.message})` : describeThrown(e);
}

/**
 * dicom-parser lets an implicit VR element run past the end of the buffer without a word, and
 * only warns when a sequence never ends; such a data set is cut or corrupt, which matters when
 * it then seems to hold no pixels.
 */
function findOverrun(ds: DicomParser.DataSet): string | undefined {
  const eof = ds.warnings?.find((w) => w.startsWith('eof encountered'));
  if (eof) return eof;
  const end = ds.byteArray.length;
  for (const el of Object.values(ds.elements)) {
    if (el.length !== 0xffffffff && el.dataOffset + el.length > end) {
      return `element ${el.tag.slice(1)} declares ${el.length} bytes at byte ${el.dataOffset} but the data ends at byte ${end}`;
    }
  }
  return undefined;
}

function readUid(bytes: Uint8Array, el: DicomParser.Element): string | undefined {
  if (el.length > 64 || el.dataOffset + el.length > bytes.length) return undefined;
  let s = '';
  for (let i = 0; i < el.length; i++) s += String.fromCharCode(bytes[el.dataOffset + i]);
  return s.replace(/[\0 ]+$/, '');
}

/**
 * dicom-parser's own Node path needs a Buffer; this one also bounds the output and keeps what
 * a truncated stream yields (sync flush), so a cut file reports where its pixels end.
 */
function inflate(bytes: Uint8Array, position: number): Uint8Array {
  let body: Buffer;
  try {
    body = inflateRawSync(bytes.subarray(position), {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: MAX_INFLATED_BYTES,
    });
  } catch (e) {
    const limit = e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
    throw new PixelError(`deflated data set ${limit ? 'inflates beyond 1 GiB' : `is corrupt: ${describeThrown(e)}`}`, limit ? 'limit' : 'corrupt');
  }
  const full = new Uint8Array(position + body.length);
  full.set(bytes.subarray(0, position));
  full.set(body, position);
  return full;
}
