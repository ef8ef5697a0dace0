/** Why a file could not be decoded; lets an import report group skipped files. */
export type DecodeErrorKind =
  | 'io' // could not read the file
  | 'format' // not DICOM nor a raster format we read
  | 'corrupt' // structure is broken (bad lengths, bad codestream, ...)
  | 'truncated' // data ends before what the header promises
  | 'unsupported' // valid but not handled (transfer syntax, bit depth, ...)
  | 'no-image' // a valid file without pixel data (SR, presentation state, ...)
  | 'limit'; // would need more memory than the guard allows

/** The only error decodeImage lets out: names the file and the reason. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';

  constructor(
    readonly file: string,
    readonly reason: string,
    readonly kind: DecodeErrorKind = 'corrupt',
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Thrown inside the pipeline where the file name is not known; decodeImage turns it into a
 * DecodeError. Keeping steps free of file names keeps them reusable.
 */
export class PixelError extends Error {
  constructor(
    message: string,
    readonly kind: DecodeErrorKind = 'corrupt',
  ) {
    super(message);
  }
}

/** dicom-parser throws strings and `{exception, dataSet}` objects, not Errors. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'exception' in e) return describeThrown((e as { exception: unknown }).exception);
  return String(e);
}
