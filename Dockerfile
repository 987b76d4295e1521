# Multi-stage build: dependencies and the web client are built in one stage; the runtime stage
# holds production dependencies, the server sources and web/dist, and runs as a non-root user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY web/package.json web/
RUN npm ci --omit=dev --no-audit --no-fund --workspace server --workspace shared --include-workspace-root

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared ./shared
COPY server ./server
COPY migrations ./migrations
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/server/dist ./server/dist
# uploaded images (docker-compose mounts a volume here; a new volume takes this owner)
RUN mkdir -p /var/lib/fanlab/uploads && chown node:node /var/lib/fanlab/uploads
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD node -e "fetch('http://127.0.0.1:3000/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# compiled (npm run build); one server process per core unless WEB_CONCURRENCY says otherwise
CMD ["node", "server/dist/main.js"]
