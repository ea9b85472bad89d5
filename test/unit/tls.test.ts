import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import net from 'node:net';
import { X509Certificate, webcrypto } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ensureCertificates, loadX509 } from '../../src/runtime/tls.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'keyless-tls-'));
  fs.chmodSync(d, 0o700);
  dirs.push(d);
  return d;
}

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

async function listen(cert: string, key: string, host: string): Promise<https.Server> {
  const server = https.createServer({ cert, key }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return server;
}

function close(server: https.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function get(options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get({ ...options, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
  });
}

async function hasIpv6Loopback(): Promise<boolean> {
  const probe = net.createServer();
  return new Promise((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

test('first call creates the CA and server files with the right modes', async () => {
  const dir = tempDir();
  const certs = await ensureCertificates(dir);
  assert.equal(certs.caCreated, true);
  assert.equal(certs.caPath, path.join(dir, 'ca.pem'));
  assert.equal(fs.readFileSync(certs.caPath, 'utf8'), certs.caPem);
  assert.equal(mode(path.join(dir, 'ca-key.pem')), 0o600);
  assert.equal(mode(path.join(dir, 'server-key.pem')), 0o600);
  // Public certificates are at most 0644 (umask may narrow them further).
  assert.equal(mode(path.join(dir, 'ca.pem')) & ~0o644, 0);
  assert.equal(mode(path.join(dir, 'server.pem')) & ~0o644, 0);
  assert.match(fs.readFileSync(path.join(dir, 'ca-key.pem'), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
  // No temp files left behind by the atomic writes.
  assert.deepEqual(fs.readdirSync(dir).sort(), ['ca-key.pem', 'ca.pem', 'server-key.pem', 'server.pem']);
});

test('a real HTTPS server with the certificate is trusted for localhost, 127.0.0.1 and ::1', async (t) => {
  const certs = await ensureCertificates(tempDir());
  const v4 = await listen(certs.certPem, certs.keyPem, '127.0.0.1');
  try {
    const port = (v4.address() as AddressInfo).port;
    assert.equal(await get({ host: 'localhost', family: 4, port, ca: certs.caPem }), 'ok');
    assert.equal(await get({ host: '127.0.0.1', port, ca: certs.caPem }), 'ok');
  } finally {
    await close(v4);
  }

  if (!(await hasIpv6Loopback())) {
    t.diagnostic('no IPv6 loopback on this machine; ::1 not checked');
    return;
  }
  const v6 = await listen(certs.certPem, certs.keyPem, '::1');
  try {
    const port = (v6.address() as AddressInfo).port;
    assert.equal(await get({ host: '::1', port, ca: certs.caPem }), 'ok');
  } finally {
    await close(v6);
  }
});

test('the CA carries a critical NameConstraints extension and CA basics', async () => {
  const certs = await ensureCertificates(tempDir());
  const x509 = await loadX509();
  const ca = new x509.X509Certificate(certs.caPem);
  assert.equal(ca.subject, 'CN=Keyless Local CA');
  const nc = ca.getExtension('2.5.29.30');
  assert.ok(nc, 'NameConstraints extension present');
  assert.equal(nc.critical, true);
  const bc = ca.getExtension(x509.BasicConstraintsExtension);
  assert.ok(bc);
  assert.equal(bc.ca, true);
  assert.equal(bc.pathLength, 0);
  assert.equal(bc.critical, true);
  const ku = ca.getExtension(x509.KeyUsagesExtension);
  assert.ok(ku?.critical);
  assert.equal(ku.usages, x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
});

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Issues an example.com server certificate from the given CA, as an attacker holding the CA key could. */
async function issueExampleLeaf(caPem: string, caKeyPem: string): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  const caKey = await webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(caKeyPem), EC, false, ['sign']);
  const caCert = new x509.X509Certificate(caPem);
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    subject: 'CN=example.com',
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'example.com' }]),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
    ],
  });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { cert: leaf.toString('pem'), key };
}

/** The same CA shape minus NameConstraints: the control that shows the constraint is what rejects. */
async function unconstrainedCa(): Promise<{ cert: string; key: string }> {
  const x509 = await loadX509();
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Control CA',
    keys,
    signingAlgorithm: SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const key = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
  return { cert: ca.toString('pem'), key };
}

async function fetchExample(leaf: { cert: string; key: string }, caPem: string): Promise<string> {
  const server = await listen(leaf.cert, leaf.key, '127.0.0.1');
  try {
    const port = (server.address() as AddressInfo).port;
    return await get({ host: '127.0.0.1', port, servername: 'example.com', headers: { host: 'example.com' }, ca: caPem });
  } finally {
    await close(server);
  }
}

test('a certificate the CA signs for example.com is rejected by Node TLS', async () => {
  const dir = tempDir();
  const certs = await ensureCertificates(dir);

  // Control: an identical leaf from a CA without the constraint is accepted.
  const control = await unconstrainedCa();
  assert.equal(await fetchExample(await issueExampleLeaf(control.cert, control.key), control.cert), 'ok');

  const leaf = await issueExampleLeaf(certs.caPem, fs.readFileSync(path.join(dir, 'ca-key.pem'), 'utf8'));
  await assert.rejects(fetchExample(leaf, certs.caPem), (err: NodeJS.ErrnoException) => {
    // Node has no name for OpenSSL's X509_V_ERR_PERMITTED_VIOLATION and may report it as UNSPECIFIED.
    assert.ok(err.code === 'PERMITTED_VIOLATION' || err.code === 'UNSPECIFIED', `unexpected ${err.code}: ${err.message}`);
    return true;
  });
});

test('later calls reuse the CA and server certificate', async () => {
  const dir = tempDir();
  const first = await ensureCertificates(dir);
  const second = await ensureCertificates(dir);
  assert.equal(second.caCreated, false);
  assert.equal(second.caPem, first.caPem);
  assert.equal(second.certPem, first.certPem);
  assert.equal(second.keyPem, first.keyPem);
});

test('a server certificate close to expiry is reissued under the same CA', async () => {
  const dir = tempDir();
  const first = await ensureCertificates(dir);
  const x509 = await loadX509();
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(fs.readFileSync(path.join(dir, 'ca-key.pem'), 'utf8')),
    EC,
    false,
    ['sign'],
  );
  const caCert = new x509.X509Certificate(first.caPem);
  const keys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify']);
  const soon = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    notAfter: new Date(Date.now() + 10 * 24 * 3600 * 1000),
    signingAlgorithm: SIGN,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'localhost' }])],
  });
  fs.writeFileSync(path.join(dir, 'server.pem'), soon.toString('pem'));
  fs.writeFileSync(
    path.join(dir, 'server-key.pem'),
    x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY'),
    { mode: 0o600 },
  );

  const renewed = await ensureCertificates(dir);
  assert.equal(renewed.caCreated, false);
  assert.equal(renewed.caPem, first.caPem);
  assert.notEqual(renewed.certPem, soon.toString('pem'));
  const notAfter = Date.parse(new X509Certificate(renewed.certPem).validTo);
  assert.ok(notAfter - Date.now() > 300 * 24 * 3600 * 1000);
});

test('a missing server key is regenerated without touching the CA', async () => {
  const dir = tempDir();
  const first = await ensureCertificates(dir);
  fs.rmSync(path.join(dir, 'server-key.pem'));
  const again = await ensureCertificates(dir);
  assert.equal(again.caPem, first.caPem);
  assert.notEqual(again.keyPem, first.keyPem);
  assert.ok(new X509Certificate(again.certPem).checkIssued(new X509Certificate(again.caPem)));
});
