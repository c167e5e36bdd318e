// Printable documents: the backend renders a PDF (nothing touches the disk)
// and audits the export; the UI shows it and lets the user print or save it.
import * as Print from '../../wailsjs/go/app/Print';
import { decodeError } from './errors';

export interface Printout {
  fileName: string;
  pdfBase64: string;
}

async function call(p: Promise<unknown>): Promise<Printout> {
  try {
    return (await p) as Printout;
  } catch (e) {
    throw decodeError(e);
  }
}

export const printVisitSummary = (patientId: string, encounterId: string) =>
  call(Print.VisitSummary(patientId, encounterId));
export const printImmunizationRecord = (patientId: string) => call(Print.ImmunizationRecord(patientId));
export const printPrescription = (patientId: string, medicationId: string) =>
  call(Print.Prescription(patientId, medicationId));
export const printHomeVisitSheet = (patientIds: string[]) => call(Print.HomeVisitSheet(patientIds));

/** Turns a printout into a Blob URL the caller must revoke when done. */
export function printoutURL(p: Printout): string {
  const bin = atob(p.pdfBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}
