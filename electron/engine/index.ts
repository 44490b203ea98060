/**
 * The engine's only public entry. Pure Node: nothing here (or below) imports electron,
 * or code from main/, preload/ or renderer/ (enforced by eslint).
 */
export * from './io/index.js';
export * from './device/index.js';
export * from './job/index.js';
export * from './verify/index.js';
export * from './image/index.js';
export * from './image/wim/index.js';
export * from './image/unattend/index.js';
export * from './layout/index.js';
