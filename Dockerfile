# GoSync in a container: build the site and the binary with the same commands as `make build`,
# then a slim runtime with libpdfium and the converters (LibreOffice, ffmpeg, tesseract,
# heif-convert), running as a non-root user, data in /data.
#   docker build -t gosync .
#   docker run -p 3000:3000 -v gosync-data:/data gosync
# Several nodes: see compose.yaml (PostgreSQL, S3-compatible storage, a worker).

FROM rust:1.95-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm python3 python3-pip \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# make build = scripts/setup-build.sh (wasm target, wasm-bindgen, wasm-opt, tus-js-client,
# libpdfium), scripts/build-site.sh (target/site), cargo build --release.
RUN make build CACHE_DIR=/nonexistent

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui \
    ffmpeg tesseract-ocr tesseract-ocr-eng libheif-examples fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin gosync \
 && mkdir -p /data && chown gosync /data
COPY --from=build /src/target/release/gosync /usr/local/bin/gosync
COPY --from=build /src/target/site /opt/gosync/site
COPY --from=build /src/tools/pdfium/libpdfium.so /opt/gosync/lib/libpdfium.so
ENV GOSYNC_ADDR=0.0.0.0:3000 \
    GOSYNC_DATA_DIR=/data \
    GOSYNC_SITE_ROOT=/opt/gosync/site \
    GOSYNC_PDFIUM_PATH=/opt/gosync/lib/libpdfium.so \
    GOSYNC_LOG_FORMAT=json
VOLUME /data
USER gosync
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD curl -fsS http://127.0.0.1:3000/readyz || exit 1
ENTRYPOINT ["gosync"]
CMD ["serve"]
