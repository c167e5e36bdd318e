// Where a version in a History view came from, in words. Two workstations
// that edit a record before they sync both write "the next version", so
// two versions can carry one number: each says it was edited at the same
// time, and on which workstation.

/** What the History views need of a patient or clinical record version. */
export interface VersionOrigin {
  version: number;
  concurrent: boolean;
  /** As the backend names it: "\"Car laptop\"", "…1a2b3c4d", or "" for this workstation. */
  deviceName: string;
}

/**
 * The workstation's name without the backend's quotes (Go %q: JSON-like
 * escapes). A name that has not synced yet stays "…" and the end of its id.
 */
export function workstationName(deviceName: string): string {
  const s = deviceName.trim();
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return s;
  try {
    const name = JSON.parse(s);
    if (typeof name === 'string') return name;
  } catch {
    // A Go escape JSON does not know (\x, \a, \v, \U): keep it readable.
  }
  return s.slice(1, -1);
}

/** "this workstation", "workstation “Car laptop”", or "workstation …1a2b3c4d". */
export function versionSource(v: Pick<VersionOrigin, 'deviceName'>): string {
  const name = workstationName(v.deviceName);
  if (name === '') return 'this workstation';
  return name.startsWith('…') ? `workstation ${name}` : `workstation “${name}”`;
}

/** "Version 2", or "Version 2 — edited at the same time on workstation “Car laptop”". */
export function versionHeading(v: VersionOrigin): string {
  return v.concurrent ? `Version ${v.version} — ${concurrentNote(v)}` : `Version ${v.version}`;
}

/** "edited at the same time on workstation “Car laptop”". */
export function concurrentNote(v: Pick<VersionOrigin, 'deviceName'>): string {
  return `edited at the same time on ${versionSource(v)}`;
}
