import { describe, expect, it } from 'vitest';
import { sniff, viewableType } from './viewable';

const enc = (s: string) => new TextEncoder().encode(s);
const pdf = enc('%PDF-1.4\n1 0 obj <<>> endobj\n');
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);
const html = enc('<!doctype html><script>parent.document.title="pwned"</script>');

describe('viewableType', () => {
  it('shows PDFs, PNGs and JPEGs whose bytes match the declared type', () => {
    expect(viewableType(pdf, 'application/pdf')).toBe('application/pdf');
    expect(viewableType(png, 'image/png')).toBe('image/png');
    expect(viewableType(jpeg, ' IMAGE/JPEG')).toBe('image/jpeg');
  });

  it('refuses HTML, SVG and anything whose bytes disagree with its type', () => {
    expect(viewableType(html, 'text/html')).toBeNull();
    expect(viewableType(html, 'application/pdf')).toBeNull();
    expect(viewableType(enc('<svg><script>alert(1)</script></svg>'), 'image/svg+xml')).toBeNull();
    expect(viewableType(pdf, 'text/html')).toBeNull();
    expect(viewableType(pdf, 'image/png')).toBeNull();
    expect(viewableType(new Uint8Array(), 'application/pdf')).toBeNull();
    expect(viewableType(enc('%PD'), 'application/pdf')).toBeNull();
  });

  it('sniffs by signature only', () => {
    expect(sniff(html)).toBeNull();
    expect(sniff(png)).toBe('image/png');
  });
});
