import { UsageError } from '../errors.js';

/**
 * A document (or examples file) that cannot be used: missing, unreadable, encrypted, empty, or in a shape
 * we do not read. The CLI prints the message as one line and exits 2 (a UsageError).
 */
export class SourceError extends UsageError {
  /** The file or folder the problem is about, as the user wrote or as we found it. */
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'SourceError';
    this.file = file;
  }
}
