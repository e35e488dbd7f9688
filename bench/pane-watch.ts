/**
 * When did a tmux pane first show something? Attaches to SESSION as a read-only control-mode
 * client (it does not resize the window), so tmux tells the moment each chunk of the program's
 * output arrives; after each, the pane is captured and tested. Prints the epoch ms of the output
 * after which the test held — the time the screen changed, not the time a poll noticed it, so
 * two programs watched this way are compared on the same footing.
 *
 *   node pane-watch.js SESSION --more REGEX   lines matching REGEX grow past their count at start
 *   node pane-watch.js SESSION --gone REGEX   no line matches REGEX any more
 *   [--deadline-ms N]                         give up (exit 1) after N ms (default 15000)
 *
 * Writes "ready" to stderr once attached and the starting screen is read.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [session, mode, pattern, ...rest] = process.argv.slice(2);
if (!session || (mode !== '--more' && mode !== '--gone') || !pattern) {
  process.stderr.write('usage: pane-watch SESSION (--more|--gone) REGEX [--deadline-ms N]\n');
  process.exit(2);
}
const deadlineAt = rest[0] === '--deadline-ms' ? Number(rest[1]) : 15_000;
const regex = new RegExp(pattern);
const matching = (screen: string) => screen.split('\n').filter((line) => regex.test(line)).length;

const capture = () =>
  new Promise<string>((resolve, reject) =>
    execFile('tmux', ['capture-pane', '-p', '-t', session], (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );

const client = spawn('tmux', ['-C', 'attach', '-t', session, '-f', 'read-only,ignore-size'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
const finish = (code: number, line?: string) => {
  if (line) process.stdout.write(`${line}\n`);
  client.kill();
  process.exit(code);
};
setTimeout(() => finish(1), deadlineAt).unref();

let baseline = -1;
let lastOutputAt = 0;
let checking = false;
let again = false;
const check = async (): Promise<void> => {
  if (checking) {
    again = true;
    return;
  }
  checking = true;
  // Everything tmux had received when the capture starts is on the captured screen.
  const at = lastOutputAt;
  const count = matching(await capture());
  const held = mode === '--more' ? count > baseline : count === 0;
  if (held) finish(0, String(at));
  checking = false;
  if (again) {
    again = false;
    void check();
  }
};

createInterface({ input: client.stdout! }).on('line', (line) => {
  if (!line.startsWith('%output ') || baseline < 0) return;
  lastOutputAt = Date.now();
  void check();
});

baseline = matching(await capture());
if (mode === '--gone' && baseline === 0) {
  process.stderr.write(`pane-watch: nothing matches ${pattern} at start\n`);
  finish(2);
}
process.stderr.write('ready\n');
