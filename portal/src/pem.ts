/**
 * A certificate file as Graph's keyCredentials want it: base64 DER. Takes PEM (one CERTIFICATE block) or raw
 * DER (.cer). A file with a private key is refused here, before anything is sent: only the public half belongs
 * to the app registration.
 */
export function certificateBase64(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new Error('This file holds a private key. Upload only the certificate (its public part); the private key stays where the app runs.');
  }
  if (text.includes('-----BEGIN')) {
    const match = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text);
    const body = match?.[1]?.replace(/\s+/g, '') ?? '';
    if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new Error('No CERTIFICATE block was found in this PEM file.');
    return body;
  }
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
