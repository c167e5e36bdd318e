import { describe, expect, it, vi } from 'vitest';
import { decodeError, fieldMessages, genericMessage } from './errors';

describe('decodeError', () => {
  it('reads the JSON string Wails puts in Error.message', () => {
    const e = new Error('{"code":"invalid","message":"Date of birth 2999-01-01 is in the future.","field":"birthDate"}');
    expect(decodeError(e)).toEqual({ code: 'invalid', message: 'Date of birth 2999-01-01 is in the future.', field: 'birthDate' });
  });

  it('reads a bare JSON string rejection, keeping dotted fields', () => {
    expect(decodeError('{"code":"invalid","message":"City is too long.","field":"address.city"}')).toEqual({
      code: 'invalid',
      message: 'City is too long.',
      field: 'address.city',
    });
  });

  it('reads every field problem of a multi-field error', () => {
    const e = new Error(
      '{"code":"invalid","message":"Family name is required.","field":"familyName","fields":[' +
        '{"field":"familyName","message":"Family name is required."},{"field":"birthDate","message":"No day 31."},' +
        '{"field":7,"message":"Odd field."},{"message":""},"junk"]}',
    );
    const got = decodeError(e);
    expect(got.fields).toEqual([
      { field: 'familyName', message: 'Family name is required.' },
      { field: 'birthDate', message: 'No day 31.' },
      { field: '', message: 'Odd field.' },
    ]);
    expect(fieldMessages(got)).toEqual(got.fields);
    expect(fieldMessages({ code: 'invalid', message: 'Bad.', field: 'phone' })).toEqual([{ field: 'phone', message: 'Bad.' }]);
    expect(decodeError('{"code":"invalid","message":"x","fields":"nope"}')).toEqual({ code: 'invalid', message: 'x' });
  });

  it('drops an empty field', () => {
    expect(decodeError('{"code":"conflict","message":"Changed meanwhile.","field":""}')).toEqual({
      code: 'conflict',
      message: 'Changed meanwhile.',
    });
  });

  it('looks through a nested Error cause', () => {
    const inner = new Error('{"code":"locked","message":"Outpost is locked. Sign in to continue."}');
    const outer = new Error('call failed', { cause: inner });
    expect(decodeError(outer)).toEqual({ code: 'locked', message: 'Outpost is locked. Sign in to continue.' });
  });

  it('accepts an already-decoded object', () => {
    expect(decodeError({ code: 'forbidden', message: 'Administrators only.' })).toEqual({
      code: 'forbidden',
      message: 'Administrators only.',
    });
  });

  it.each([
    ['garbage string', 'not json at all'],
    ['truncated JSON', '{"code":"invalid","mess'],
    ['unknown code', '{"code":"teapot","message":"I am a teapot"}'],
    ['missing message', '{"code":"invalid"}'],
    ['JSON array', '["invalid"]'],
    ['Error with a stack-trace message', new Error('TypeError: x is undefined')],
    ['undefined', undefined],
    ['number', 42],
  ])('turns %s into a generic internal error', (_name, input) => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const got = decodeError(input);
    expect(got.code).toBe('internal');
    expect(got.message).toBe(genericMessage);
    expect(got.field).toBeUndefined();
    spy.mockRestore();
  });

  it('never leaks the raw text of an undecodable error', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(decodeError(new Error('sqlite: disk I/O error at /home/x/chart.db')).message).not.toContain('sqlite');
    spy.mockRestore();
  });
});

describe('call', () => {
  it('passes results through', async () => {
    const { call } = await import('./errors');
    expect(await call(async () => 7)).toBe(7);
  });
  it('rejects with the decoded error', async () => {
    const { call } = await import('./errors');
    await expect(call(() => Promise.reject(new Error('{"code":"conflict","message":"Changed meanwhile."}')))).rejects.toEqual({
      code: 'conflict',
      message: 'Changed meanwhile.',
    });
  });
  it('gives up on a call that never settles', async () => {
    const { call, timeoutError } = await import('./errors');
    await expect(call(() => new Promise(() => {}), 20)).rejects.toBe(timeoutError);
  });
});
