# syntax=docker/dockerfile:1
# Build: the same tool script as a developer machine (cargo-leptos, wasm-bindgen, wasm-opt from
# source), then the release build of the server binary, the wasm bundle and the demo data source
# (iot-rocket-datagen, started by compose.yaml as its own service from this image).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY scripts/tools.sh scripts/tools.sh
RUN bash scripts/tools.sh
COPY . .
RUN cargo leptos build --release \
 && cargo build --release --locked -p datagen

# Run: a slim Debian with the binary, the site files and the themes, as a non-root user.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin iotrocket \
 && mkdir -p /data \
 && chown iotrocket /data
WORKDIR /app
COPY --from=build /src/target/release/iot-rocket /app/iot-rocket
COPY --from=build /src/target/release/iot-rocket-datagen /app/iot-rocket-datagen
COPY --from=build /src/target/site /app/site
COPY themes /app/themes
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    DATA_DIR=/data \
    THEME=default \
    LOG_FORMAT=json
USER iotrocket
VOLUME ["/data"]
EXPOSE 3000
ENTRYPOINT ["/app/iot-rocket"]
CMD ["serve"]
