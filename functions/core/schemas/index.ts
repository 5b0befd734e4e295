export * from './template';
export * from './booking';
export * from './identity';
export * from './match-result';
export * from './records';
export * from './decision-case';
export * from './audit-event';
