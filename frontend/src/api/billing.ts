// The practice's service codes and fees, superbills and a day's totals
// (app.Billing). Outpost ships no codes: CPT is licensed.
import * as B from '../../wailsjs/go/app/Billing';
import type { chart } from '../../wailsjs/go/models';
import { toWire, type Coded, type Meta } from './chart';
import { notifyChanged } from './changed';
import { call } from './errors';
import type { Printout } from './print';

export interface ServiceCode {
  id: string;
  version: number;
  code: string;
  description: string;
  feeCents: number;
  active: boolean;
}

export interface SuperbillLine {
  code: string;
  description: string;
  feeCents: number;
  units: number;
}

export interface Superbill extends Meta {
  encounterId: string;
  date: string;
  diagnoses: Coded[];
  lines: SuperbillLine[];
  totalCents: number;
}

export interface ServiceTotal {
  code: string;
  description: string;
  units: number;
  totalCents: number;
}

export interface DayTotals {
  date: string;
  superbills: number;
  totalCents: number;
  byCode: ServiceTotal[];
  unopened: number;
}

/** "$1,234.50" from cents, as the backend prints it. */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}$${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Cents from a typed amount ("75", "75.5", "$1,075.50"); NaN when it is not one. */
export function parseMoney(typed: string): number {
  const s = typed.replace(/[$,\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return NaN;
  const [d, c = ''] = s.split('.');
  return Number(d) * 100 + Number(c.padEnd(2, '0'));
}

export const serviceCodes = () => call(() => B.ServiceCodes() as Promise<unknown>).then((r) => (r as ServiceCode[] | null) ?? []);
export const saveServiceCode = (c: ServiceCode) =>
  call(() => B.SaveServiceCode(toWire(c) as unknown as chart.ServiceCode) as Promise<unknown> as Promise<ServiceCode>);
export const superbills = (patientId: string) =>
  call(() => B.Superbills(patientId) as Promise<unknown>).then((r) => (r as Superbill[] | null) ?? []);
export const saveSuperbill = (b: Superbill) =>
  call(() => B.SaveSuperbill(toWire(b) as unknown as chart.Superbill) as Promise<unknown> as Promise<Superbill>).then((r) => (notifyChanged(), r));
export const dayTotals = (date: string) => call(() => B.DayTotals(date) as Promise<unknown> as Promise<DayTotals>);
export const printSuperbill = (patientId: string, superbillId: string) =>
  call(() => B.PrintSuperbill(patientId, superbillId) as Promise<unknown> as Promise<Printout>);
