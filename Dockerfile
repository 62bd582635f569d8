# One image per service: docker build --build-arg SERVICE=ingest .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
RUN npm ci --no-audit --no-fund && npx tsc -b && npm prune --omit=dev

FROM node:20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=build /app /app
USER node
# The V8 flags every service runs with (services/node-flags.json), as npm start and the bench use them.
CMD ["sh", "-c", "exec node $(node -p \"require('./services/node-flags.json').join(' ')\") services/${SERVICE}/dist/main.js"]
