/** The session directory (SPEC 5): its files and readers, the store a run holds, and the listing. */
export * from './files.js';
export * from './listing.js';
export * from './store.js';
