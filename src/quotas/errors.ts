import { StartupError } from '../shared/errors.js';

/** Errors of the quotas context. */
export const quotaErrors = {
  redisUnreachable: (where: string, reason: string) =>
    new StartupError('RedisUnreachable', `Could not connect to Redis at ${where}: ${reason}. Start Redis, fix --redis, or leave --redis out to count quotas in this instance alone.`),
};

/** A Redis URL fit for messages and logs: the password replaced by ***. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
