# The two images of the reference stack built from this repository (see docker-compose.yaml): the plugin's
# production build and the scenario generator. Both start from one dependency install.
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /mesh-lens
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# `npm run build` writes dist/; run once, the image copies it into the volume Grafana mounts as its plugin.
FROM deps AS plugin
COPY . .
RUN npm run build
CMD ["sh", "-c", "rm -rf /plugin/* && cp -a dist/. /plugin/ && echo \"Mesh Lens $(node -p 'require(\"./dist/plugin.json\").info.version') copied into the plugin volume\""]

# Linkerd-format proxies for the Collector to scrape, the apps' OTLP metrics and traces, the truth at /truth.
FROM deps AS generator
COPY . .
RUN mkdir /discovery && chown node:node /discovery
USER node
EXPOSE 9100
ENTRYPOINT ["/mesh-lens/node_modules/.bin/tsx", "/mesh-lens/scripts/scenario.ts"]
CMD ["serve", "--scenario", "demo", "--port", "9100"]
