/** The bytes a terminal sends for the keys the tests press: one table for the pty and the in-process tests. */
export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  enter: '\r',
  esc: '\u001B',
  tab: '\t',
  backspace: '\u007F',
  ctrlC: '\u0003',
  pageDown: '\u001B[6~',
} as const;
