import * as z from '#core/zod';
import table from './ncic-offense-categories.json';
import { OffenseCodeTableSchema, type OffenseCategory, type OffenseCodeTable } from './policy-schema';

/** Parses a code table, failing with every wrong field named. */
export function loadOffenseCodeTable(data: unknown): OffenseCodeTable {
  const parsed = OffenseCodeTableSchema.safeParse(data);
  if (!parsed.success) throw new Error(`Invalid NCIC offense code table:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The NCIC offense code table (ncic-offense-categories.json), validated at load. */
export const NCIC_OFFENSE_CODES: OffenseCodeTable = loadOffenseCodeTable(table);

/** The category of a code that no entry covers: never aggravated. */
export const UNCLASSIFIED_OFFENSE: OffenseCategory = {
  id: 'unclassified',
  label: 'Unclassified',
  prefixes: [],
  aggravatedFelony: false,
};

/** The category of a 4-digit NCIC code: its own 4-digit entry if any, else its 2-digit prefix's. */
export function classifyOffense(ncicCode: string, codeTable: OffenseCodeTable = NCIC_OFFENSE_CODES): OffenseCategory {
  const byPrefix = (prefix: string) => codeTable.categories.find((category) => category.prefixes.includes(prefix));
  return byPrefix(ncicCode) ?? byPrefix(ncicCode.slice(0, 2)) ?? UNCLASSIFIED_OFFENSE;
}
