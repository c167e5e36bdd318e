import { describe, expect, it } from 'vitest';
import { blankPatient } from '../api/types';
import { chartState, clearChartState, onChartClear } from './chart.svelte';

describe('clearChartState', () => {
  it('empties every piece of patient data', () => {
    const p = { ...blankPatient(), id: 'p1', familyName: 'Okafor', givenName: 'Ada', birthDate: '1980-03-12' };
    chartState.query = 'oka';
    chartState.results = [{ id: 'p1', mrn: '123', givenName: 'Ada', familyName: 'Okafor', preferredName: '', birthDate: '1980-03-12', sex: 'female', phone: '' }];
    chartState.highlighted = 0;
    chartState.patient = p;
    chartState.history = [{ patient: p, changeId: 'c1', version: 1, concurrent: false, deviceName: '', changedAt: '', changedBy: 'u', changedByName: 'Dr Lee' }];
    chartState.draft = { ...p, phone: '555' };

    clearChartState();

    expect(chartState).toEqual({ query: '', results: [], highlighted: -1, patient: null, history: [], draft: null });
    expect(JSON.stringify(chartState)).not.toMatch(/Okafor|Ada|1980/);
  });

  it('runs the wipes registered by other chart modules, until they unregister', () => {
    let allergies: string[] = ['penicillin'];
    const off = onChartClear(() => (allergies = []));
    clearChartState();
    expect(allergies).toEqual([]);
    off();
    allergies = ['latex'];
    clearChartState();
    expect(allergies).toEqual(['latex']);
  });
});
