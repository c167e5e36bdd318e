// Growth charts (package growth through app.Chart.Growth): the CDC 2000
// reference curves and a patient's measurements scored on them.
import * as C from '../../wailsjs/go/app/Chart';
import { call } from './errors';

export type GrowthChartId =
  | 'weight-age-infant'
  | 'length-age-infant'
  | 'head-age-infant'
  | 'weight-length-infant'
  | 'weight-age'
  | 'stature-age'
  | 'bmi-age'
  | 'weight-stature';

export interface GrowthChart {
  id: GrowthChartId;
  title: string;
  /** The CDC set: "birth to 36 months" or "2 to 20 years". */
  ages: string;
  file: string;
  axis: 'age' | 'length';
  measure: 'weight' | 'length' | 'head' | 'bmi';
  xLabel: string;
  xUnit: string;
  yLabel: string;
  yUnit: string;
}

export interface GrowthPoint {
  takenAt: string;
  ageMonths: number;
  x: number;
  y: number;
  /** Missing when the point lies outside the chart; problem says why. */
  score?: { z: number; percentile: number };
  percentileText?: string;
  problem?: string;
}

export interface GrowthSeries {
  chart: GrowthChart;
  sex: string;
  /** "CDC 2000": the chart names the reference it uses. */
  reference: string;
  attribution: string;
  xMin: number;
  xMax: number;
  curves: { percentile: number; points: { x: number; y: number }[] }[];
  points: GrowthPoint[];
}

export const growthSeries = (patientId: string, chart: GrowthChartId) =>
  call(() => C.Growth(patientId, chart) as unknown as Promise<GrowthSeries>);
