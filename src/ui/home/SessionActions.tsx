/**
 * The session screen's management actions: rename, duplicate as a new session, delete (asks first, No
 * highlighted). They call core/session-admin.ts, which refuses anything outside the session's folder.
 */
import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { errorMessage } from '../../core/errors.js';
import { deleteSession, duplicateSession, renameSession } from '../../core/session-admin.js';
import type { SessionInfo } from '../../core/session/index.js';
import { Confirm } from '../components/Confirm.js';
import { TextField } from '../components/TextField.js';
import { matches } from '../keys.js';

export type SessionAction = 'rename' | 'duplicate' | 'delete';

export interface SessionActionProps {
  action: SessionAction;
  session: SessionInfo;
  root: string;
  /** `message` says what was done; null when the user backed out. */
  onDone: (message: string | null) => void;
}

export function SessionActionView({ action, session, root, onDone }: SessionActionProps) {
  const [value, setValue] = useState(action === 'duplicate' ? `${session.name}-copy` : session.name);
  const [error, setError] = useState<string | null>(null);
  useInput((input, key) => {
    if (action !== 'delete' && matches('back', input, key)) onDone(null);
  });
  const attempt = (work: () => string): void => {
    try {
      onDone(work());
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  if (action === 'delete') {
    return (
      <Box flexDirection="column">
        <Confirm
          message={`Delete session ${session.name} and everything in ${session.dir}? Its samples and exports are gone for good.`}
          yesLabel="Delete it"
          noLabel="Keep it"
          onAnswer={(yes) =>
            yes
              ? attempt(() => {
                  deleteSession(root, session.dir);
                  return `Deleted ${session.name}`;
                })
              : onDone(null)
          }
        />
        {error ? <Text wrap="wrap">{`✗ ${error}`}</Text> : null}
      </Box>
    );
  }
  return (
    <Box flexDirection="column">
      <Text>{action === 'rename' ? 'New name for this session:' : 'Name of the copy:'}</Text>
      <TextField
        value={value}
        error={error}
        onChange={(next) => {
          setValue(next);
          setError(null);
        }}
        onSubmit={(raw) =>
          attempt(() => {
            const to = action === 'rename' ? renameSession(root, session.dir, raw) : duplicateSession(root, session.dir, raw);
            return action === 'rename' ? `Renamed ${session.name} to ${raw.trim()} (${to})` : `Copied ${session.name} to ${raw.trim()} (${to})`;
          })
        }
      />
    </Box>
  );
}
