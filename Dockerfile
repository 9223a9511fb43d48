# jackstop: build with `docker build -t jackstop:0.1.0 .`; set the image an install uses with
# `jackstop certs --image` or a kustomize `images:` entry (docs/install.md).
# The image runs the compiled JavaScript (npm run build); the policies a Deployment mounts from
# its ConfigMap stay TypeScript, which Node 24 strips itself outside node_modules.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the node@24 devDependency is not needed, the image is Node 24 already.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json tsconfig.api.json ./
COPY scripts/copy-policy-files.ts ./scripts/
COPY src ./src
COPY policies ./policies
RUN npm run build

FROM node:24-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM gcr.io/distroless/nodejs24-debian12:nonroot
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# Numeric non-root user (distroless "nonroot"), no shell, read-only root filesystem friendly.
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/nodejs/bin/node", "dist/src/cli/main.js"]
CMD ["serve", "--host=0.0.0.0"]
