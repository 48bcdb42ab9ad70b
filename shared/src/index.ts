/** `@jane/shared`: the core (see core.ts) plus the zod schemas that validate every boundary. */
export * from './core.js';
export * from './schemas/roles.js';
export * from './schemas/countries.js';
export * from './schemas/api.js';
export * from './schemas/comments.js';
export * from './schemas/sections.js';
export * from './schemas/history.js';
export type * from './schemas/responses.js';
export * from './protocol/realtime.js';
