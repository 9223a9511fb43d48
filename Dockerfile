# jackstop: build with `docker build -t jackstop:0.1.0 .` (the tag manifests/deployment.yaml uses).
# Node 24 LTS runs the TypeScript sources directly (built-in type stripping): no build stage
# output but the production dependencies.

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; no install scripts (the node@24 devDependency is not needed:
# the image is Node 24 already).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY policies ./policies
# Numeric non-root user (distroless "nonroot"), no shell, read-only root filesystem friendly.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/nodejs/bin/node", "src/cli/main.ts"]
CMD ["serve", "--host=0.0.0.0"]
