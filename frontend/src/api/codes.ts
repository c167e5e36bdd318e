// The code lists shipped inside Outpost (ICD-10-CM, CVX, RxNorm), searched
// as the user types, fully offline.
import * as K from '../../wailsjs/go/app/Codes';
import { call } from './errors';

export interface Code {
  system: string;
  code: string;
  display: string;
  detail?: string;
  billable?: boolean;
  status?: string;
}

export type CodeList = 'icd10' | 'cvx' | 'rxnorm';

const searchers: Record<CodeList, (q: string) => Promise<unknown>> = {
  icd10: K.ICD10,
  cvx: K.CVX,
  rxnorm: K.RxNorm,
};

export const search = (list: CodeList, query: string) =>
  call(() => searchers[list](query) as Promise<Code[] | null>).then((r) => r ?? []);

export const attribution = () => call(() => K.Attribution());
