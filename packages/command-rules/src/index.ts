export * from './rules.ts';
export * from './write-budget.ts';
