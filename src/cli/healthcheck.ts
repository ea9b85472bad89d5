import { defaultDataDir } from '../runtime/data-dir.js';
import { KeylessClient } from './client.js';

/**
 * The container image's HEALTHCHECK (bin/keyless-healthcheck): GET /healthz
 * on this instance's HTTPS listener, found and trusted exactly as the CLI
 * finds and trusts it (runtime.json in $KEYLESS_DATA: listen address, CA,
 * certificate name). 0 when it answers 200, else 1 with one line on stderr.
 * Needs no curl, and no sign-in: /healthz is not authenticated.
 */
export async function healthcheck(dataDir: string = defaultDataDir()): Promise<number> {
  let client: KeylessClient | undefined;
  try {
    client = KeylessClient.connect(dataDir);
    await client.health();
    return 0;
  } catch (error) {
    process.stderr.write(`keyless-healthcheck: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    client?.close();
  }
}
