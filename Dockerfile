# The drift listener's image (dist/bootstrap/listener.yaml runs `node lib/src/listener/main.js`).
# Build and push it where SETTINGS.listenerImage (src/platform.ts) says:
#   docker build -t registry.example.com/paymentenv/drift-listener:0.1.0 . && docker push ...
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json ./
RUN npm ci --ignore-scripts
COPY src src
COPY imports imports
COPY bench bench
COPY scripts/versions.sh scripts/versions.sh
RUN npx tsc && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/lib lib
# Pinned versions are read at startup (src/versions.ts).
COPY --from=build /app/scripts/versions.sh scripts/versions.sh
# runAsNonRoot in the Deployment needs a numeric user.
USER 1000:1000
