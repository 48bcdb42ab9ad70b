/**
 * `@jane/shared/core`: everything the browser needs at run time without zod — domain
 * constants, pure helpers and protocol constants — plus every API type. Schemas (zod)
 * are in the main entry, `@jane/shared`, for the server.
 */
export * from './domain/roles.js';
export * from './domain/sections.js';
export * from './policy/policy.js';
export * from './domain/countries.js';
export * from './domain/workspaces.js';
export * from './domain/presence.js';
export * from './domain/comments.js';
export * from './domain/colors.js';
export * from './protocol/collab.js';
export * from './sections.js';
export * from './templates.js';
export { isSafeHref } from './editor/safeHref.js';
export type * from './schemas/api.js';
export type * from './schemas/comments.js';
export type * from './schemas/sections.js';
export type * from './schemas/history.js';
export type * from './schemas/imports.js';
export type * from './schemas/responses.js';
export type * from './protocol/realtime.js';
