// dicom-parser ships ambient typings that omit two things this layer relies on.
declare module 'dicom-parser' {
  /** What parseDicom throws when a data set breaks part way: the elements read so far. */
  interface ParseDicomFailure {
    exception: unknown;
    dataSet?: DataSet;
  }
  /** readPart10Header returns the meta group with the offset where the data set starts. */
  interface DataSet {
    position?: number;
  }
}
