export type { CommandToCheck, Verdict } from './rules.ts';
export { type ChargerFacts, checkCommand, type RuleName, type RuleSettings } from './rules.ts';
export {
  budgetAt,
  easeeBudget,
  fullBudget,
  nextWriteAt,
  refundWrite,
  spendWrite,
  type WriteBudget,
} from './write-budget.ts';
