export * from './errors.js';
export * from './reader.js';
export * from './struct.js';
