// The practice's results review inbox (app.Chart.ReviewInbox).
import * as C from '../../wailsjs/go/app/Chart';
import type { Result } from './chart';
import type { PatientSummary } from './types';
import { call } from './errors';

/** Where a record from outside came from (chart.SourceRef). */
export interface Origin {
  system: string;
  type: string;
  id: string;
  importId: string;
  importedAt: string;
  external?: boolean;
}

export type ReviewResult = Result & { origin?: Origin | null; reportName?: string; performer?: string };

export interface ReviewItem {
  result: ReviewResult;
  patient: PatientSummary;
}

export const reviewInbox = () =>
  call(() => C.ReviewInbox() as Promise<unknown>).then((r) => ((r as ReviewItem[] | null) ?? []));
