//! `ExposeInvalidFormat`: `EXPOSE` takes ports, not mappings.
//!
//! ## What it does
//! Reports an `EXPOSE` value with an IP address or a host port
//! (`127.0.0.1:80:80`, `8080:80`).
//!
//! ## Why is this bad?
//! `EXPOSE` only documents which container ports the program listens on;
//! publishing to the host is `docker run -p`'s job. The host part is
//! ignored, and this will become an error in a future release.
//!
//! ## Example
//! ```text
//! EXPOSE 8080:80     # warns
//! EXPOSE 80          # fine (publish with docker run -p 8080:80)
//! ```

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "ExposeInvalidFormat",
    description: "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an error in a future release",
    url: "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
    how_to_fix: "Keep only the container port (EXPOSE 80) and map it when running: docker run -p 8080:80.",
    experimental: false,
    deprecated: false,
};

/// `EXPOSE instruction should not define an IP address or host-port mapping, found '8080:80'`.
pub fn message(port: &str) -> String {
    format!(
        "EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'"
    )
}
