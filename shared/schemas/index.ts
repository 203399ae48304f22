export * from './common.js';
export * from './auth.js';
export * from './room.js';
export * from './message.js';
export * from './thread.js';
export * from './contract.js';
export * from './roadmap.js';
export * from './notification.js';
