const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDate(s: string): { y: number; m: number; d: number } | null {
  const match = datePattern.exec(s);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  return { y, m, d };
}

/** Whole years between birthDate (YYYY-MM-DD) and now, or -1 when unreadable or in the future. */
export function ageYears(birthDate: string, now: Date = new Date()): number {
  const months = ageMonths(birthDate, now);
  return months < 0 ? -1 : Math.floor(months / 12);
}

/** Whole months between birthDate and now, or -1. */
export function ageMonths(birthDate: string, now: Date = new Date()): number {
  const b = parseDate(birthDate);
  if (!b) return -1;
  let months = (now.getFullYear() - b.y) * 12 + (now.getMonth() + 1 - b.m);
  if (now.getDate() < b.d) months--;
  return months < 0 ? -1 : months;
}

/** Age as clinicians write it: "42 y", "18 mo", "3 wk" or "5 d"; "" when unknown. */
export function formatAge(birthDate: string, now: Date = new Date()): string {
  const months = ageMonths(birthDate, now);
  if (months < 0) return '';
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} mo`;
  const b = parseDate(birthDate)!;
  const born = new Date(b.y, b.m - 1, b.d);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const days = Math.round((today.getTime() - born.getTime()) / 86_400_000);
  return days >= 14 ? `${Math.floor(days / 7)} wk` : `${days} d`;
}

/** A date of birth as "12 Mar 1980", unambiguous across locales. */
export function formatDate(isoDate: string): string {
  const b = parseDate(isoDate);
  if (!b) return isoDate;
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][b.m - 1];
  return `${b.d} ${month} ${b.y}`;
}

/** A timestamp as "12 Mar 2026 14:05" in local time. */
export function formatDateTime(ts: string): string {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  const pad = (n: number) => String(n).padStart(2, '0');
  const iso = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${formatDate(iso)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
