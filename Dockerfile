# One image for every app of the exchange (docs/deployment.md). The command names the app:
#   docker run … sgx dist/apps/hub/src/main.js
#   docker run … sgx dist/scripts/prepare.js     (migrations, topics: the deploy step)
# Build: docker build -t safeguarding-exchange .

# --- build: compile TypeScript with the pinned toolchain --------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY apps apps
COPY libs libs
COPY scripts scripts
RUN npx tsc -p tsconfig.build.json \
  && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled code, production dependencies, the data files; no compiler, no root ----
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    KEYS_DIR=/keys \
    TS_NODE_BASEURL=/app/dist
WORKDIR /app
# Owned by root, read-only for the app's user: the running service cannot change its own code.
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json tsconfig.json ./
COPY deploy/policy deploy/policy
COPY deploy/calendar deploy/calendar
COPY deploy/marac deploy/marac
COPY deploy/registry deploy/registry
# The web console's page templates and styles, read at run time.
COPY apps/console/views apps/console/views
COPY apps/console/assets apps/console/assets
# The image's unprivileged user (uid 1000); keys and Kafka passwords are mounted, never built in.
USER node
EXPOSE 3000
# tsconfig-paths maps the @app/* imports onto dist/ (TS_NODE_BASEURL).
ENTRYPOINT ["node", "-r", "tsconfig-paths/register"]
CMD ["dist/apps/hub/src/main.js"]
