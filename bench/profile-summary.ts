/*
 * Summarises a V8 CPU profile (a .cpuprofile from `node --cpu-prof`, e.g. the
 * one `node dist/bench/data-plane.js --profile DIR` leaves in DIR) as three
 * tables, in per cent of the busy (non-idle) time:
 *   - self time by area: Keyless's own source folders (src/…), each package
 *     in node_modules, Node's internals, the garbage collector;
 *   - inclusive time by file: samples with that file anywhere on the stack
 *     (so a route handler includes the model it calls);
 *   - the functions with the most self time;
 *   - Keyless's own functions (src/…) by inclusive time.
 *
 *   node dist/bench/profile-summary.js FILE.cpuprofile [--top N] [--from SECONDS]
 *
 * --from skips the start of the profile (Keyless's start-up and set-up).
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (file === undefined || file.startsWith('--')) {
  process.stderr.write('usage: profile-summary FILE.cpuprofile [--top N] [--from SECONDS]\n');
  process.exit(2);
}
const topAt = process.argv.indexOf('--top');
const TOP = topAt === -1 ? 25 : Number(process.argv[topAt + 1] ?? 25);
// --from S: ignore the first S seconds of the profile (start-up: key generation, module loading, the tokenizer build).
const fromAt = process.argv.indexOf('--from');
const FROM_US = fromAt === -1 ? 0 : Number(process.argv[fromAt + 1] ?? 0) * 1e6;

const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map<number, ProfileNode>();
const parent = new Map<number, number>();
for (const node of profile.nodes) {
  byId.set(node.id, node);
  for (const child of node.children ?? []) parent.set(child, node.id);
}

/** Where a frame's code lives, in a few words. */
function area(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') {
    if (functionName === '(garbage collector)' || functionName === '(idle)' || functionName === '(program)') return functionName;
    return '(native)';
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[1] ?? url.slice(5)}`;
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1] ?? ''}` : rest[0] ?? url;
  }
  const src = url.indexOf('/dist/src/');
  if (src !== -1) {
    const parts = url.slice(src + '/dist/'.length).split('/');
    return parts.length > 2 ? `${parts[0]}/${parts[1]}/` : parts.join('/');
  }
  return url;
}

/** A short name for a frame's file. */
function fileOf(frame: CallFrame): string {
  const { url } = frame;
  if (url === '') return frame.functionName;
  const src = url.indexOf('/dist/src/');
  if (src !== -1) return url.slice(src + '/dist/'.length);
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  return url.startsWith('node:') ? url : path.basename(url);
}

const functionOf = (frame: CallFrame): string => `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;

const selfByArea = new Map<string, number>();
const selfByFunction = new Map<string, number>();
const inclusiveByFile = new Map<string, number>();
const inclusiveByFunction = new Map<string, number>();
const add = (map: Map<string, number>, key: string, us: number): void => {
  map.set(key, (map.get(key) ?? 0) + us);
};

let busy = 0;
let idle = 0;
let elapsed = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  elapsed += us;
  if (elapsed < FROM_US) return;
  const node = byId.get(id);
  if (!node) return;
  if (node.callFrame.functionName === '(idle)') {
    idle += us;
    return;
  }
  busy += us;
  add(selfByArea, area(node.callFrame), us);
  add(selfByFunction, functionOf(node.callFrame), us);
  const seenFiles = new Set<string>();
  const seenFunctions = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (!frame || frame.url === '') continue;
    const name = fileOf(frame);
    if (!seenFiles.has(name)) {
      seenFiles.add(name);
      add(inclusiveByFile, name, us);
    }
    const fn = functionOf(frame);
    if (!seenFunctions.has(fn)) {
      seenFunctions.add(fn);
      add(inclusiveByFunction, fn, us);
    }
  }
});

const pct = (us: number): string => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
const table = (title: string, map: Map<string, number>, limit: number): void => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((x, y) => y[1] - x[1]).slice(0, limit)) console.log(`  ${pct(us)}  ${key}`);
};

console.log(`${path.basename(file)}: ${(busy / 1e6).toFixed(2)} s busy, ${(idle / 1e6).toFixed(2)} s idle (${profile.samples.length} samples)`);
table('self time by area', selfByArea, TOP);
table('inclusive time by file (the file anywhere on the stack)', inclusiveByFile, TOP);
table('self time by function', selfByFunction, TOP);
// Keyless's own functions only: where its request handling spends the time, callees included.
table('inclusive time of Keyless functions (src/…, callees included)', new Map([...inclusiveByFunction].filter(([name]) => / src\//.test(name))), TOP);
