export * from './errors.js';
export * from './schema.js';
export * from './types.js';
export * from './commands/index.js';
export * from './events.js';
export * from './http.js';
export * from './json.js';
export * from './desktop.js';
