// One file's facts, as the shared reference.json files record them (so any DICOM can be
// checked against pydicom), plus a display rendering for the viewer.
import * as path from 'node:path';
import sharp from 'sharp';
import { decodeImage, DecodeError, toDisplay, chooseWindow, applyModalityLut } from './decoders';
import { summarizeFrame, type FrameSummary } from './decoders/summarizeFrame';
import type { ImageHeader } from './decoders';

export interface InspectResult {
  file: string;
  format?: string;
  rows?: number;
  columns?: number;
  samplesPerPixel?: number;
  numberOfFrames?: number;
  photometricInterpretation?: string;
  bitsAllocated?: number;
  bitsStored?: number;
  pixelRepresentation?: number;
  transferSyntax?: string;
  header?: ImageHeader;
  frame0?: FrameSummary;
  warnings?: string[];
  error?: { kind: string; reason: string };
}

export async function inspectFile(file: string, frame = 0): Promise<InspectResult> {
  const name = path.basename(file);
  try {
    const img = await decodeImage({ path: file }, { frame });
    return {
      file: name,
      format: img.format,
      rows: img.height,
      columns: img.width,
      samplesPerPixel: img.samplesPerPixel,
      numberOfFrames: img.numberOfFrames,
      photometricInterpretation: img.photometricInterpretation,
      bitsAllocated: img.bitsAllocated,
      bitsStored: img.bitsStored,
      pixelRepresentation: img.pixelRepresentation,
      transferSyntax: img.transferSyntaxUid || undefined,
      header: img.header,
      frame0: summarizeFrame(img),
      warnings: img.warnings,
    };
  } catch (e) {
    if (e instanceof DecodeError) return { file: name, error: { kind: e.kind, reason: e.reason } };
    throw e;
  }
}

export interface ViewOptions {
  frame?: number;
  windowCenter?: number;
  windowWidth?: number;
  invert?: boolean;
  /** Longest side of the rendered PNG. */
  maxSide?: number;
}

export interface ViewResult {
  file: string;
  width: number;
  height: number;
  numberOfFrames: number;
  frame: number;
  photometricInterpretation: string;
  window: { center: number; width: number } | null;
  /** The window the file itself suggests (or the value range), for "reset". */
  defaultWindow: { center: number; width: number } | null;
  header: ImageHeader;
  warnings: string[];
  png: string;
}

/** Renders a file for the viewer: modality LUT, VOI window, MONOCHROME1 inversion, colour. */
export async function viewFile(file: string, opts: ViewOptions = {}): Promise<ViewResult> {
  const img = await decodeImage({ path: file }, { frame: opts.frame ?? 0 });
  const grey = img.samplesPerPixel === 1 && !img.palette;
  const values = grey ? applyModalityLut(img) : null;
  const defaultWindow = values ? chooseWindow(values, img, {}) : null;
  const window = values ? chooseWindow(values, img, { windowCenter: opts.windowCenter, windowWidth: opts.windowWidth }) : null;
  const shown = toDisplay(img, { windowCenter: window?.center, windowWidth: window?.width });
  let pipeline = sharp(Buffer.from(shown.data.buffer, shown.data.byteOffset, shown.data.byteLength), {
    raw: { width: shown.width, height: shown.height, channels: shown.channels },
  });
  const maxSide = opts.maxSide ?? 1024;
  if (Math.max(shown.width, shown.height) > maxSide) pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside' });
  if (opts.invert) pipeline = pipeline.negate({ alpha: false });
  const png = await pipeline.png().toBuffer();
  return {
    file: path.basename(file),
    width: img.width,
    height: img.height,
    numberOfFrames: img.numberOfFrames,
    frame: img.frame,
    photometricInterpretation: img.photometricInterpretation,
    window: window ? { center: window.center, width: window.width } : null,
    defaultWindow: defaultWindow ? { center: defaultWindow.center, width: defaultWindow.width } : null,
    header: img.header,
    warnings: img.warnings,
    png: `data:image/png;base64,${png.toString('base64')}`,
  };
}
