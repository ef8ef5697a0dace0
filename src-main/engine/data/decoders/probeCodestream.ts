/** Size a codestream claims for itself, read from its header without decoding. */
export interface CodestreamSize {
  width: number;
  height: number;
  components: number;
}

/**
 * Reads the JPEG / JPEG-LS frame header (SOFn) or the JPEG 2000 SIZ marker. Codecs allocate
 * from these numbers, so checking them against Rows/Columns first keeps a flipped bit from
 * becoming a gigabyte allocation inside the wasm heap.
 */
export function probeCodestream(b: Uint8Array): CodestreamSize | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xd8) return probeJpeg(b);
  const siz = findJ2kSiz(b);
  return siz === undefined ? undefined : probeJ2k(b, siz);
}

const u16 = (b: Uint8Array, p: number): number => (b[p] << 8) | b[p + 1];
const u32 = (b: Uint8Array, p: number): number => ((b[p] << 24) >>> 0) + (b[p + 1] << 16) + (b[p + 2] << 8) + b[p + 3];

function probeJpeg(b: Uint8Array): CodestreamSize | undefined {
  let p = 2;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return undefined;
    const m = b[p + 1];
    if (m === 0xff) { p++; continue; } // fill byte
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { p += 2; continue; } // no length
    if (m === 0xda || m === 0xd9) return undefined; // scan before any frame header
    const len = u16(b, p + 2);
    const sof = (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7;
    if (sof) {
      if (p + 10 > b.length) return undefined;
      return { height: u16(b, p + 5), width: u16(b, p + 7), components: b[p + 9] };
    }
    p += 2 + len;
  }
  return undefined;
}

/** SIZ follows SOC (FF4F) directly; JP2 files wrap the codestream in boxes, so search a little. */
function findJ2kSiz(b: Uint8Array): number | undefined {
  const limit = Math.min(b.length - 4, 4096);
  for (let p = 0; p <= limit; p++) {
    if (b[p] === 0xff && b[p + 1] === 0x4f && b[p + 2] === 0xff && b[p + 3] === 0x51) return p + 4;
  }
  return undefined;
}

function probeJ2k(b: Uint8Array, p: number): CodestreamSize | undefined {
  if (p + 38 > b.length) return undefined;
  const xsiz = u32(b, p + 4), ysiz = u32(b, p + 8), xo = u32(b, p + 12), yo = u32(b, p + 16);
  return { width: xsiz - xo, height: ysiz - yo, components: u16(b, p + 36) };
}
