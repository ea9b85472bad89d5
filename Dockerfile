# Keyless as a container image: docs/how-to/run-several-instances.md explains how to run it.
#
#   docker build -t keyless .
#   docker run -d -p 8443:8443 -v keyless-data:/data -e KEYLESS_KEK="$(openssl rand -base64 32)" keyless
#
# Any argument after the image name is a further `keyless up` flag, e.g.
#   --database postgres://… --redis redis://… --public-url https://keyless.example.com
#   --tls-cert /run/secrets/tls-cert --tls-key /run/secrets/tls-key --kek-file /run/secrets/keyless-kek
# Nothing secret is in the image: the key-encryption key comes from KEYLESS_KEK
# or --kek-file at run time (without either, Keyless makes one in /data/kek).

# Both stages use the same Node.js on the same Debian release, so that the
# better-sqlite3 addon built in the first runs in the second (same glibc, same
# Node ABI). Pin a full version (e.g. --build-arg NODE_VERSION=20.20.2) for
# reproducible builds.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /app
# If no prebuilt better-sqlite3 binary can be downloaded, node-gyp compiles it
# (this image has python3, make and g++) against the image's own Node headers.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own `prepare` (the build) needs the sources,
# copied below; better-sqlite3's install script then runs on its own.
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# The web portal's source: `npm run build` bundles it into dist/portal (esbuild and preact are dev dependencies, pruned after).
COPY portal ./portal
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production \
    KEYLESS_DATA=/data
WORKDIR /app
# Owned by root, read-only for the user Keyless runs as.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/portal ./dist/portal
COPY --from=build /app/bin ./bin
# The data folder: Keyless refuses one that others can read (0700, owned by the user it runs as).
RUN ln -s /app/bin/keyless /usr/local/bin/keyless \
 && mkdir -p /data \
 && chown 1000:1000 /data \
 && chmod 700 /data
# The image's `node` user, given by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# Per instance: the certificate, runtime.json, the admin credential, and the SQLite database unless --database is given.
VOLUME ["/data"]
# The HTTPS listener: authority, control plane, data plane. The managed identity
# endpoints (8080, plain HTTP) stay on the container's loopback unless
# --identity-host says otherwise.
EXPOSE 8443
# GET /healthz on the HTTPS listener, found and trusted through /data/runtime.json as the CLI does (no curl in this image).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "/app/bin/keyless-healthcheck"]
# Every address inside the container: the published port decides who reaches it.
ENTRYPOINT ["keyless", "up", "--host", "0.0.0.0"]
