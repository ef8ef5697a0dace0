import type { DataSet } from 'dicom-parser';
import { readNumberString } from './readValues';

/** Modality LUT as a linear rescale; absent or unusable values mean identity. */
export function getScalingParameters(ds: DataSet, warnings: string[]): { slope: number; intercept: number } {
  let slope = readNumberString(ds, 'x00281053') ?? 1;
  const intercept = readNumberString(ds, 'x00281052') ?? 0;
  if (slope === 0) {
    warnings.push('RescaleSlope is 0, ignored');
    slope = 1;
  }
  if (ds.elements.x00283000) warnings.push('Modality LUT Sequence present but not applied (only rescale is)');
  return { slope, intercept };
}

/** First VOI window of the file; a width below 1 is invalid (PS3.3 C.11.2.1.2) and dropped. */
export function getWindow(ds: DataSet): { windowCenter?: number; windowWidth?: number } {
  const windowCenter = readNumberString(ds, 'x00281050');
  const windowWidth = readNumberString(ds, 'x00281051');
  if (windowCenter === undefined || windowWidth === undefined || windowWidth < 1) return {};
  return { windowCenter, windowWidth };
}

