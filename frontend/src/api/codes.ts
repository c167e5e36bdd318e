// The vocabularies shipped inside Outpost (ICD-10-CM, CVX, RxNorm, LOINC,
// allergens), searched as the user types, fully offline.
import * as K from '../../wailsjs/go/app/Codes';
import { call } from './errors';

export interface Code {
  system: string;
  code: string;
  display: string;
  detail?: string;
  billable?: boolean;
  status?: string;
  /** What the entry is, in words: "clinical drug", "ingredient", "drug class", "lab test"… */
  kind?: string;
  /** RxNorm ingredients of a drug or brand. */
  ingredients?: Code[];
  /** UCUM unit of a LOINC test. */
  unit?: string;
  /** Where a curated entry comes from. */
  source?: string;
}

export interface Version {
  name: string;
  release: string;
  entries: number;
  note: string;
}

/** icd10 diagnoses, cvx vaccines, rxnorm drugs, allergen substances and classes, loinc lab tests. */
export type CodeList = 'icd10' | 'cvx' | 'rxnorm' | 'allergen' | 'loinc';

const searchers: Record<CodeList, (q: string) => Promise<unknown>> = {
  icd10: K.ICD10,
  cvx: K.CVX,
  rxnorm: K.RxNorm,
  allergen: K.Allergens,
  loinc: K.LOINC,
};

export const search = (list: CodeList, query: string) =>
  call(() => searchers[list](query) as Promise<Code[] | null>).then((r) => r ?? []);

export const attribution = () => call(() => K.Attribution());

export const versions = () => call(() => K.Versions() as Promise<Version[] | null>).then((r) => r ?? []);

/** Code systems by name, for the badge beside a coded field. */
export function systemName(system: string): string {
  if (system.includes('icd-10')) return 'ICD-10-CM';
  if (system.includes('rxnorm')) return 'RxNorm';
  if (system.includes('cvx')) return 'CVX';
  if (system.includes('loinc')) return 'LOINC';
  if (system === 'urn:outpost:allergy-class') return 'drug class';
  if (system === 'urn:outpost:allergen') return 'allergen';
  return 'code';
}

/** "sulfamethoxazole + trimethoprim" for a drug's ingredients. */
export function ingredientLine(c: Pick<Code, 'ingredients'>): string {
  return (c.ingredients ?? []).map((i) => i.display).join(' + ');
}
