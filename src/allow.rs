//! Allowed patterns: `secrets.allowed` plus the top-level `.gitallowed`, matched (ERE, no
//! `-w`) against each finding's rendered output line, as upstream's `grep -Ev` does.

use bstr::ByteSlice;
use regex::bytes::{Regex, RegexBuilder};

use crate::config::Context;
use crate::ere;

/// Where an allowed pattern came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowOrigin {
    /// `secrets.allowed`.
    Config,
    /// The top-level `.gitallowed` file.
    GitAllowed,
}

impl std::fmt::Display for AllowOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AllowOrigin::Config => "secrets.allowed",
            AllowOrigin::GitAllowed => ".gitallowed",
        })
    }
}

/// The allowed patterns of one scan, compiled on first use.
pub struct Allowlist {
    patterns: Vec<(Vec<u8>, AllowOrigin)>,
    /// `.gitallowed` had entries that the policy ignored ([`crate::policy`]), and why.
    ignored_gitallowed: Option<&'static str>,
}

/// An allowed pattern that does not compile.
#[derive(Debug)]
pub struct AllowError {
    pub pattern: Vec<u8>,
    pub origin: AllowOrigin,
    pub message: String,
}

impl Allowlist {
    /// Load the allowed patterns. `toplevel` is the work tree root whose `.gitallowed` applies.
    ///
    /// Fixed upstream quirks: an empty entry no longer allows everything (it is ignored), and a
    /// repository path with whitespace no longer hides `.gitallowed`.
    pub fn load(ctx: &Context, toplevel: Option<&std::path::Path>) -> Allowlist {
        let mut patterns = Vec::new();
        for value in ctx.get_all("secrets", "allowed") {
            for line in value.split_str("\n") {
                if !line.is_empty() {
                    patterns.push((line.to_vec(), AllowOrigin::Config));
                }
            }
        }
        let mut ignored_gitallowed = None;
        if let Some(top) = toplevel
            && let Ok(content) = crate::bounded::read(&top.join(".gitallowed"))
        {
            let lines = parse_gitallowed(&content);
            // A policy value that does not parse is reported by the detector's build; here it
            // counts as not trusting (fail closed).
            match crate::policy::RepositoryTrust::from_config(ctx) {
                Ok(t) if t.gitallowed => {
                    patterns.extend(lines.into_iter().map(|p| (p, AllowOrigin::GitAllowed)))
                }
                Ok(t) if !lines.is_empty() => ignored_gitallowed = Some(t.reason),
                _ => {}
            }
        }
        Allowlist {
            patterns,
            ignored_gitallowed,
        }
    }

    /// Notes for stderr: `.gitallowed` ignored by policy, and every entry that matches almost
    /// anything ([`crate::policy::is_broad`]).
    pub fn notes(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(reason) = self.ignored_gitallowed {
            out.push(format!(
                "git-secrets: note: ignoring .gitallowed ({reason})\n"
            ));
        }
        for (p, origin) in &self.patterns {
            let Ok(t) = ere::translate(p) else {
                continue;
            };
            let Ok(r) = RegexBuilder::new(&t).unicode(false).build() else {
                continue;
            };
            if crate::policy::is_broad(|s| r.is_match(s)) {
                out.push(crate::policy::broad_warning(p, &origin.to_string()));
            }
        }
        out
    }

    /// Compile into a matcher; `None` when there is nothing allowed.
    pub fn compile(&self) -> Result<Option<Regex>, AllowError> {
        if self.patterns.is_empty() {
            return Ok(None);
        }
        let mut union = String::new();
        for (p, origin) in &self.patterns {
            let t = ere::translate(p).map_err(|e| AllowError {
                pattern: p.clone(),
                origin: origin.clone(),
                message: e.message,
            })?;
            if !union.is_empty() {
                union.push('|');
            }
            union.push_str("(?:");
            union.push_str(&t);
            union.push(')');
        }
        RegexBuilder::new(&union)
            .unicode(false)
            .size_limit(256 << 20)
            .build()
            .map(Some)
            .map_err(|e| AllowError {
                pattern: self.patterns[0].0.clone(),
                origin: self.patterns[0].1.clone(),
                message: format!("allowed patterns too large or invalid: {e}"),
            })
    }
}

/// `.gitallowed` lines as upstream's `awk 'NF && $1 !~ /^#/'` keeps them: not blank, first
/// field not starting with `#`, otherwise verbatim.
pub fn parse_gitallowed(content: &[u8]) -> Vec<Vec<u8>> {
    content
        .split_str("\n")
        .filter(|line| {
            let first = line
                .split(|&b| b == b' ' || b == b'\t')
                .find(|f| !f.is_empty());
            first.is_some_and(|f| !f.starts_with(b"#"))
        })
        .map(<[u8]>::to_vec)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gitallowed_like_awk() {
        let parsed = parse_gitallowed(b"\n  \n#hash\n  # indented\nhash\n  keep me  \n");
        assert_eq!(parsed, vec![b"hash".to_vec(), b"  keep me  ".to_vec()]);
    }
}
