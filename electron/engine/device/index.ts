export * from './drives.js';
export * from './constraints.js';
export * from './prepare.js';
export * from './target.js';
export * from './pipeline.js';
export * from './sinks.js';
export * from './capacity.js';
