import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { callerIpv4, displayAddress, networkRefusal, parseIpRule } from '../../src/resources/network-rules.js';
import type { Resource } from '../../src/resources/index.js';

/** The rule behind an account's network rules: what an ipRule value means, how the caller's address is read, who is refused. */
const account = (properties: Record<string, unknown>): Resource => ({
  id: 'a', key: 'a', groupKey: 'g', parentKey: null, type: 'Microsoft.CognitiveServices/accounts', name: 'a', location: 'l', kind: 'OpenAI',
  sku: null, tags: {}, properties, identity: null, createdAt: '',
});
const ip = (text: string): number => {
  const value = callerIpv4(text);
  assert.ok(value >= 0, text);
  return value;
};

describe('ipRule values', () => {
  test('an address is a /32 of itself; a range keeps its network, host bits dropped', () => {
    assert.deepEqual(parseIpRule('124.56.78.91'), { network: ip('124.56.78.91'), mask: 0xffffffff });
    assert.deepEqual(parseIpRule('124.56.78.0/24'), { network: ip('124.56.78.0'), mask: 0xffffff00 });
    assert.deepEqual(parseIpRule('10.1.2.3/8'), { network: ip('10.0.0.0'), mask: 0xff000000 });
    assert.deepEqual(parseIpRule('0.0.0.0/0'), { network: 0, mask: 0 });
    assert.deepEqual(parseIpRule('255.255.255.255'), { network: 0xffffffff, mask: 0xffffffff });
  });

  test("what Azure refuses: not dotted-decimal IPv4, leading zeros, IPv6, and the prefixes /31 and /32", () => {
    for (const value of ['', '1.2.3', '1.2.3.4.5', '1.2.3.256', '01.2.3.4', '1..2.3', '1.2.3.4/', '1.2.3.4/33', '1.2.3.4/032', '1.2.3.4/31', '1.2.3.4/32', '::1', ' 1.2.3.4', '1.2.3.4 ']) {
      assert.equal(parseIpRule(value), undefined, JSON.stringify(value));
    }
  });
});

describe("the caller's address", () => {
  test('IPv4, and IPv4-mapped IPv6 (a dual-stack socket) read as IPv4; other IPv6 and no address match nothing', () => {
    assert.equal(callerIpv4('127.0.0.2'), ip('127.0.0.2'));
    assert.equal(callerIpv4('::ffff:127.0.0.2'), ip('127.0.0.2'));
    assert.equal(callerIpv4('::FFFF:127.0.0.2'), ip('127.0.0.2'));
    assert.equal(callerIpv4('::1'), -1);
    assert.equal(callerIpv4('fe80::1'), -1);
    assert.equal(callerIpv4(undefined), -1);
    assert.equal(displayAddress('::ffff:127.0.0.2'), '127.0.0.2');
    assert.equal(displayAddress('::1'), '::1');
    assert.equal(displayAddress(undefined), 'an unknown address');
  });
});

describe('networkRefusal', () => {
  test('no rules, or defaultAction Allow: nobody is refused', () => {
    assert.equal(networkRefusal(account({}), '1.2.3.4'), undefined);
    assert.equal(networkRefusal(account({ publicNetworkAccess: 'Enabled' }), '1.2.3.4'), undefined);
    assert.equal(networkRefusal(account({ networkAcls: { defaultAction: 'Allow', ipRules: [], virtualNetworkRules: [] } }), '1.2.3.4'), undefined);
  });

  test('defaultAction Deny: only addresses an ipRule holds, IPv4-mapped ones included', () => {
    const a = account({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '10.0.0.0/24' }, { value: '127.0.0.1' }], virtualNetworkRules: [] } });
    for (const allowed of ['10.0.0.0', '10.0.0.255', '127.0.0.1', '::ffff:10.0.0.7']) assert.equal(networkRefusal(a, allowed), undefined, allowed);
    for (const refused of ['10.0.1.0', '127.0.0.2', '::1', undefined]) assert.equal(networkRefusal(a, refused)?.kind, 'firewall', String(refused));
    assert.equal(networkRefusal(a, '::1')?.reason, 'network rules: ::1 matches no ipRule (10.0.0.0/24, 127.0.0.1) and networkAcls.defaultAction is Deny');
  });

  test('the reason lists at most five rules', () => {
    const ipRules = Array.from({ length: 7 }, (_, i) => ({ value: `20.0.0.${i}` }));
    const refusal = networkRefusal(account({ networkAcls: { defaultAction: 'Deny', ipRules, virtualNetworkRules: [] } }), '1.1.1.1');
    assert.equal(refusal?.reason, 'network rules: 1.1.1.1 matches no ipRule (20.0.0.0, 20.0.0.1, 20.0.0.2, 20.0.0.3, 20.0.0.4 and 2 more) and networkAcls.defaultAction is Deny');
  });

  test('publicNetworkAccess Disabled refuses everyone, whatever the ipRules', () => {
    const a = account({ publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Allow', ipRules: [{ value: '127.0.0.1' }], virtualNetworkRules: [] } });
    assert.equal(networkRefusal(a, '127.0.0.1')?.kind, 'publicNetworkAccessDisabled');
  });

  test('parsed once per stored account object: a replaced account is judged by its new rules', () => {
    const before = account({ networkAcls: { defaultAction: 'Deny', ipRules: [], virtualNetworkRules: [] } });
    assert.equal(networkRefusal(before, '1.2.3.4')?.kind, 'firewall');
    const after = account({ networkAcls: { defaultAction: 'Deny', ipRules: [{ value: '1.2.3.4' }], virtualNetworkRules: [] } });
    assert.equal(networkRefusal(after, '1.2.3.4'), undefined);
    assert.equal(networkRefusal(before, '1.2.3.4')?.kind, 'firewall');
  });
});
