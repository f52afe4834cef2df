import pty from '@lydell/node-pty';
const which = process.argv[2];
const mode = process.argv[3];
const child = pty.spawn(process.execPath, ['--import', 'tsx', 'test/e2e/fixtures/select-race.tsx', which], { cols: 80, rows: 24, cwd: process.cwd(), env: { ...process.env, TERM: 'xterm-256color' } as any });
let out = '';
child.onData((d) => { out += d; });
await new Promise<void>((r) => { const t = setInterval(() => { if (out.includes('ready')) { clearInterval(t); r(); } }, 20); });
await new Promise((r) => setTimeout(r, 200));
if (mode === 'chunk') child.write('\u001b[B\r');
else { child.write('\u001b[B'); child.write('\u001b[B'); child.write('\r'); }
await new Promise<void>((r) => child.onExit(() => r()));
console.log(which, mode, /selected=(\w+)/.exec(out)?.[1]);
