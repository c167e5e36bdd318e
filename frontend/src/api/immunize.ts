// The CDSi immunization forecast of a patient (cdsi.ChartForecast): each
// vaccine group's status and dates, and how each dose was evaluated.
import * as C from '../../wailsjs/go/app/Chart';
import { call } from './errors';

export interface DoseResult {
  id: string;
  date: string;
  cvx: string;
  /** Valid | Not Valid | Extraneous */
  status: string;
  reason?: string;
}

export interface GroupForecast {
  vaccineGroup: string;
  /** Not Complete | Complete | Aged Out | Immune | Contraindicated */
  status: string;
  doseNumber?: number;
  earliest?: string;
  recommended?: string;
  pastDue?: string;
  latest?: string;
  series?: string[];
  doses: DoseResult[] | null;
}

export interface ChartForecast {
  asOf: string;
  groups: GroupForecast[] | null;
  skipped?: string[] | null;
  source: string;
}

export const immunizationForecast = (patientId: string) =>
  call(() => C.ImmunizationForecast(patientId) as unknown as Promise<ChartForecast>);
