import pg from 'pg';

/** What a feed tells its owner: a notification on one of its channels, or that the channel went down or came back. */
export interface FeedHandlers {
  /** A NOTIFY on `channel` with its payload. */
  readonly notified: (channel: string, payload: string) => void;
  /**
   * The channels are listened to again after a (re)connection: notifications sent while they were down are lost,
   * so the owner reads what it missed (the change log) now.
   */
  readonly connected: () => void;
  /** The connection was lost; the feed reconnects by itself. */
  readonly disconnected: (error: Error | undefined) => void;
}

/** Reconnection backoff: from 100 ms, doubling, at most 2 s (a restarted PostgreSQL is back within seconds). */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 2000;

/**
 * One PostgreSQL connection of its own that LISTENs on a few channels (a
 * pooled connection cannot: LISTEN belongs to a session). It reconnects with
 * backoff whenever the connection is lost (a PostgreSQL restart, a dropped
 * connection) and says so, so that its owner can fence itself meanwhile and
 * catch up from the change log afterwards.
 */
export class ChangeFeed {
  private client: pg.Client | undefined;
  private retryMs = FIRST_RETRY_MS;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private up = false;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly channels: readonly string[],
    private readonly handlers: FeedHandlers,
  ) {}

  /** Whether the channels are being listened to now. */
  get connected(): boolean {
    return this.up;
  }

  /** Connects once; resolves when listening, rejects if the first attempt fails (reconnection is then under way). */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    this.up = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client(this.config);
    this.client = client;
    let lost = false;
    const onLost = (error?: Error): void => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => undefined);
      const wasUp = this.up;
      this.up = false;
      if (wasUp) this.handlers.disconnected(error);
      this.schedule();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.payload !== undefined) this.handlers.notified(message.channel, message.payload);
    });
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`listen "${channel.replace(/"/g, '""')}"`);
    } catch (error) {
      onLost(error as Error);
      throw error;
    }
    if (lost || this.stopped) return;
    this.up = true;
    this.retryMs = FIRST_RETRY_MS;
    this.handlers.connected();
  }

  private schedule(): void {
    if (this.stopped || this.timer !== undefined) return;
    const wait = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, this.retryMs * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.connect().catch(() => undefined);
    }, wait);
    this.timer.unref();
  }
}
