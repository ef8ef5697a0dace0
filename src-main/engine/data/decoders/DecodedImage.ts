/** Stored pixel values of one frame, in the type the file stores them (never rescaled). */
export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export type ImageFormat = 'dicom' | 'png' | 'jpeg' | 'tiff' | 'webp' | 'gif';

/** Palette Color lookup tables as stored (PS3.3 C.7.6.3.1.5); `bits` gives the entry range. */
export interface PaletteLut {
  /** Number of entries (a descriptor value of 0 means 65536). */
  entries: number;
  /** First stored pixel value mapped; smaller values map to entry 0. */
  firstMapped: number;
  /** Bits per entry (8 or 16). */
  bits: number;
  red: Uint16Array;
  green: Uint16Array;
  blue: Uint16Array;
}

/**
 * Non-identifying facts for display and for audits (DICOM keywords as keys). Patient sex and
 * age appear only in their strict coded forms (M/F/O, nnnD/W/M/Y), so free text written into
 * those attributes cannot leak through here.
 */
export interface ImageHeader {
  Modality?: string;
  SOPClassUID?: string;
  Manufacturer?: string;
  ManufacturerModelName?: string;
  BodyPartExamined?: string;
  ViewPosition?: string;
  ImageLaterality?: string;
  Laterality?: string;
  PatientOrientation?: string;
  PatientSex?: string;
  PatientAge?: string;
  ImageType?: string;
  ConversionType?: string;
  PresentationIntentType?: string;
  BurnedInAnnotation?: string;
  RecognizableVisualFeatures?: string;
  LossyImageCompression?: string;
  LossyImageCompressionRatio?: number;
  PixelSpacing?: number[];
  ImagerPixelSpacing?: number[];
  KVP?: number;
  RescaleType?: string;
  VOILUTFunction?: string;
  /** Raster only: what sharp reports about the container. */
  rasterSpace?: string;
  rasterDepth?: string;
  rasterHasAlpha?: boolean;
}

/**
 * Identifying attributes (basic de-identification profile, dates, times, instance UIDs, person
 * names), keyed by DICOM keyword or tag (ggggeeee). Callers drop this unless a project keeps it.
 */
export type PhiRecord = Record<string, string>;

export interface DecodedImage {
  format: ImageFormat;
  width: number;
  height: number;
  /** 1 (grey, palette) or 3 (colour); colour samples are always interleaved here. */
  samplesPerPixel: number;
  numberOfFrames: number;
  /** Index of the decoded frame. */
  frame: number;
  /** Stored values of that frame, row-major, samples interleaved, length w*h*spp. */
  pixelData: PixelArray;
  /**
   * As the file declares it. YBR_* data stays in YCbCr (as pydicom returns it) and is expanded
   * to one chroma pair per pixel; toDisplay converts it.
   */
  photometricInterpretation: string;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** First window in the file, if any. */
  windowCenter?: number;
  windowWidth?: number;
  palette?: PaletteLut;
  /** '' for raster images. */
  transferSyntaxUid: string;
  header: ImageHeader;
  phi: PhiRecord;
  /** Oddities that did not stop decoding (padding, parser warnings). */
  warnings: string[];
}

/** 8-bit pixels ready for a screen or a PNG encoder. */
export interface DisplayImage {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Uint8Array;
}

export interface WindowOptions {
  windowCenter?: number;
  windowWidth?: number;
}
