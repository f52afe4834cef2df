/** Header, body, footer: the frame every screen uses, kept shorter than the terminal so Ink never redraws it all. */
import { Box } from 'ink';
import { useContext, useEffect, type ReactNode } from 'react';
import { AppContext } from '../context.js';
import { KEYS, type BindingId } from '../keys.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';

export interface ScreenProps {
  title: string;
  right?: string;
  keys: readonly BindingId[];
  children: ReactNode;
}

export function Screen({ title, right, keys, children }: ScreenProps) {
  const app = useContext(AppContext);
  const ids = keys.join(' ');
  useEffect(() => {
    // The `?` help shows this screen's keys: the same table as its footer.
    app?.store.getState().setScreenKeys(title, [...keys, ...(keys.includes('quitKey') ? [] : (['quit'] as const))].map((id) => KEYS[id]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [app, title, ids]);
  return (
    <Box flexDirection="column">
      <Header title={title} right={right} />
      <Box flexDirection="column" marginTop={1} marginBottom={1}>
        {children}
      </Box>
      <Footer keys={keys} />
    </Box>
  );
}
