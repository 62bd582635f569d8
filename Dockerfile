# One image per service: docker build --build-arg SERVICE=ingest .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
# Only the services and what they use are built (the tools are not in the image, nor the test kit: scenarios and the
# RingCentral stand-in are for tests, the simulator and the bench).
RUN npm ci --no-audit --no-fund \
  && npx tsc -b services/ingest services/call-state services/reporting services/api \
  && npm prune --omit=dev \
  && rm -rf packages/testkit node_modules/@callpulse/testkit

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app /app
# Ingest's spool (INGEST_SPOOL_DIR in docker-compose.yml): a volume mounted here starts with this owner, so the
# unprivileged user can write it.
RUN mkdir -p /var/lib/callpulse/spool && chown -R node:node /var/lib/callpulse
USER node
# The V8 flags every service runs with (services/node-flags.json), as npm start and the bench use them.
CMD ["sh", "-c", "exec node $(node -p \"require('./services/node-flags.json').join(' ')\") services/${SERVICE}/dist/main.js"]
