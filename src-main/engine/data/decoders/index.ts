/** Image decoding layer: files -> stored pixels -> display pixels -> model input. */
export { decodeImage, type DecodeInput, type DecodeOptions } from './decodeImage';
export { DecodeError, type DecodeErrorKind } from './DecodeError';
export type { DecodedImage, DisplayImage, ImageFormat, ImageHeader, PaletteLut, PhiRecord, PixelArray, WindowOptions } from './DecodedImage';
export { toDisplay, toGrey8 } from './toDisplay';
export { toModelInput } from './toModelInput';
export { applyModalityLut, valueRange } from './applyModalityLut';
export { chooseWindow, applyWindow, type VoiWindow } from './applyVoi';
export { transferSyntaxes } from './transferSyntaxes';
export { TransferSyntaxRegistry, type TransferSyntaxEntry } from './transferSyntaxRegistry';
export { summarizeFrame, type FrameSummary } from './summarizeFrame';
