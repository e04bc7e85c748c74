# The two images of the reference stack built from this repository (see docker-compose.yaml): the plugin's
# production build and the scenario generator. Both are built from one dependency install.
FROM node:20.20.2-bookworm-slim AS build
WORKDIR /mesh-lens
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm run build:generator

# Run once: copies the built plugin into the volume Grafana mounts as its plugin directory.
FROM node:20.20.2-bookworm-slim AS plugin
COPY --from=build /mesh-lens/dist /mesh-lens/dist
CMD ["sh", "-c", "rm -rf /plugin/* && cp -a /mesh-lens/dist/. /plugin/ && echo 'Mesh Lens copied into the plugin volume'"]

# Linkerd-format proxies for the Collector to scrape, the apps' OTLP metrics and traces, the truth at /truth:
# generator/cli.ts bundled into one file, so the image needs no node_modules.
FROM node:20.20.2-bookworm-slim AS generator
WORKDIR /mesh-lens
COPY --from=build /mesh-lens/dist-generator/generator.js ./generator.js
RUN mkdir /discovery && chown node:node /discovery
USER node
EXPOSE 9100
ENTRYPOINT ["node", "/mesh-lens/generator.js"]
CMD ["serve", "--scenario=demo", "--port=9100"]
