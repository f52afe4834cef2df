/** Header, body, footer: the frame every screen uses, kept shorter than the terminal so Ink never redraws it all. */
import { Box } from 'ink';
import type { ReactNode } from 'react';
import type { BindingId } from '../keys.js';
import { Footer } from './Footer.js';
import { Header } from './Header.js';

export interface ScreenProps {
  title: string;
  right?: string;
  keys: readonly BindingId[];
  children: ReactNode;
}

export function Screen({ title, right, keys, children }: ScreenProps) {
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
