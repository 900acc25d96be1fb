export {
  type ChargerFacts,
  type CommandToCheck,
  checkCommand,
  type RuleName,
  type RuleSettings,
  triggerableByEasee,
  type Verdict,
  writableEaseeKeys,
} from './rules.ts';
export {
  type BudgetPolicy,
  budgetAt,
  easeeBudget,
  fullBudget,
  nextWriteAt,
  refundWrite,
  spendWrite,
  type WriteBudget,
} from './write-budget.ts';
