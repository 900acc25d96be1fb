export * from './profiles.ts';
export * from './schedule.ts';
