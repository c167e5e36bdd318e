import { describe, expect, it } from 'vitest';
import shared from '../../../chart/testdata/typed_dates.json';
import { parseTypedDate, type DateOrder } from './typedDate';

// The same cases as chart/dates_test.go: what the form says it understood
// is what the backend stores.
describe('parseTypedDate agrees with the backend', () => {
  const orders: [DateOrder, 'dmy' | 'mdy' | 'none'][] = [
    ['dmy', 'dmy'],
    ['mdy', 'mdy'],
    ['', 'none'],
  ];
  it('has the shared cases', () => expect(shared.cases.length).toBeGreaterThan(20));
  for (const c of shared.cases) {
    for (const [order, key] of orders) {
      const want = c[key];
      it(`${JSON.stringify(c.typed)} read ${key}`, () => {
        const got = parseTypedDate(c.typed, order);
        if (want.startsWith('error:')) {
          expect('error' in got ? got.error : got.iso).toContain(want.slice('error:'.length));
        } else {
          expect(got).toEqual(expect.objectContaining({ iso: want }));
        }
      });
    }
  }
  it('says the date in words', () => {
    expect(parseTypedDate('12 Mar 1980', 'dmy')).toEqual({ iso: '1980-03-12', long: '12 March 1980' });
    expect(parseTypedDate('03/12/1980', 'mdy')).toEqual({ iso: '1980-03-12', long: '12 March 1980' });
  });
});
