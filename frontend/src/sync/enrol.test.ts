import { describe, expect, it } from 'vitest';
import { enrolErrors, enrolFieldOf } from './enrol';

describe('enrolErrors', () => {
  it('accepts a pasted code with surrounding whitespace and a name', () => {
    expect(enrolErrors({ code: '  AQx-_9abc\n', deviceName: 'Front desk PC' })).toEqual({});
  });
  it('asks for both inputs in words', () => {
    const e = enrolErrors({ code: ' ', deviceName: '' });
    expect(e.code).toMatch(/Paste the enrolment code/);
    expect(e.deviceName).toMatch(/name/);
  });
  it('spots a code broken over two lines', () => {
    expect(enrolErrors({ code: 'AQx abc', deviceName: 'x' }).code).toMatch(/one piece/);
  });
  it('routes backend field errors to the right input', () => {
    expect(enrolFieldOf('code')).toBe('code');
    expect(enrolFieldOf('enrolmentCode')).toBe('code');
    expect(enrolFieldOf('deviceName')).toBe('deviceName');
    expect(enrolFieldOf(undefined)).toBe('');
    expect(enrolFieldOf('server')).toBe('');
  });
});
