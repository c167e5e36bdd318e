import { describe, expect, it } from 'vitest';
import { versionHeading, versionSource, workstationName } from './versions';

describe('workstationName', () => {
  it('takes off the quotes the backend puts around a name, and its escapes', () => {
    expect(workstationName('"Car laptop"')).toBe('Car laptop');
    expect(workstationName('"Dr \\"Lee\\" exam room"')).toBe('Dr "Lee" exam room');
    expect(workstationName('"Café Ü"')).toBe('Café Ü');
  });
  it('keeps a name JSON cannot read, and an id end, as they are', () => {
    expect(workstationName('"bell\\a"')).toBe('bell\\a');
    expect(workstationName('…1a2b3c4d')).toBe('…1a2b3c4d');
    expect(workstationName('')).toBe('');
  });
});

describe('versionSource and versionHeading', () => {
  it('say which workstation wrote a version', () => {
    expect(versionSource({ deviceName: '' })).toBe('this workstation');
    expect(versionSource({ deviceName: '"Car laptop"' })).toBe('workstation “Car laptop”');
    expect(versionSource({ deviceName: '…1a2b3c4d' })).toBe('workstation …1a2b3c4d');
  });
  it('mark a version edited at the same time as another, with where', () => {
    expect(versionHeading({ version: 2, concurrent: false, deviceName: '"Car laptop"' })).toBe('Version 2');
    expect(versionHeading({ version: 2, concurrent: true, deviceName: '"Car laptop"' })).toBe(
      'Version 2 — edited at the same time on workstation “Car laptop”',
    );
    expect(versionHeading({ version: 2, concurrent: true, deviceName: '' })).toBe(
      'Version 2 — edited at the same time on this workstation',
    );
  });
});
