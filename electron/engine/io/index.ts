export * from './errors.js';
export * from './reader.js';
export * from './struct.js';
export * from './identity.js';
export * from './progress.js';
export * from './disk-stream.js';
export * from './limits.js';
