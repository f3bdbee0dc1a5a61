//! The generated 50,000-line Dockerfile that `benches/parse.rs` measures
//! and `examples/parse_n.rs` parses (or writes, with `gen-large`), kept in
//! one place so both always use the same text.

/// A 50,000-line Dockerfile made of realistic instruction shapes.
pub fn large_file() -> String {
    let block = [
        "FROM debian:bookworm-slim AS base",
        "ARG VERSION=1.2.3",
        "ENV PATH=/usr/local/bin:$PATH LANG=C.UTF-8",
        "# install the toolchain",
        "RUN apt-get update \\",
        "    && apt-get install -y --no-install-recommends ca-certificates curl git \\",
        "    # keep the image small",
        "    && rm -rf /var/lib/apt/lists/*",
        "WORKDIR /src",
        "COPY --chown=app:app --chmod=755 package.json package-lock.json ./",
        "RUN --mount=type=cache,target=/root/.npm npm ci",
        "COPY . .",
        "LABEL org.opencontainers.image.title=\"demo\" version=\"${VERSION}\"",
        "EXPOSE 8080/tcp",
        "HEALTHCHECK --interval=30s CMD [\"curl\", \"-f\", \"http://localhost:8080/\"]",
        "USER app",
        "ENTRYPOINT [\"node\", \"server.js\"]",
        "",
    ];
    let mut s = String::new();
    let mut lines = 0;
    while lines < 50_000 {
        for l in block {
            s.push_str(l);
            s.push('\n');
            lines += 1;
        }
    }
    s
}
