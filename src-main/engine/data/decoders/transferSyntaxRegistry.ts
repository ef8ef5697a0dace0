import type { FrameInfo } from './getImageInfo';
import type { FrameBytes } from './getImageFrame';

/** How the data set around the pixels is encoded. */
export type DatasetEncoding = 'implicitLE' | 'explicitLE' | 'explicitBE' | 'deflatedLE';

/**
 * One transfer syntax: how to parse the data set and how to turn one frame's bytes into
 * little-endian, interleaved stored samples (length rows x columns x spp x bytes per sample;
 * 1-bit data comes back one byte per pixel).
 */
export interface TransferSyntaxEntry {
  uid: string;
  name: string;
  encoding: DatasetEncoding;
  /** Pixel data in fragments (compressed syntaxes). */
  encapsulated: boolean;
  decodeFrame(frame: FrameBytes, info: FrameInfo): Promise<Uint8Array>;
}

/** A typed Map that refuses a second entry for one UID, so registrations cannot drift apart. */
export class TransferSyntaxRegistry {
  private readonly entries = new Map<string, TransferSyntaxEntry>();

  register(entry: TransferSyntaxEntry): void {
    if (this.entries.has(entry.uid)) {
      throw new Error(`transfer syntax ${entry.uid} (${entry.name}) is already registered`);
    }
    this.entries.set(entry.uid, entry);
  }

  get(uid: string): TransferSyntaxEntry | undefined {
    return this.entries.get(uid);
  }

  uids(): string[] {
    return [...this.entries.keys()];
  }
}
