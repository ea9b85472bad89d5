import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { UpOptions } from './config/options.js';
import { DEFAULT_HOST_NAMES, KeylessNames } from './config/names.js';
import { isLoopback, listen, peerOrigins, urlHost } from './listening.js';
import { ControllableClock, systemClock, type Clock } from './shared/clock.js';
import { prepareDataDir } from './runtime/data-dir.js';
import { acquireLock, type DataDirLock } from './runtime/lock.js';
import { serverCertificate } from './runtime/server-certificate.js';
import { removeRuntimeFile, writeRuntimeFile, type RuntimeInfo } from './runtime/runtime-file.js';
import { openDatabase, Store, ReadModel, AuditStore } from './store/index.js';
import { ENTITIES } from './entities.js';
import { principalEntity, DirectoryService, ExternalIssuerKeys, ClientAuthenticator, CredentialService } from './directory/index.js';
import { resourceEntity, ResourceService, HostSecretService } from './resources/index.js';
import { signingKeyEntity, Keyring, TokenService, KnownResources, ISSUED_RESOURCES, ManagedIdentityTokens, SigningKeyRotation, WorkloadIssuer } from './tokens/index.js';
import { loadKek } from './setup/kek.js';
import { bootstrap } from './setup/bootstrap.js';
import { ensureAdminCredential } from './setup/admin-credential.js';
import { KeyService } from './keys/index.js';
import { UpstreamRelay, UpstreamService } from './upstreams/index.js';
import { RoleAssignmentService, RoleDefinitionService } from './rbac/index.js';
import { createServer, registerFormParser, fenceRequests, healthAnswer } from './surfaces/http/index.js';
import { registerEntraRoutes } from './surfaces/entra/index.js';
import { registerArmRoutes } from './surfaces/arm/index.js';
import { registerAdminRoutes } from './surfaces/admin/index.js';
import { GRAPH_PREFIX, registerGraphRoutes } from './surfaces/graph/index.js';
import { AuditLog, AuditRecorder } from './audit/index.js';
import { HostThrottle, createIdentityListener } from './surfaces/identity-endpoints/index.js';
import { IDENTITY_PORT_ERRORS, MAIN_PORT_ERRORS } from './surfaces/listeners.js';
import { DataPlane, dataPlaneListener, AccountIndex, VerifiedTokenCache } from './surfaces/openai/index.js';
import { createSimulatorBackend } from './models/index.js';
import { openQuotaLimiter } from './quotas/index.js';
import type { IssuerKeySource } from './directory/index.js';
import { retiredKeyHorizonSeconds } from './shared/time-limits.js';
import { Fence, Membership, instancesTable } from './cluster/index.js';
import { KEYLESS_VERSION } from './shared/version.js';
import { FaultBoard, FaultService } from './faults/index.js';
import { ProviderRegistrations } from './providers/index.js';
import { instanceId } from './runtime/instance-id.js';
import { openOperations } from './operations/index.js';
import { SignInService } from './sign-in/index.js';
import { registerPortalRoutes } from './surfaces/portal/index.js';

export interface RunningKeyless {
  readonly info: RuntimeInfo;
  stop(): Promise<void>;
}

/**
 * The composition root: data folder → store → core services → surfaces →
 * listeners. The only module that knows them all. `clock` and `logStream`
 * (stderr by default) let tests run Keyless inside the test process.
 */
export async function startKeyless(options: UpOptions, clock: Clock = systemClock, logStream?: NodeJS.WritableStream): Promise<RunningKeyless> {
  // The database and the CLI's credential hold secrets too (sealed or digested, but still not for others to read).
  prepareDataDir(options.dataDir, { secretNames: ['admin-credential.json', 'keyless.db', 'runtime.json'] });
  const lock = acquireLock(options.dataDir);
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => undefined);
  };
  try {
    // --clock controllable: every part below reads the controlled time; the base stays the caller's (a test's clock, or the system's).
    const control = options.clock === 'controllable' ? new ControllableClock(clock) : undefined;
    return await start(options, control ?? clock, control, logStream, lock, cleanups, cleanup);
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function start(
  options: UpOptions,
  clock: Clock,
  clockControl: ControllableClock | undefined,
  logStream: NodeJS.WritableStream | undefined,
  _lock: DataDirLock,
  cleanups: (() => Promise<void> | void)[],
  cleanup: () => Promise<void>,
): Promise<RunningKeyless> {
  // First, so that an unreachable Redis fails the start before anything is generated.
  // Quotas: counted in Redis with --redis (shared by every instance), else in this process's memory.
  // For the data plane: DataPlaneDeps.quotas (QuotaLimiter), with deploymentCapacity() and limitsForCapacity().
  const quotas = await openQuotaLimiter({ redisUrl: options.redis, onWarning: (message) => process.stderr.write(`keyless: ${message}\n`) });
  cleanups.push(() => quotas.close());

  // The given chain (--tls-cert), checked for the public URL's host, or Keyless's own localhost certificate.
  const certificates = await serverCertificate(options.dataDir, options.tls, options.publicUrl);
  const kek = loadKek(options.dataDir, options.kekFile);
  const handle = await openDatabase({ url: options.database ?? path.join(options.dataDir, 'keyless.db'), entities: ENTITIES, tables: [instancesTable] });
  const store = new Store(handle, ENTITIES);
  cleanups.push(() => store.close());

  const identity = await bootstrap(store, kek, clock);
  const model = new ReadModel(store);
  const keyring = new Keyring(kek);
  const signingKeys = model.table(signingKeyEntity);
  model.on(signingKeyEntity, () => keyring.rebuild(signingKeys.values()));
  await model.load();
  keyring.rebuild(signingKeys.values());

  const tenantId = () => identity.tenantId;
  const subscriptionId = () => identity.subscriptionId;
  const pepper = () => identity.pepper;
  const names = new KeylessNames(DEFAULT_HOST_NAMES, tenantId);
  if (options.publicUrl !== undefined) names.setPublicOrigin(options.publicUrl);
  const directory = new DirectoryService(model, clock, pepper);
  const keys = new KeyService(model, clock, kek, pepper);
  const hostSecrets = new HostSecretService(store, model, clock, kek, pepper);
  const upstreams = new UpstreamService(model, kek, clock);
  const resources = new ResourceService(store, model, directory, keys, hostSecrets, upstreams, clock, { subscriptionId, tenantId });
  const rbac = new RoleAssignmentService(store, model, clock, subscriptionId, tenantId);
  const roleDefinitions = new RoleDefinitionService(store, model, clock, subscriptionId, rbac.catalog);
  const providers = new ProviderRegistrations(store, model, clock, subscriptionId);
  const principalExists = options.strictRevocation ? (objectId: string) => directory.principal(objectId) !== undefined : undefined;
  const tokens = new TokenService(keyring, clock, tenantId, (iss) => names.isOwnIssuer(iss), principalExists);
  // The token endpoint and the identity endpoints know the same resources: Azure's and Keyless's own ARM origins.
  const knownResources = new KnownResources(ISSUED_RESOURCES, (resource) => names.isOwnOrigin(resource));
  const miTokens = new ManagedIdentityTokens(tokens, clock, options.identityTokenLifetime);
  // Cached tokens of a deleted identity, or signed by keys that changed, are never handed out again.
  model.on(principalEntity, (change) => {
    if (change.value === undefined) miTokens.forget(change.key);
  });
  const verifiedTokens = new VerifiedTokenCache(tokens, () => clock.now(), principalExists);
  model.on(signingKeyEntity, () => {
    miTokens.clear();
    verifiedTokens.clear();
  });
  // A token cached before the clock jumped back would be handed out (or honoured) before its own iat.
  clockControl?.onMove(() => {
    miTokens.clear();
    verifiedTokens.clear();
  });
  const auditStore = new AuditStore(handle, {
    onThreadError: (error) => process.stderr.write(`keyless: the audit writer thread stopped (${error.message}); audit records are now written by the request thread\n`),
  });
  const audit = new AuditLog(auditStore, {
    onError: (error) => process.stderr.write(`keyless: audit records not written yet (will retry): ${String(error)}\n`),
  });
  // Flushed before the store closes (cleanups run in reverse).
  cleanups.push(() => audit.close());
  // Surfaces record through one builder stamped with the injected clock; ARM reads the trail back from the log.
  const auditRecorder = new AuditRecorder(audit, clock);
  const workload = await WorkloadIssuer.open(store, model, kek, () => names.origin, clock);
  const externalIssuers = new ExternalIssuerKeys(new Set(options.federatedIssuers));
  // The built-in workload issuer is verified in-process; any other issuer must be allowed and is fetched over HTTPS.
  const issuerKeys: IssuerKeySource = {
    key: async (issuer, kid) =>
      issuer === workload.issuer ? (kid === undefined || kid === workload.kid ? workload.publicKey : undefined) : externalIssuers.key(issuer, kid),
  };
  const clients = new ClientAuthenticator(directory, model, issuerKeys, (aud) => names.isOwnTokenEndpoint(aud), clock);
  const credentials = new CredentialService(store, model, directory, clock);
  // Faults (`keyless fault add`): stored, so every instance injects them; one spent by --times is removed for all.
  const faultService = new FaultService(store, model, clock);
  const faults = new FaultBoard(model, clock, (id) => {
    faultService.clear([id]).catch((error: unknown) => process.stderr.write(`keyless: a spent fault (${id}) could not be removed yet: ${String(error)}\n`));
  });
  // --async-operations: creates and deletes of accounts and deployments become Azure's long-running operations.
  // One-time sign-in codes (`keyless portal`) and the portal's refresh tokens, in the store so that any instance redeems them once.
  const signIns = new SignInService(store, model, clock);
  const operations = options.asyncOperations ? openOperations(store, model, clock, options.asyncDelayMs, resources) : undefined;
  await ensureAdminCredential(options.dataDir, store, model, directory, identity.tenantId, identity.adminObjectId);

  // Closed until this instance has joined the cluster (Membership.start, after the listeners have their ports).
  const fence = new Fence(options.leaseMs);
  const membership = new Membership(store, model, fence, {
    id: instanceId(options.dataDir),
    address: () => names.origin,
    startedAt: new Date(clock.now()).toISOString(),
    version: KEYLESS_VERSION,
    postgres: handle.postgres,
    // Instances share signing keys: tokens issued by a member (its port) are accepted here, whichever host name they name.
    onPeers: (addresses) => names.setPeerOrigins(peerOrigins(addresses)),
    onWarning: (message) => process.stderr.write(`keyless: ${message}\n`),
  });
  let identityUrl = '';
  const relay = new UpstreamRelay();
  cleanups.push(() => relay.close());
  const simulator = createSimulatorBackend();
  const dataPlane = new DataPlane({
    upstreams,
    relay,
    quotas,
    now: () => clock.now(),
    accounts: new AccountIndex(model, operations && ((key) => operations.isCreating(key))),
    rbac,
    model: simulator,
    storedResponses: simulator.stored,
    audit: auditRecorder,
    keys,
    tokens: verifiedTokens,
    directory,
    fence,
    faults,
  });
  const main = createServer({
    tls: { key: certificates.keyPem, cert: certificates.certPem },
    logLevel: options.logLevel,
    ...(logStream && { logStream }),
    intercept: dataPlaneListener(dataPlane),
    errors: MAIN_PORT_ERRORS,
  });
  cleanups.push(() => main.close());

  // A fenced instance answers 503 everywhere but /healthz (which says so too, for load balancers); before any route.
  fenceRequests(main, fence);
  main.get('/healthz', async (_request, reply) => healthAnswer(reply, fence));
  await main.register(async (scope: FastifyInstance) => {
    registerFormParser(scope);
    registerEntraRoutes(scope, {
      names, tenantId, clients, keyring, tokens, resources: knownResources, workload, audit: auditRecorder, appTokenLifetime: options.appTokenLifetime,
      now: () => clock.now(), faults,
      isOperator: (clientId) => clients.principalId(clientId) === identity.adminObjectId,
      signIns,
      // Entra publishes no per-app figure; 20 per second per client, as the identity endpoints. No limit on concurrency:
      // a client is counted once authenticated, and what follows (one signature) never waits.
      throttle: options.tokenThrottle ? new HostThrottle(20, Number.POSITIVE_INFINITY, () => clock.now()) : undefined,
    });
  });
  await main.register(async (scope: FastifyInstance) => registerGraphRoutes(scope, { names, tokens, directory, credentials, rbac, model, now: () => clock.now(), audit: auditRecorder }), { prefix: GRAPH_PREFIX });
  await main.register(async (scope: FastifyInstance) =>
    registerArmRoutes(scope, { names, tenantId, subscriptionId, tokens, resources, rbac, roleDefinitions, model, hostSecrets, credentials, audit: auditRecorder, identityUrl: () => identityUrl, providers, operations }),
  );
  await main.register(async (scope: FastifyInstance) =>
    registerAdminRoutes(scope, {
      names, tenantId, subscriptionId, tokens, rbac, model, audit, workload, cluster: membership,
      now: () => clock.now(), adminObjectId: identity.adminObjectId, recorder: auditRecorder, clock: clockControl, faults: faultService, signIns,
      // Retired keys verify until the longest-lived token they could have signed has expired (plus skew).
      rotation: new SigningKeyRotation(store, model, clock, kek, retiredKeyHorizonSeconds(options.identityTokenLifetime, options.appTokenLifetime)),
    }),
  );

  // The portal's static files (no sign-in needed for them; everything else it shows comes from the APIs above).
  await main.register(async (scope: FastifyInstance) => registerPortalRoutes(scope));

  const resourceTable = model.table(resourceEntity);
  const identityServer = await createIdentityListener({ logLevel: options.logLevel, logStream, errors: IDENTITY_PORT_ERRORS }, fence, {
    hostSecrets,
    directory,
    resource: (key: string) => resourceTable.get(key),
    tokens: miTokens,
    knownResources,
    origin: () => names.origin,
    tenantId,
    audit: auditRecorder,
    throttle: options.identityThrottle ? new HostThrottle(20, 5, () => clock.now()) : undefined,
    now: () => clock.now(),
    faults,
  });
  cleanups.push(() => identityServer.close());

  const port = await listen(main, options.host, options.port, '--port');
  if (options.identityHostExplicit && !isLoopback(options.identityHost)) {
    process.stderr.write(`warning: the managed identity endpoint listens on ${options.identityHost}; anything that reaches it can ask for tokens of hosts whose secrets it knows.\n`);
  }
  names.bind(port);
  if (!quotas.shared && options.database !== undefined) {
    process.stderr.write('warning: quotas are counted by each instance alone; to share them between the instances on this database, give each one --redis redis://….\n');
  }

  const identityPort = await listen(identityServer, options.identityHost, options.identityPort, '--identity-port');
  identityUrl = `http://${urlHost(options.identityHost)}:${identityPort}`;

  // Joins the instances on this database: the change feed, the heartbeat (which also reads the change log, the
  // fallback for a lost notification), acknowledged writes. Until it has, the fence answers 503.
  await membership.start();
  cleanups.push(() => membership.stop());
  // After joining: the first sweep finishes what fell due while Keyless was stopped.
  operations?.start();
  if (operations) cleanups.push(() => operations.stop());

  const info: RuntimeInfo = {
    pid: process.pid,
    startedAt: new Date(clock.now()).toISOString(),
    dataDir: options.dataDir,
    baseUrl: names.origin,
    port,
    identityUrl,
    identityPort,
    host: options.host,
    tenantId: identity.tenantId,
    subscriptionId: identity.subscriptionId,
    ...(certificates.caPath !== undefined && { caPath: certificates.caPath }),
    serverName: certificates.serverName,
  };
  writeRuntimeFile(options.dataDir, info);
  cleanups.push(() => void removeRuntimeFile(options.dataDir, process.pid));
  return { info, stop: cleanup };
}
