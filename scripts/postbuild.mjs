// Makes dist/cli.js executable so `npm link` and `./dist/cli.js` work.
import { chmodSync, existsSync } from 'node:fs';
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
