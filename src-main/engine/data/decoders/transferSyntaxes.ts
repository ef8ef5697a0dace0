import { decodeNative } from './decodeNative';
import { decodeRle } from './decodeRle';
import { decodeWithCodec } from './wasmCodecs';
import { TransferSyntaxRegistry, type DatasetEncoding, type TransferSyntaxEntry } from './transferSyntaxRegistry';

export const DEFLATED_EXPLICIT_LE = '1.2.840.10008.1.2.1.99';

const native = (uid: string, name: string, encoding: DatasetEncoding): TransferSyntaxEntry => ({
  uid,
  name,
  encoding,
  encapsulated: false,
  decodeFrame: async (frame, info) => decodeNative(frame, info, encoding === 'explicitBE'),
});

const codec = (uid: string, name: string, kind: Parameters<typeof decodeWithCodec>[0]): TransferSyntaxEntry => ({
  uid,
  name,
  encoding: 'explicitLE',
  encapsulated: true,
  decodeFrame: (frame, info) => decodeWithCodec(kind, frame.data, info),
});

/**
 * Every transfer syntax this layer decodes. Anything else (video, JPIP, private UIDs) is
 * refused as unsupported before the data set is parsed, because its encoding is unknown.
 */
export const transferSyntaxes = new TransferSyntaxRegistry();

for (const entry of [
  native('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'implicitLE'),
  native('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'explicitLE'),
  native(DEFLATED_EXPLICIT_LE, 'Deflated Explicit VR Little Endian', 'deflatedLE'),
  native('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'explicitBE'),
  {
    uid: '1.2.840.10008.1.2.5',
    name: 'RLE Lossless',
    encoding: 'explicitLE',
    encapsulated: true,
    decodeFrame: async (frame, info) => decodeRle(frame.data, info),
  } satisfies TransferSyntaxEntry,
  codec('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg'),
  codec('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg'),
  codec('1.2.840.10008.1.2.4.57', 'JPEG Lossless (Process 14)', 'jpeg'),
  codec('1.2.840.10008.1.2.4.70', 'JPEG Lossless (Process 14, SV1)', 'jpeg'),
  codec('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpegls'),
  codec('1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless', 'jpegls'),
  codec('1.2.840.10008.1.2.4.90', 'JPEG 2000 Lossless', 'j2k'),
  codec('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'j2k'),
  codec('1.2.840.10008.1.2.4.201', 'HTJ2K Lossless', 'htj2k'),
  codec('1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL', 'htj2k'),
  codec('1.2.840.10008.1.2.4.203', 'HTJ2K', 'htj2k'),
  codec('1.2.840.10008.1.2.4.110', 'JPEG XL Lossless', 'jpegxl'),
  codec('1.2.840.10008.1.2.4.111', 'JPEG XL JPEG Recompression', 'jpegxl'),
  codec('1.2.840.10008.1.2.4.112', 'JPEG XL', 'jpegxl'),
]) {
  transferSyntaxes.register(entry);
}
