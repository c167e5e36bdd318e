import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64 } from './base64';

describe('base64', () => {
  it('encodes an ArrayBuffer like Go encodes []byte', () => {
    expect(bytesToBase64(new Uint8Array([0, 255, 128, 1]))).toBe('AP+AAQ==');
    expect(bytesToBase64(new TextEncoder().encode('%PDF-1.4').buffer)).toBe('JVBERi0xLjQ=');
    expect(bytesToBase64(new ArrayBuffer(0))).toBe('');
  });

  it('round-trips every byte value, across chunk boundaries', () => {
    const bytes = new Uint8Array(100_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const back = base64ToBytes(bytesToBase64(bytes.buffer));
    expect(back.length).toBe(bytes.length);
    expect(back.every((b, i) => b === bytes[i])).toBe(true);
  });
});
