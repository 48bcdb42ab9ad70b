export * from './protocol/collab.js';
export * from './protocol/realtime.js';
export * from './schemas/roles.js';
export * from './schemas/countries.js';
export * from './schemas/api.js';
export * from './schemas/seed.js';
export * from './schemas/comments.js';
export * from './templates.js';
