/** The sanitizer lives in core (headless printers use it too); the UI keeps importing it from here. */
export { jsonForTerminal, sanitizeForTerminal, sanitizeLine, truncate } from '../core/sanitize.js';
