import type { DataSet } from 'dicom-parser';
import type { ImageHeader, PhiRecord } from './DecodedImage';
import { readNumberString, readNumberStrings, readString } from './readValues';

type Kind = 'string' | 'number' | 'numbers';

/** Facts safe to keep in a project: none of them is in the basic de-identification profile. */
const FACTS: ReadonlyArray<readonly [string, keyof ImageHeader, Kind]> = [
  ['x00080060', 'Modality', 'string'],
  ['x00080016', 'SOPClassUID', 'string'],
  ['x00080070', 'Manufacturer', 'string'],
  ['x00081090', 'ManufacturerModelName', 'string'],
  ['x00180015', 'BodyPartExamined', 'string'],
  ['x00185101', 'ViewPosition', 'string'],
  ['x00200062', 'ImageLaterality', 'string'],
  ['x00200060', 'Laterality', 'string'],
  ['x00200020', 'PatientOrientation', 'string'],
  ['x00080008', 'ImageType', 'string'],
  ['x00080064', 'ConversionType', 'string'],
  ['x00080068', 'PresentationIntentType', 'string'],
  ['x00280301', 'BurnedInAnnotation', 'string'],
  ['x00280302', 'RecognizableVisualFeatures', 'string'],
  ['x00282110', 'LossyImageCompression', 'string'],
  ['x00282112', 'LossyImageCompressionRatio', 'number'],
  ['x00280030', 'PixelSpacing', 'numbers'],
  ['x00181164', 'ImagerPixelSpacing', 'numbers'],
  ['x00180060', 'KVP', 'number'],
  ['x00281054', 'RescaleType', 'string'],
  ['x00281056', 'VOILUTFunction', 'string'],
];

/** Identifying attributes by tag (PS3.15 Table E.1-1, the ones found in radiographs). */
const PHI: Record<string, string> = {
  x00020003: 'MediaStorageSOPInstanceUID', x00020016: 'SourceApplicationEntityTitle',
  x00080012: 'InstanceCreationDate', x00080013: 'InstanceCreationTime', x00080014: 'InstanceCreatorUID',
  x00080018: 'SOPInstanceUID', x00080020: 'StudyDate', x00080021: 'SeriesDate', x00080022: 'AcquisitionDate',
  x00080023: 'ContentDate', x0008002a: 'AcquisitionDateTime', x00080030: 'StudyTime', x00080031: 'SeriesTime',
  x00080032: 'AcquisitionTime', x00080033: 'ContentTime', x00080050: 'AccessionNumber', x00080080: 'InstitutionName',
  x00080081: 'InstitutionAddress', x00080090: 'ReferringPhysicianName', x00080092: 'ReferringPhysicianAddress',
  x00080094: 'ReferringPhysicianTelephoneNumbers', x00081010: 'StationName', x00081030: 'StudyDescription',
  x0008103e: 'SeriesDescription', x00081040: 'InstitutionalDepartmentName', x00081048: 'PhysiciansOfRecord',
  x00081050: 'PerformingPhysicianName', x00081060: 'NameOfPhysiciansReadingStudy', x00081070: 'OperatorsName',
  x00081080: 'AdmittingDiagnosesDescription', x00082111: 'DerivationDescription', x00100010: 'PatientName',
  x00100020: 'PatientID', x00100021: 'IssuerOfPatientID', x00100030: 'PatientBirthDate', x00100032: 'PatientBirthTime',
  x00100040: 'PatientSex', x00101000: 'OtherPatientIDs', x00101001: 'OtherPatientNames', x00101005: 'PatientBirthName',
  x00101010: 'PatientAge', x00101020: 'PatientSize', x00101030: 'PatientWeight', x00101040: 'PatientAddress',
  x00101060: 'PatientMotherBirthName', x00102154: 'PatientTelephoneNumbers', x00102160: 'EthnicGroup',
  x00102180: 'Occupation', x001021b0: 'AdditionalPatientHistory', x00104000: 'PatientComments',
  x00181000: 'DeviceSerialNumber', x00181002: 'DeviceUID', x00181030: 'ProtocolName', x0020000d: 'StudyInstanceUID',
  x0020000e: 'SeriesInstanceUID', x00200010: 'StudyID', x00200052: 'FrameOfReferenceUID', x00204000: 'ImageComments',
  x00321032: 'RequestingPhysician', x00321060: 'RequestedProcedureDescription', x00324000: 'StudyComments',
  x00380010: 'AdmissionID', x00400253: 'PerformedProcedureStepID', x00400254: 'PerformedProcedureStepDescription',
  x00401001: 'RequestedProcedureID',
};

/** Any top-level value of these VRs is treated as identifying, listed or not. */
const PHI_VRS = new Set(['PN', 'DA', 'DT', 'TM']);
const STRING_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
/** UIDs that name a class or syntax, not a patient or study. */
const NON_INSTANCE_UIDS = new Set(['x00020002', 'x00020010', 'x00020012', 'x00080016']);

/** Printable, bounded: header values end up in UIs and reports. */
const clean = (s: string): string => s.replace(/[^\x20-\x7e\u00a0-\uffff]/g, '').trim().slice(0, 64);

export function readHeaderFacts(ds: DataSet): ImageHeader {
  const header: ImageHeader = {};
  const h = header as Record<string, unknown>;
  for (const [tag, key, kind] of FACTS) {
    if (kind === 'string') {
      const v = readString(ds, tag);
      if (v !== undefined && clean(v) !== '') h[key] = clean(v);
    } else if (kind === 'number') {
      const v = readNumberString(ds, tag);
      if (v !== undefined) h[key] = v;
    } else {
      const v = readNumberStrings(ds, tag);
      if (v !== undefined) h[key] = v;
    }
  }
  // Demographics for subgroup audits, only in their coded forms so no free text slips through.
  const sex = readString(ds, 'x00100040')?.trim().toUpperCase();
  if (sex === 'M' || sex === 'F' || sex === 'O') header.PatientSex = sex;
  const age = readString(ds, 'x00101010')?.trim().toUpperCase();
  if (age !== undefined && /^\d{3}[DWMY]$/.test(age)) header.PatientAge = age;
  return header;
}

/**
 * Identifying values, kept apart so callers can drop them: the listed attributes, any person
 * name, date or time, instance UIDs, and string values of private tags.
 */
export function readPhi(ds: DataSet): PhiRecord {
  const phi: PhiRecord = {};
  for (const [tag, el] of Object.entries(ds.elements)) {
    const group = parseInt(tag.slice(1, 5), 16);
    const isPrivate = group % 2 === 1;
    const vr = el.vr;
    const listed = PHI[tag];
    const byVr = vr !== undefined && (PHI_VRS.has(vr) || (vr === 'UI' && !NON_INSTANCE_UIDS.has(tag)));
    const privateText = isPrivate && vr !== undefined && STRING_VRS.has(vr);
    if (!listed && !byVr && !privateText) continue;
    const v = readString(ds, tag);
    if (v !== undefined) phi[listed ?? tag] = v.slice(0, 1024);
  }
  return phi;
}
