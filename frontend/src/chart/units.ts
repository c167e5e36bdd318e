// Vitals units for display. Values are stored in canonical UCUM units; the
// practice chooses the unit people read and type (PracticeUnits). The
// factors match chart/vitals.go exactly so a round trip shows the same figure.
import type { PracticeUnits, VitalField } from '../api/chart';

export const KG_PER_POUND = 0.45359237;
export const CM_PER_INCH = 2.54;

export interface VitalSpec {
  field: VitalField;
  label: string;
  canonical: string;
  /** Decimals a person reads and types. */
  decimals: number;
}

export const vitalSpecs: readonly VitalSpec[] = [
  { field: 'systolic', label: 'Systolic', canonical: 'mm[Hg]', decimals: 0 },
  { field: 'diastolic', label: 'Diastolic', canonical: 'mm[Hg]', decimals: 0 },
  { field: 'heartRate', label: 'Heart rate', canonical: '/min', decimals: 0 },
  { field: 'respiratoryRate', label: 'Respiratory rate', canonical: '/min', decimals: 0 },
  { field: 'temperature', label: 'Temperature', canonical: 'Cel', decimals: 1 },
  { field: 'spo2', label: 'SpO₂', canonical: '%', decimals: 0 },
  { field: 'weight', label: 'Weight', canonical: 'kg', decimals: 1 },
  { field: 'height', label: 'Height', canonical: 'cm', decimals: 1 },
  { field: 'pain', label: 'Pain', canonical: '{score}', decimals: 0 },
  { field: 'headCircumference', label: 'Head circ.', canonical: 'cm', decimals: 1 },
  { field: 'bmi', label: 'BMI', canonical: 'kg/m2', decimals: 1 },
];

export const metricUnits: PracticeUnits = { weight: 'kg', height: 'cm', temperature: 'Cel' };

export function specOf(field: VitalField): VitalSpec {
  const s = vitalSpecs.find((v) => v.field === field);
  if (!s) throw new Error(`unknown vital ${field}`);
  return s;
}

/** The unit field is shown and typed in; an empty practice choice means metric. */
export function displayUnit(field: VitalField, units: PracticeUnits): string {
  if (field === 'weight' || field === 'height' || field === 'temperature') {
    return units[field] || specOf(field).canonical;
  }
  return specOf(field).canonical;
}

/** Converts a canonical value into unit (one of the field's two units). */
export function fromCanonical(field: VitalField, x: number, unit: string): number {
  switch (unit) {
    case '[lb_av]':
      return x / KG_PER_POUND;
    case '[in_i]':
      return x / CM_PER_INCH;
    case '[degF]':
      return (x * 9) / 5 + 32;
    default:
      if (unit !== specOf(field).canonical) throw new Error(`${unit} is not a unit of ${field}`);
      return x;
  }
}

/** Converts a value typed in unit back to the canonical unit. */
export function toCanonical(field: VitalField, x: number, unit: string): number {
  switch (unit) {
    case '[lb_av]':
      return x * KG_PER_POUND;
    case '[in_i]':
      return x * CM_PER_INCH;
    case '[degF]':
      return ((x - 32) * 5) / 9;
    default:
      if (unit !== specOf(field).canonical) throw new Error(`${unit} is not a unit of ${field}`);
      return x;
  }
}

/** How a UCUM unit is printed for people (chart.UnitSymbol). */
export function unitSymbol(ucum: string): string {
  const symbols: Record<string, string> = {
    'mm[Hg]': 'mmHg',
    Cel: '°C',
    '[degF]': '°F',
    '[lb_av]': 'lb',
    '[in_i]': 'in',
    '{score}': '/10',
    'kg/m2': 'kg/m²',
  };
  return symbols[ucum] ?? ucum;
}

/** The canonical value in the practice's unit, rounded for reading. */
export function displayValue(field: VitalField, canonical: number, units: PracticeUnits): number {
  const s = specOf(field);
  const p = 10 ** s.decimals;
  return Math.round(fromCanonical(field, canonical, displayUnit(field, units)) * p) / p;
}

/** "98.6 °F", "72 /min", "7/10", "97%" (chart.FormatVital). */
export function formatVital(field: VitalField, canonical: number, units: PracticeUnits): string {
  const unit = displayUnit(field, units);
  const n = displayValue(field, canonical, units).toFixed(specOf(field).decimals);
  const sym = unitSymbol(unit);
  return unit === '{score}' || unit === '%' ? n + sym : `${n} ${sym}`;
}
