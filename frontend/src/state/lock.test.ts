import { describe, expect, it } from 'vitest';
import { blankPatient } from '../api/types';
import { auth } from './auth.svelte';
import { chartState } from './chart.svelte';
import { beforeLock, flushDrafts, lockNow, wipeAndShowSignIn } from './lock';
import { go, nav } from './route.svelte';

describe('wipeAndShowSignIn', () => {
  it('drops patient data and the signed-in user, keeps the username for the sign-in form', () => {
    auth.user = { id: 'u1', username: 'kim', fullName: 'Kim Nurse', role: 'nurse', active: true, createdAt: '', updatedAt: '' };
    auth.practice = { id: 'pr', name: 'Riverbend', idleLockMinutes: 10, createdAt: '' };
    auth.phase = 'signed-in';
    chartState.patient = { ...blankPatient(), id: 'p1', familyName: 'Okafor' };
    chartState.query = 'oka';
    go({ name: 'patient', id: 'p1', tab: 'history' });

    wipeAndShowSignIn('idle');

    expect(chartState.patient).toBeNull();
    expect(chartState.query).toBe('');
    expect(nav.route).toEqual({ name: 'list' });
    expect(auth.user).toBeNull();
    expect(auth.practice).toBeNull();
    expect(auth.phase).toBe('sign-in');
    expect(auth.lastUsername).toBe('kim');
    expect(auth.notice).toMatch(/locked/i);
  });
});

describe('lockNow', () => {
  const signedIn = () => {
    auth.user = { id: 'u1', username: 'kim', fullName: 'Kim Nurse', role: 'nurse', active: true, createdAt: '', updatedAt: '' };
    auth.phase = 'signed-in';
  };

  it('saves every pending draft before the backend drops the key', async () => {
    signedIn();
    const order: string[] = [];
    const slowSave = () => new Promise<void>((r) => setTimeout(() => (order.push('draft saved'), r()), 30));
    const offA = beforeLock(slowSave);
    const offB = beforeLock(async () => void order.push('other draft saved'));
    await lockNow('manual', true, async () => void order.push(`backend locked (screen ${auth.phase})`));
    offA();
    offB();
    expect(order).toEqual(['other draft saved', 'draft saved', 'backend locked (screen sign-in)']);
  });

  it('a second trigger while locking joins the first: the backend is told once', async () => {
    signedIn();
    let locks = 0;
    const off = beforeLock(() => new Promise((r) => setTimeout(r, 20)));
    const backend = async () => void locks++;
    await Promise.all([lockNow('manual', true, backend), lockNow('idle', true, backend)]);
    off();
    expect(locks).toBe(1);
  });

  it('does not tell the backend when the backend locked first, and still wipes', async () => {
    signedIn();
    let told = false;
    await lockNow('idle', false, async () => void (told = true));
    expect(told).toBe(false);
    expect(auth.phase).toBe('sign-in');
  });
});

describe('flushDrafts', () => {
  it('a save that never answers does not keep the chart on screen', async () => {
    const off = beforeLock(() => new Promise(() => {}));
    await flushDrafts(50); // resolves: vitest fails the test if it hangs
    off();
  });
});
