// Every schema, for the CLI, the tests and type imports. The functions import values from the schema's
// own module: a zod schema is built when its module loads, so esbuild keeps every schema this index
// reaches in a bundle that imports a value from it.
export * from './template';
export * from './booking';
export * from './identity';
export * from './match-result';
export * from './records';
export * from './decision-case';
export * from './audit-event';
