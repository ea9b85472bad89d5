/*
 * Benchmark (not a test): authorize() latency must not depend on how many role
 * assignments exist in total, only on the caller's own. Builds indexes of
 * 100, 10 000 and 100 000 assignments, times allowed and denied checks for one
 * principal with a handful of assignments, and checks p99(100 000) / p99(100) ≤ 1.5.
 *
 * Run: npx tsc -p tsconfig.json && node dist/bench/authorize.js
 */
import { AssignmentIndex, BUILTIN_ROLES, authorize, findRoleDefinition } from '../src/rbac/index.js';
import type { ActionKind, RoleAssignment } from '../src/rbac/index.js';

const SIZES = [100, 10_000, 100_000] as const;
const TARGET_RATIO = 1.5;
const WARMUP_PER_SIZE = 30_000;
const ROUNDS = 20;
const CALLS_PER_ROUND = 10_000; // per size and round; sizes are interleaved so drift and GC hit all alike

// Deterministic pseudo-random numbers (xorshift32) so runs are comparable.
let seed = 0x2545f491;
function rand(n: number): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) % n;
}

/** A GUID-shaped id from the generator above (crypto-grade randomness is not needed here). */
function guid(): string {
  const hex = (digits: number): string =>
    Array.from({ length: digits }, () => '0123456789abcdef'[rand(16)] ?? '0').join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
}

const SUBSCRIPTIONS = Array.from({ length: 5 }, () => guid());
const GROUPS_PER_SUBSCRIPTION = 200;

function pick<T>(items: readonly T[]): T {
  const item = items[rand(items.length)];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function randomScope(): string {
  const sub = `/subscriptions/${pick(SUBSCRIPTIONS)}`;
  const level = rand(4);
  if (level === 0) return sub;
  const rg = `${sub}/resourceGroups/rg-${rand(GROUPS_PER_SUBSCRIPTION)}`;
  if (level === 1) return rg;
  const account = `${rg}/providers/Microsoft.CognitiveServices/accounts/acct-${rand(20)}`;
  return level === 2 ? account : `${account}/deployments/dep-${rand(5)}`;
}

function makeAssignment(principalId: string, roleGuid: string, scope: string): RoleAssignment {
  const name = guid();
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    roleDefinitionId: `/subscriptions/${SUBSCRIPTIONS[0]}/providers/Microsoft.Authorization/roleDefinitions/${roleGuid}`,
    principalId,
    principalType: 'ServicePrincipal',
    createdOn: new Date(0).toISOString(),
  };
}

// The principal under test and its own few assignments, identical in every index.
const PRINCIPAL = guid();
const SUB = `/subscriptions/${SUBSCRIPTIONS[0]}`;
const RG = `${SUB}/resourceGroups/rg-bench`;
const ACCOUNT = `${RG}/providers/Microsoft.CognitiveServices/accounts/aoai-bench`;
const OTHER_RG = `${SUB}/resourceGroups/rg-other`;
const OWN: readonly RoleAssignment[] = [
  makeAssignment(PRINCIPAL, 'acdd72a7-3385-48ef-bd42-f606fba81ae7', SUB), // Reader
  makeAssignment(PRINCIPAL, 'b24988ac-6180-42a0-ab88-20f7382dd24c', OTHER_RG), // Contributor, elsewhere
  makeAssignment(PRINCIPAL, '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd', ACCOUNT), // Cognitive Services OpenAI User
  makeAssignment(PRINCIPAL, '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd', `${OTHER_RG}/providers/Microsoft.CognitiveServices/accounts/x`),
];

interface Case {
  readonly label: string;
  readonly expectAllowed: boolean;
  readonly input: { principalId: string; action: string; kind: ActionKind; scope: string };
}

const CASES: readonly Case[] = [
  {
    label: 'allowed chat',
    expectAllowed: true,
    input: {
      principalId: PRINCIPAL,
      action: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      kind: 'dataAction',
      scope: `${ACCOUNT}/deployments/gpt-4o`,
    },
  },
  {
    label: 'allowed read',
    expectAllowed: true,
    input: { principalId: PRINCIPAL, action: 'Microsoft.CognitiveServices/accounts/read', kind: 'action', scope: ACCOUNT },
  },
  {
    label: 'denied listKeys',
    expectAllowed: false,
    input: { principalId: PRINCIPAL, action: 'Microsoft.CognitiveServices/accounts/listKeys/action', kind: 'action', scope: ACCOUNT },
  },
  {
    label: 'denied chat elsewhere',
    expectAllowed: false,
    input: {
      principalId: PRINCIPAL,
      action: 'Microsoft.CognitiveServices/accounts/OpenAI/deployments/chat/completions/action',
      kind: 'dataAction',
      scope: `${SUB}/resourceGroups/rg-3/providers/Microsoft.CognitiveServices/accounts/acct-1/deployments/dep-0`,
    },
  },
];

function buildIndex(size: number): AssignmentIndex {
  const index = new AssignmentIndex();
  const roleGuids = BUILTIN_ROLES.map((r) => r.name);
  for (const a of OWN) index.upsert(a);
  for (let i = OWN.length; i < size; i++) index.upsert(makeAssignment(guid(), pick(roleGuids), randomScope()));
  return index;
}

interface Samples {
  readonly all: Float64Array;
  readonly allowed: Float64Array;
  readonly denied: Float64Array;
  nAll: number;
  nAllowed: number;
  nDenied: number;
}

function newSamples(): Samples {
  const total = ROUNDS * CALLS_PER_ROUND;
  return { all: new Float64Array(total), allowed: new Float64Array(total), denied: new Float64Array(total), nAll: 0, nAllowed: 0, nDenied: 0 };
}

function run(index: AssignmentIndex, calls: number, samples: Samples | undefined): void {
  for (let i = 0; i < calls; i++) {
    const c = CASES[i % CASES.length];
    if (c === undefined) continue;
    const start = process.hrtime.bigint();
    const decision = authorize(c.input, index, findRoleDefinition);
    const ns = Number(process.hrtime.bigint() - start);
    if (decision.allowed !== c.expectAllowed) throw new Error(`${c.label}: unexpected decision ${JSON.stringify(decision)}`);
    if (samples === undefined) continue;
    samples.all[samples.nAll++] = ns;
    if (c.expectAllowed) samples.allowed[samples.nAllowed++] = ns;
    else samples.denied[samples.nDenied++] = ns;
  }
}

interface Stats {
  readonly p50: number;
  readonly p99: number;
  readonly mean: number;
}

function stats(values: Float64Array, n: number): Stats {
  const sorted = values.slice(0, n).sort();
  const at = (q: number): number => sorted[Math.min(n - 1, Math.floor(q * n))] ?? Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i] ?? 0;
  return { p50: at(0.5), p99: at(0.99), mean: sum / n };
}

function us(ns: number): string {
  return (ns / 1000).toFixed(2).padStart(8);
}

function main(): void {
  const began = Date.now();
  const indexes = SIZES.map((size) => {
    const t = Date.now();
    const index = buildIndex(size);
    console.log(`built index of ${index.size.toLocaleString('en')} assignments in ${Date.now() - t} ms`);
    return index;
  });

  for (const index of indexes) run(index, WARMUP_PER_SIZE, undefined);

  const samples = SIZES.map(() => newSamples());
  for (let round = 0; round < ROUNDS; round++) {
    indexes.forEach((index, i) => run(index, CALLS_PER_ROUND, samples[i]));
  }

  console.log('\nauthorize() latency in µs (one call per sample, process.hrtime.bigint)');
  console.log(`${'assignments'.padStart(12)} ${'case'.padEnd(8)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'mean'.padStart(8)}`);
  const p99s: number[] = [];
  SIZES.forEach((size, i) => {
    const s = samples[i];
    if (s === undefined) return;
    const rows: [string, Stats][] = [
      ['all', stats(s.all, s.nAll)],
      ['allowed', stats(s.allowed, s.nAllowed)],
      ['denied', stats(s.denied, s.nDenied)],
    ];
    for (const [label, st] of rows) {
      console.log(`${size.toLocaleString('en').padStart(12)} ${label.padEnd(8)} ${us(st.p50)} ${us(st.p99)} ${us(st.mean)}`);
    }
    p99s.push(rows[0]?.[1].p99 ?? Number.NaN);
  });

  const ratio = (p99s[p99s.length - 1] ?? Number.NaN) / (p99s[0] ?? Number.NaN);
  const pass = ratio <= TARGET_RATIO;
  console.log(`\np99(100,000) / p99(100) = ${ratio.toFixed(3)} (target ≤ ${TARGET_RATIO}): ${pass ? 'PASS' : 'FAIL'}`);
  console.log(`total run time ${((Date.now() - began) / 1000).toFixed(1)} s`);
  if (!pass) process.exitCode = 1;
}

main();
