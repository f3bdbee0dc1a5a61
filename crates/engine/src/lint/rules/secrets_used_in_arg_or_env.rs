//! `SecretsUsedInArgOrEnv`: no secrets in `ARG` or `ENV`.
//!
//! ## What it does
//! Reports an `ARG` or `ENV` key (inside a stage; global ARGs are not
//! checked) that has one of the words `apikey`, `auth`, `credential(s)`,
//! `key`, `password`, `pword`, `passwd`, `secret` or `token` as a whole
//! `_`-separated part (any case), unless it also has `public`, `file` or
//! `version` as a part.
//!
//! ## Why is this bad?
//! ARG and ENV values are stored in the image's configuration and history,
//! where anyone who can pull the image can read them.
//!
//! ## Example
//! ```text
//! ARG AWS_SECRET_ACCESS_KEY     # warns
//! ARG PUBLIC_KEY                # fine
//! RUN --mount=type=secret,id=aws,env=AWS_SECRET_ACCESS_KEY aws s3 ls   # fine
//! ```

use layerlab_syntax::go_quote;

use super::Rule;

/// The rule.
pub const RULE: Rule = Rule {
    name: "SecretsUsedInArgOrEnv",
    description: "Sensitive data should not be used in the ARG or ENV commands",
    url: "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
    how_to_fix: "Pass secrets with a secret mount (RUN --mount=type=secret,id=name,env=NAME) and `docker build --secret`, which keeps them out of the image.",
    experimental: false,
    deprecated: false,
};

/// `Do not use ARG or ENV instructions for sensitive data (ARG "DB_PASSWORD")`.
pub fn message(instruction: &str, secret_key: &str) -> String {
    format!(
        "Do not use ARG or ENV instructions for sensitive data ({instruction} {})",
        go_quote(secret_key)
    )
}
