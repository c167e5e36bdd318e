// What the document viewer may show. The backend checks every attachment
// (upload, pull, view); the viewer checks again from the bytes themselves,
// so nothing it did not recognise ever gets a Blob URL in the app's origin.

/** The media types the viewer renders, by the bytes each starts with. */
const signatures: [ViewableType, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
];

export type ViewableType = 'application/pdf' | 'image/png' | 'image/jpeg';

export const notViewable = 'This file cannot be shown: it is not a PDF or image.';

/** The type bytes start like, if the viewer renders it. */
export function sniff(bytes: Uint8Array): ViewableType | null {
  const hit = signatures.find(([, sig]) => sig.length <= bytes.length && sig.every((b, i) => bytes[i] === b));
  return hit ? hit[0] : null;
}

/**
 * The type to show bytes as: only when they are a PDF, PNG or JPEG and the
 * declared type agrees. Null means "do not render, do not offer".
 */
export function viewableType(bytes: Uint8Array, declared: string): ViewableType | null {
  const t = sniff(bytes);
  return t !== null && t === declared.trim().toLowerCase() ? t : null;
}
