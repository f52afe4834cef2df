/**
 * Semantic colours. Screens ask for `theme.status.error`, never for `red`, so the no-colour theme (NO_COLOR
 * set, or a dumb terminal) is a single switch. Ink 6.8 ignores NO_COLOR by itself; the CLI sets
 * FORCE_COLOR=0 before Ink loads, and components use `color(...)` which yields undefined here.
 */
export interface Theme {
  text: { primary?: string; secondary?: string; accent?: string };
  status: { ok?: string; warn?: string; error?: string; info?: string };
  border?: string;
  /** Whether inverse / bold emphasis may be used. Kept on under NO_COLOR: it is not colour. */
  emphasis: boolean;
}

export const colourTheme: Theme = {
  text: { primary: undefined, secondary: 'gray', accent: 'cyan' },
  status: { ok: 'green', warn: 'yellow', error: 'red', info: 'blue' },
  border: 'gray',
  emphasis: true,
};

export const noColourTheme: Theme = {
  text: {},
  status: {},
  border: undefined,
  emphasis: true,
};

export function colourDisabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb' || env.FORCE_COLOR === '0';
}

export const theme: Theme = colourDisabled() ? noColourTheme : colourTheme;
