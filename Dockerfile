# Multi-stage build of the portal: cargo-leptos builds the server and the wasm bundle, the
# runtime image holds only the binary, the site folder and libpq.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends binaryen libpq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN rustup target add wasm32-unknown-unknown \
    && cargo install cargo-leptos --locked --version 0.3.10
WORKDIR /src
COPY . .
RUN cargo install wasm-bindgen-cli --version "$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
RUN cargo leptos build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app portal
WORKDIR /app
COPY --from=build /src/target/release/uhd-portal /app/uhd-portal
COPY --from=build /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    PORTAL_DATA_DIR=/app/data \
    PORTAL_ENV=production
RUN mkdir -p /app/data && chown portal /app/data
USER portal
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/3000"]
ENTRYPOINT ["/app/uhd-portal"]
CMD ["serve"]
