/** The provider contract lives in core (src/core/provider.ts); providers implement it. Kept for their imports. */
export * from '../core/provider.js';
