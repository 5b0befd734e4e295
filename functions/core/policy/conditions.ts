import type { ImmigrationStatus } from '../schemas';
import type { Condition, LevelKey } from './policy-schema';

/** The facts of a matched case that policy conditions can test. Nothing identifying. */
export interface CaseFacts {
  status: ImmigrationStatus;
  level: LevelKey;
  hasRemovalOrder: boolean;
}

/** True when every key of the condition holds; an empty condition always holds. */
export function conditionHolds(condition: Condition, facts: CaseFacts): boolean {
  if (condition.levelIn && !condition.levelIn.includes(facts.level)) return false;
  if (condition.statusIn && !condition.statusIn.includes(facts.status)) return false;
  if (condition.hasRemovalOrder !== undefined && condition.hasRemovalOrder !== facts.hasRemovalOrder) return false;
  return true;
}
