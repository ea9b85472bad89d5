import { sql } from 'kysely';
import { defineEntity } from '../store/index.js';
import type { AsyncOperation, OperationAction, OperationError, OperationStatus } from './model.js';

type OperationRow = {
  id: string;
  action: string;
  resource_id: string;
  resource_key: string;
  location: string;
  status: string;
  start_time: string;
  due_time: string;
  end_time: string | null;
  error: string | null;
};

/**
 * Long-running operations, in the change log like any entity: every instance
 * on the database answers a poll for an operation another one started, and
 * an operation outlives a restart.
 */
export const asyncOperationEntity = defineEntity({
  name: 'asyncOperation',
  table: 'async_operations',
  key: ['id'],
  codec: {
    from: (r: OperationRow): AsyncOperation => ({
      id: r.id,
      action: r.action as OperationAction,
      resourceId: r.resource_id,
      resourceKey: r.resource_key,
      location: r.location,
      status: r.status as OperationStatus,
      startTime: r.start_time,
      dueTime: r.due_time,
      endTime: r.end_time,
      error: r.error === null ? null : (JSON.parse(r.error) as OperationError),
    }),
    to: (o: AsyncOperation): OperationRow => ({
      id: o.id,
      action: o.action,
      resource_id: o.resourceId,
      resource_key: o.resourceKey,
      location: o.location,
      status: o.status,
      start_time: o.startTime,
      due_time: o.dueTime,
      end_time: o.endTime,
      error: o.error === null ? null : JSON.stringify(o.error),
    }),
  },
  migrations: {
    '0014_async_operations': () => [
      sql`create table async_operations (id text primary key, action text not null, resource_id text not null, resource_key text not null,
            location text not null, status text not null, start_time text not null, due_time text not null, end_time text, error text)`,
    ],
  },
});
