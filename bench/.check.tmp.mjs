import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
const [cols, rows] = [120, 30];
const term = new xterm.Terminal({cols, rows, allowProposedApi: true});
const c = pty.spawn(process.execPath, process.argv.slice(2), {cols, rows, cwd: '/tmp', env: {...process.env, NO_COLOR: '1', CI: 'false'}});
const text = () => Array.from({length: rows}, (_, i) => term.buffer.active.getLine(i)?.translateToString(true) ?? '').join('\n');
c.onData(d => term.write(d));
const sleep = ms => new Promise(r => setTimeout(r, ms));
async function until(re, ms = 30000) { const end = Date.now() + ms; while (Date.now() < end) { if (re.test(text())) return; await sleep(100); } throw new Error('timeout ' + re + '\n' + text()); }
c.onExit(e => { setTimeout(() => { console.log(text()); console.log('EXIT', e.exitCode); process.exit(0); }, 200); });
const steps = JSON.parse(process.env.STEPS);
for (const [re, keys] of steps) { await until(new RegExp(re)); console.log('seen', re); if (keys) c.write(keys); await sleep(300); }
console.log(text());
