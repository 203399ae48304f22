export * from './common.js';
export * from './auth.js';
export * from './room.js';
export * from './message.js';
export * from './roadmap.js';
