import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect, TableDeclaration } from './database.js';
import type { AnyEntityDeclaration } from './entity.js';
import { StoreError } from './errors.js';

/**
 * Versioned migrations, in code so that the compiled package carries them.
 * DDL differs only in the auto-increment column, so each migration is
 * written once and given the dialect.
 */
function initial(dialect: Dialect): Migration {
  const serial = dialect === 'postgres' ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      const statements = [
        sql`create table meta (key text primary key, value text not null)`,
        sql`create table principals (object_id text primary key, app_id text not null unique, kind text not null,
              display_name text not null, resource_id text, created_at text not null)`,
        sql`create table client_secrets (id text primary key, object_id text not null, digest text not null unique,
              hint text not null, expires_at text not null, created_at text not null)`,
        sql`create table resource_groups (key text primary key, id text not null, name text not null,
              location text not null, tags text not null, created_at text not null)`,
        sql`create table resources (key text primary key, id text not null, group_key text not null, parent_key text,
              type text not null, name text not null, location text not null, kind text, sku text, tags text not null,
              properties text not null, identity text, created_at text not null)`,
        sql`create index resources_group on resources (group_key)`,
        sql`create index resources_parent on resources (parent_key)`,
        sql`create table account_keys (account_key text not null, key_name text not null, sealed text not null,
              digest text not null unique, created_at text not null, primary key (account_key, key_name))`,
        sql`create table role_assignments (key text primary key, id text not null, name text not null, scope text not null,
              role_definition_id text not null, principal_id text not null, principal_type text not null, created_at text not null)`,
        sql`create index role_assignments_principal on role_assignments (principal_id)`,
        sql`create table signing_keys (kid text primary key, status text not null, sealed_private text not null,
              public_jwk text not null, created_at text not null, retired_at text)`,
        sql`create table revisions (rev ${serial}, at text not null)`,
        sql`create table changes (rev bigint not null, entity text not null, key text not null)`,
        sql`create index changes_rev on changes (rev)`,
      ];
      for (const statement of statements) await statement.execute(db);
    },
  };
}

/** Per-host identity endpoint secrets, and the audit trail of authentication and authorization decisions. */
function hostSecretsAndAudit(dialect: Dialect): Migration {
  const serial = dialect === 'postgres' ? sql`bigserial primary key` : sql`integer primary key autoincrement`;
  return {
    async up(db: Kysely<unknown>) {
      const statements = [
        sql`create table host_secrets (resource_key text primary key, sealed text not null, digest text not null unique,
              created_at text not null)`,
        sql`create table audit_records (seq ${serial}, at text not null, surface text not null, operation text not null,
              account text, principal_id text, principal_type text, key_name text, decision text not null,
              reason text not null, request_id text)`,
        sql`create index audit_records_at on audit_records (at)`,
        sql`create index audit_records_principal on audit_records (principal_id)`,
      ];
      for (const statement of statements) await statement.execute(db);
    },
  };
}

/** Applications' certificates and federated credentials (apps and user-assigned identities); application object ids. */
function applicationCredentials(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const statements = [
        sql`alter table principals add column application_object_id text`,
        sql`alter table client_secrets add column display_name text`,
        sql`create table client_certificates (id text primary key, object_id text not null, thumbprint_sha1 text not null,
              thumbprint_sha256 text not null, der text not null, display_name text, expires_at text not null, created_at text not null)`,
        sql`create index client_certificates_object on client_certificates (object_id)`,
        sql`create table federated_credentials (id text primary key, object_id text not null, name text not null, issuer text not null,
              subject text not null, audiences text not null, created_at text not null, unique (object_id, name))`,
      ];
      for (const statement of statements) await statement.execute(db);
    },
  };
}

/**
 * The store's own migrations, then those the entities declare (Kysely runs
 * them in name order). A name declared twice is a programming error.
 */
/** Who spent what: the deployment an allowed data-plane call reached, and the tokens it used. */
function auditUsage(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of [
        sql`alter table audit_records add column deployment text`,
        sql`alter table audit_records add column prompt_tokens integer`,
        sql`alter table audit_records add column completion_tokens integer`,
      ]) {
        await statement.execute(db);
      }
    },
  };
}

/** Which leak drill a record belongs to (the `x-keyless-drill` marker of its request, or the drill's own start and end). */
function auditDrill(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`alter table audit_records add column drill text`.execute(db);
    },
  };
}

/** Why a denial happened and the command that would fix it (issue 11). */
function auditExplanations(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const statement of [sql`alter table audit_records add column explanation text`, sql`alter table audit_records add column fix text`]) {
        await statement.execute(db);
      }
    },
  };
}

export function migrationProvider(dialect: Dialect, entities: readonly AnyEntityDeclaration[], tables: readonly TableDeclaration[] = []): MigrationProvider {
  return {
    async getMigrations() {
      const migrations: Record<string, Migration> = {
        '0001_initial': initial(dialect),
        '0002_host_secrets_and_audit': hostSecretsAndAudit(dialect),
        '0003_application_credentials': applicationCredentials(),
        '0005_audit_usage': auditUsage(),
        '0008_audit_drill': auditDrill(),
        '0011_audit_explanations': auditExplanations(),
      };
      for (const decl of [...entities, ...tables]) {
        for (const [name, statements] of Object.entries(decl.migrations)) {
          if (Object.hasOwn(migrations, name)) throw new StoreError('DuplicateMigration', `The migration '${name}' is declared twice.`);
          migrations[name] = { up: async (db) => { for (const statement of statements(dialect)) await statement.execute(db); } };
        }
      }
      return migrations;
    },
  };
}
