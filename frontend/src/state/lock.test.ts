import { describe, expect, it } from 'vitest';
import { blankPatient } from '../api/types';
import { auth } from './auth.svelte';
import { chartState } from './chart.svelte';
import { wipeAndShowSignIn } from './lock';
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
