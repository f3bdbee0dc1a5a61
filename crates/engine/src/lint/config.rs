//! The `# check=` directive and which rules run: BuildKit's
//! `linter.ParseLintOptions`, `Linter.Run` and `WithMergedConfigFromComments`.

use super::rules::Rule;

/// What `# check=skip=...;error=...;experimental=...` asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckConfig {
    /// `skip=all`.
    pub skip_all: bool,
    /// `skip=A,B`.
    pub skip: Vec<String>,
    /// `experimental=all`.
    pub experimental_all: bool,
    /// `experimental=A,B`.
    pub experimental: Vec<String>,
    /// `error=true`: warnings make the build fail.
    pub error: bool,
}

impl CheckConfig {
    /// BuildKit's `ParseLintOptions`: at most three `;`-separated options
    /// (a third part keeps any further `;`), each `key=value`.
    pub fn parse(check: &str) -> Result<CheckConfig, String> {
        let check = check.trim();
        let mut cfg = CheckConfig::default();
        if check.is_empty() {
            return Ok(cfg);
        }
        for part in check.splitn(3, ';') {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!("invalid check option {}", go_q(part)));
            };
            match k.trim() {
                "skip" => {
                    let v = v.trim();
                    if v == "all" {
                        cfg.skip_all = true;
                    } else {
                        cfg.skip = v.split(',').map(|s| s.trim().to_string()).collect();
                    }
                }
                "experimental" => {
                    let v = v.trim();
                    if v == "all" {
                        cfg.experimental_all = true;
                    } else {
                        cfg.experimental = v.split(',').map(|s| s.trim().to_string()).collect();
                    }
                }
                "error" => match crate::run::goutil::parse_bool(v.trim()).ok() {
                    Some(b) => cfg.error = b,
                    None => {
                        return Err(format!(
                            "failed to parse check option {}: strconv.ParseBool: parsing {}: invalid syntax",
                            go_q(part),
                            go_q(v.trim())
                        ))
                    }
                },
                other => return Err(format!("invalid check option {}", go_q(other))),
            }
        }
        Ok(cfg)
    }

    /// BuildKit's `WithMergedConfig`: skips and experimental rules add up;
    /// `error` is not taken from a comment.
    fn merged(&self, other: &CheckConfig) -> CheckConfig {
        let mut out = self.clone();
        out.skip_all |= other.skip_all;
        out.experimental_all |= other.experimental_all;
        out.skip.extend(other.skip.iter().cloned());
        out.experimental.extend(other.experimental.iter().cloned());
        out
    }

    /// Whether `rule` runs under this configuration (`Linter.Run`).
    pub fn enabled(&self, rule: &Rule) -> bool {
        if rule.deprecated {
            return false;
        }
        if rule.experimental {
            self.experimental_all || self.experimental.iter().any(|r| r == rule.name)
        } else {
            !(self.skip_all || self.skip.iter().any(|r| r == rule.name))
        }
    }

    /// The configuration for an instruction preceded by `comments`
    /// (`WithMergedConfigFromComments`): the first comment that reads as a
    /// `check=` directive is merged in; an invalid one leaves the
    /// configuration as it is.
    pub fn with_comments(&self, comments: &[String]) -> CheckConfig {
        for c in comments {
            let Some((name, value)) = layerlab_syntax::match_directive(c.trim_start()) else {
                continue;
            };
            if !name.eq_ignore_ascii_case("check") {
                continue;
            }
            let v = value.split(' ').next().unwrap_or_default();
            return match CheckConfig::parse(v) {
                Ok(other) => self.merged(&other),
                Err(_) => self.clone(),
            };
        }
        self.clone()
    }
}

fn go_q(s: &str) -> String {
    layerlab_syntax::go_quote(s)
}

/// The value of the `check` directive as BuildKit's
/// `parser.ParseDirective("check", dt)` finds it: a first line starting
/// with `#!` is skipped, then lines are read while each is a `#` directive
/// (no leading white space allowed); the value is cut at its first space.
pub fn check_directive(source: &str) -> Option<String> {
    layerlab_syntax::parse_directive("check", source)
        .map(|value| value.split(' ').next().unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_options() {
        let c = CheckConfig::parse("skip=A, B;error=true").unwrap_or_default();
        assert_eq!(c.skip, ["A", "B"]);
        assert!(c.error);
        assert!(CheckConfig::parse("skip=all").is_ok_and(|c| c.skip_all));
        assert_eq!(
            CheckConfig::parse("foo=bar"),
            Err("invalid check option \"foo\"".to_string())
        );
        assert_eq!(
            CheckConfig::parse("skip"),
            Err("invalid check option \"skip\"".to_string())
        );
        assert_eq!(
            CheckConfig::parse("error=maybe"),
            Err("failed to parse check option \"error=maybe\": strconv.ParseBool: parsing \"maybe\": invalid syntax".to_string())
        );
    }

    #[test]
    fn finds_the_directive() {
        assert_eq!(
            check_directive("# syntax=x\n#check=skip=all\nFROM a"),
            Some("skip=all".into())
        );
        assert_eq!(
            check_directive("#!/bin/x\n# check=error=true\n"),
            Some("error=true".into())
        );
        assert_eq!(check_directive("FROM a\n# check=skip=all\n"), None);
        assert_eq!(check_directive("  # check=skip=all\n"), None);
    }

    #[test]
    fn comments_merge_skips_but_not_error() {
        let base = CheckConfig::default();
        let c = base.with_comments(&["check=skip=all;error=true".to_string()]);
        assert!(c.skip_all);
        assert!(!c.error);
        let c = base.with_comments(&["hello".into(), "check = bogus".into()]);
        assert_eq!(c, base);
    }
}
