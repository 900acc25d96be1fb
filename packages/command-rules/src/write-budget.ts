/**
 * Easee persists charging profiles in flash: above 10 updates a day on average the warranty is void, and at most 25
 * in a day are recommended (docs/reference/easee.md §0.1). So by default a bucket of 25 writes refilled at 10 a day.
 */
export interface WriteBudget {
  readonly tokens: number;
  readonly updatedAt: number;
}

export interface BudgetPolicy {
  readonly capacity: number;
  readonly perDay: number;
}

export const easeeBudget: BudgetPolicy = { capacity: 25, perDay: 10 };
const dayMs = 86_400_000;

export function fullBudget(policy: BudgetPolicy, now: number): WriteBudget {
  return { tokens: policy.capacity, updatedAt: now };
}

export function budgetAt(budget: WriteBudget, policy: BudgetPolicy, now: number): WriteBudget {
  const refilled = budget.tokens + ((now - budget.updatedAt) / dayMs) * policy.perDay;
  return { tokens: Math.min(policy.capacity, refilled), updatedAt: now };
}

export function spendWrite(budget: WriteBudget, policy: BudgetPolicy, now: number): WriteBudget {
  const current = budgetAt(budget, policy, now);
  return { tokens: current.tokens - 1, updatedAt: now };
}

/** When the next write will be allowed (now, if one is). */
export function nextWriteAt(budget: WriteBudget, policy: BudgetPolicy, now: number): number {
  const current = budgetAt(budget, policy, now);
  if (current.tokens >= 1) return now;
  return now + Math.ceil(((1 - current.tokens) / policy.perDay) * dayMs);
}

/** Gives back a write reserved for a command that never wrote (refused, failed, or never reached the charger). */
export function refundWrite(budget: WriteBudget, policy: BudgetPolicy, now: number): WriteBudget {
  const current = budgetAt(budget, policy, now);
  return { tokens: Math.min(policy.capacity, current.tokens + 1), updatedAt: now };
}
