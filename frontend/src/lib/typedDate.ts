// Reading a date as people type it, the way the backend does (chart.ParseDate):
// the patient form shows "understood as 12 March 1980" while the date is
// typed, and sends the date as YYYY-MM-DD. The cases both sides must agree
// on live in chart/testdata/typed_dates.json.

/** How a practice writes numeric dates; '' when not chosen. */
export type DateOrder = 'dmy' | 'mdy' | '';

export type TypedDate = { iso: string; long: string } | { error: string };

const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const monthByName: Record<string, number> = { sept: 9 };
months.forEach((m, i) => {
  monthByName[m.toLowerCase()] = i + 1;
  monthByName[m.slice(0, 3).toLowerCase()] = i + 1;
});

const isDigits = (s: string) => /^[0-9]+$/.test(s);

/** "12 March 1980" (a month by name cannot be misread). */
export function longDate(y: number, m: number, d: number): string {
  return `${d} ${months[m - 1]} ${y}`;
}

const shortDate = (y: number, m: number, d: number) => `${d} ${months[m - 1].slice(0, 3)} ${y}`;

function pattern(order: DateOrder): string {
  return order === 'mdy' ? 'month/day/year' : 'day/month/year';
}

function example(order: DateOrder): string {
  return order === 'mdy' ? '03/12/1980 (month/day/year)' : '12/03/1980 (day/month/year)';
}

function tokens(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[\s/.,-]+/u)
    .filter(Boolean)
    .map((t) => {
      for (const suf of ['st', 'nd', 'rd', 'th']) {
        const n = t.endsWith(suf) ? t.slice(0, -suf.length) : '';
        if (n && isDigits(n)) return n;
      }
      return t;
    });
}

/**
 * parseTypedDate reads 1980-03-12, 1980-3-12, 12 Mar 1980, March 12, 1980 or
 * 03/12/1980 (in order) and returns the date, or why it cannot. label starts
 * the messages ("Date of birth").
 */
export function parseTypedDate(typed: string, order: DateOrder, label = 'Date of birth'): TypedDate {
  const s = typed.trim();
  const formatError = { error: `${label} is not a date Outpost can read. Type it as 12 Mar 1980, ${example(order)}, or 1980-03-12.` };
  const yearError = { error: `${label} ${s} needs the year in four digits (1980, not 80), e.g. ${example(order)}.` };
  const t = tokens(s);
  if (t.length !== 3) return formatError;
  let named = -1;
  let month = 0;
  for (let i = 0; i < 3; i++) {
    if (isDigits(t[i])) continue;
    const m = monthByName[t[i]];
    if (m === undefined || named >= 0) return formatError;
    named = i;
    month = m;
  }
  if (named >= 0) {
    const nums = t.filter((_, i) => i !== named);
    if (nums[1].length === 4 && nums[0].length <= 2) return checked(label, +nums[1], month, +nums[0]);
    if (nums[0].length === 4 && nums[1].length <= 2) return checked(label, +nums[0], month, +nums[1]);
    return yearError;
  }
  const [a, b, c] = t;
  if (a.length === 4 && b.length <= 2 && c.length <= 2) return checked(label, +a, +b, +c);
  if (a.length <= 2 && b.length <= 2 && c.length === 4) return numeric(label, s, +a, +b, +c, order);
  if (a.length <= 2 && b.length <= 2 && c.length <= 2) return yearError;
  return formatError;
}

function numeric(label: string, typed: string, a: number, b: number, y: number, order: DateOrder): TypedDate {
  const otherOrder = (m: number, d: number): TypedDate => ({
    error: `${label} ${typed} is not a date when read ${pattern(order)}, this practice's order. If you meant ${longDate(y, m, d)}, type ${shortDate(y, m, d)}.`,
  });
  if (order === 'dmy') return b > 12 && a <= 12 ? otherOrder(a, b) : checked(label, y, b, a);
  if (order === 'mdy') return a > 12 && b <= 12 ? otherOrder(b, a) : checked(label, y, a, b);
  if (a === b || (a > 12 && b <= 12)) return checked(label, y, b, a);
  if (b > 12 && a <= 12) return checked(label, y, a, b);
  return {
    error: `${label} ${typed} could be read day first or month first. Type the month as a word (12 Mar 1980) or the year first (1980-03-12).`,
  };
}

function checked(label: string, y: number, m: number, d: number): TypedDate {
  if (m < 1 || m > 12) return { error: `${label} has no month ${m}; months run from 1 to 12.` };
  const real = new Date(Date.UTC(y, m - 1, d));
  if (d < 1 || d > 31 || real.getUTCDate() !== d) return { error: `${label}: ${months[m - 1]} ${y} has no day ${d}.` };
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return { iso: `${p(y, 4)}-${p(m)}-${p(d)}`, long: longDate(y, m, d) };
}
