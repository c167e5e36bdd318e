// Checks on the enrolment form before anything is sent.

export interface EnrolInput {
  code: string;
  deviceName: string;
}

/** Field errors keyed "code" / "deviceName"; empty when the input can be sent. */
export function enrolErrors(v: EnrolInput): Record<string, string> {
  const errs: Record<string, string> = {};
  const code = v.code.trim();
  if (!code) errs.code = 'Paste the enrolment code from the practice server.';
  else if (/\s/.test(code)) errs.code = 'The code is one word with no spaces; copy it again in one piece.';
  if (!v.deviceName.trim()) errs.deviceName = 'Give this workstation a name so the administrator can recognise it.';
  else if (v.deviceName.trim().length > 80) errs.deviceName = 'Keep the name under 80 characters.';
  return errs;
}

/** Routes a backend error to the input it is about, else to the form. */
export function enrolFieldOf(field: string | undefined): 'code' | 'deviceName' | '' {
  if (!field) return '';
  if (/code/i.test(field)) return 'code';
  if (/device|name/i.test(field)) return 'deviceName';
  return '';
}
