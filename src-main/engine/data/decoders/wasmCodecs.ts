import { createRequire } from 'node:module';
import type * as DcmjsCodecs from 'dcmjs-codecs';
import { PixelError } from './DecodeError';
import type { FrameInfo } from './getImageInfo';
import { probeCodestream } from './probeCodestream';

export type CodecKind = 'jpeg' | 'jpegls' | 'j2k' | 'htj2k' | 'jpegxl';

// Resolved through Node (not source-relative) so it works from source under vitest and from
// the CommonJS bundle electron-vite writes, with node_modules left external.
const nodeRequire = createRequire(import.meta.url);

let codecs: typeof DcmjsCodecs | undefined;
let ready: Promise<typeof DcmjsCodecs> | undefined;

/** Loads dcmjs-codecs' wasm once; the package reads the file itself when given its path. */
function loadCodecs(): Promise<typeof DcmjsCodecs> {
  ready ??= (async () => {
    const mod = (codecs ??= nodeRequire('dcmjs-codecs') as typeof DcmjsCodecs);
    mod.log.setLevel('silent'); // the codecs print every stream error to stderr otherwise
    await mod.NativeCodecs.initializeAsync({
      webAssemblyModulePathOrUrl: nodeRequire.resolve('dcmjs-codecs/build/dcmjs-native-codecs.wasm'),
    });
    return mod;
  })().catch((e: unknown) => {
    ready = undefined;
    throw new PixelError(`cannot load the image codecs: ${e instanceof Error ? e.message : String(e)}`, 'unsupported');
  });
  return ready;
}

/**
 * A codec error is thrown out of the wasm stack as a JS exception, skipping the C++ cleanup:
 * codec state and heap are then unreliable (a later valid stream was seen to hang), so the
 * instance is replaced after any failure (~25 ms), and also once its memory has grown large.
 */
const MAX_WASM_MEMORY = 768 * 1024 * 1024;
function resetIfNeeded(mod: typeof DcmjsCodecs, failed: boolean): void {
  const api = (mod.NativeCodecs as unknown as { wasmApi?: { wasmMemory?: { buffer: ArrayBuffer } } }).wasmApi;
  const size = api?.wasmMemory?.buffer.byteLength ?? 0;
  if (failed || size > MAX_WASM_MEMORY) {
    mod.NativeCodecs.release();
    ready = undefined;
  }
}

/** WebAssembly.RuntimeError (a trap) or a failed memory grow; Node's lib types lack the former. */
function isTrap(e: unknown): boolean {
  const wasm = (globalThis as { WebAssembly?: { RuntimeError?: abstract new () => Error } }).WebAssembly;
  return (wasm?.RuntimeError !== undefined && e instanceof wasm.RuntimeError) || e instanceof RangeError;
}

export async function decodeWithCodec(kind: CodecKind, encoded: Uint8Array, info: FrameInfo): Promise<Uint8Array> {
  checkCodestreamSize(kind, encoded, info);
  // Another decode may have dropped the instance between our await and now: load again.
  let mod = await loadCodecs();
  for (let tries = 0; !mod.NativeCodecs.isInitialized() && tries < 3; tries++) mod = await loadCodecs();
  // YBR_* stays YCbCr as stored (what pydicom returns; the display step converts it). A frame
  // labelled RGB whose JPEG stream is YCbCr (a common writer habit) is converted by libjpeg,
  // as GDCM does; a true RGB stream passes unchanged.
  const params = { convertColorspaceToRgb: info.photometricInterpretation === 'RGB' };
  let out: Uint8Array | undefined;
  try {
    const ctx = new mod.Context({
      width: info.columns,
      height: info.rows,
      bitsAllocated: info.bitsAllocated,
      bitsStored: info.bitsStored,
      samplesPerPixel: info.samplesPerPixel,
      pixelRepresentation: info.pixelRepresentation,
      planarConfiguration: info.planarConfiguration,
      photometricInterpretation: info.photometricInterpretation,
      encodedBuffer: encoded,
    });
    const n = mod.NativeCodecs;
    const result =
      kind === 'jpeg' ? n.decodeJpeg(ctx, params)
      : kind === 'jpegls' ? n.decodeJpegLs(ctx, params)
      : kind === 'j2k' ? n.decodeJpeg2000(ctx, params)
      : kind === 'htj2k' ? n.decodeHtJpeg2000(ctx, params)
      : n.decodeJpegXl(ctx, params);
    out = result.getDecodedBuffer();
    resetIfNeeded(mod, false);
  } catch (e) {
    const trap = isTrap(e);
    resetIfNeeded(mod, true);
    const msg = (e instanceof Error ? e.message : String(e)).slice(0, 200);
    throw new PixelError(`${kind} codestream could not be decoded: ${trap ? `codec aborted (${msg})` : msg}`);
  }
  const bytesPerSample = info.bitsAllocated === 1 ? 1 : info.bitsAllocated / 8;
  const expected = info.rows * info.columns * info.samplesPerPixel * bytesPerSample;
  if (!out || out.length < expected) {
    throw new PixelError(`${kind} codestream decoded to ${out?.length ?? 0} bytes, expected ${expected}`);
  }
  return out.length === expected ? out : out.slice(0, expected);
}

function checkCodestreamSize(kind: CodecKind, encoded: Uint8Array, info: FrameInfo): void {
  if (kind === 'jpegxl') return; // JPEG XL headers are bit-packed; the codec checks them
  const size = probeCodestream(encoded);
  if (!size) throw new PixelError(`${kind} frame has no readable codestream header`);
  // A JPEG may defer its height to a DNL marker (height 0); the width must still agree.
  const heightOk = size.height === info.rows || (kind === 'jpeg' && size.height === 0);
  if (size.width !== info.columns || !heightOk) {
    throw new PixelError(`${kind} codestream is ${size.width} x ${size.height}, the header says ${info.columns} x ${info.rows}`);
  }
  if (size.components !== info.samplesPerPixel) {
    throw new PixelError(`${kind} codestream has ${size.components} component(s), the header says ${info.samplesPerPixel}`);
  }
}
