//! Whose allowlists a scan trusts.
//!
//! A repository can silence every rule, the user's global packs included, with one line in a
//! file it carries: `[[allowed]] pattern = "."` or `disabled = [...]` in `.git-secrets.toml`,
//! or `.` in upstream's `.gitallowed`. Whoever controls the repository's content (the author
//! of a pull request, a pusher) then controls the scan. `secrets.trustRepositoryAllowlists`
//! decides:
//!
//! Inline markers (`git-secrets:allow`, `gitleaks:allow`, `pragma: allowlist secret` on the
//! line of a registry finding) are the same kind of allowlist, carried by the content itself.
//!
//! * unset, on a developer's machine: trusted (as before, and as upstream for `.gitallowed`);
//! * unset, in CI (`CI=true` or CodeBuild's `CODEBUILD_BUILD_ID`): the `.git-secrets.toml`
//!   allowlist and disabled rules, and inline markers, are ignored, since CI scans content
//!   nobody has reviewed yet; `.gitallowed` keeps upstream's behaviour;
//! * unset, in the pre-receive hook: inline markers are ignored ([`RepositoryTrust::for_server`]):
//!   a pusher appending `# gitleaks:allow` to a key's line got it accepted;
//! * `false`: all of them are ignored; `true`: all are trusted, in CI and on the server too.
//!
//! The pre-receive hook runs in a bare repository, which has no work tree and so never reads
//! `.git-secrets.toml` or `.gitallowed`: with inline markers ignored, pushed content cannot
//! allow itself there.
//!
//! Separately, an allowed pattern that matches almost anything is warned about wherever it
//! comes from, since it hides every finding it applies to.

use bstr::ByteSlice;

use crate::config::Context;

/// The config key.
pub const TRUST_KEY: &str = "secrets.trustRepositoryAllowlists";

/// What a scan takes from the repository's own files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepositoryTrust {
    /// `.git-secrets.toml`'s `[[allowed]]` and `disabled`.
    pub project_file: bool,
    /// `.gitallowed`.
    pub gitallowed: bool,
    /// Inline markers on a finding's line.
    pub inline: bool,
    /// Why not, when something is not trusted: for the note.
    pub reason: &'static str,
}

impl RepositoryTrust {
    /// The policy from `secrets.trustRepositoryAllowlists` and the environment; a value that
    /// is not a git boolean is one error line naming the key.
    pub fn from_config(ctx: &Context) -> Result<RepositoryTrust, String> {
        let value = ctx.get_all("secrets", "trustRepositoryAllowlists").pop();
        match value.map(|v| v.to_str_lossy().trim().to_ascii_lowercase()) {
            None if in_ci() => Ok(RepositoryTrust {
                project_file: false,
                gitallowed: true,
                inline: false,
                reason: "secrets.trustRepositoryAllowlists is false by default in CI",
            }),
            None => Ok(RepositoryTrust::all()),
            Some(v) => match v.as_str() {
                "true" | "yes" | "on" | "1" => Ok(RepositoryTrust::all()),
                "false" | "no" | "off" | "0" | "" => Ok(RepositoryTrust {
                    project_file: false,
                    gitallowed: false,
                    inline: false,
                    reason: "secrets.trustRepositoryAllowlists is false",
                }),
                _ => Err(format!(
                    "git-secrets: bad value '{v}' for {TRUST_KEY} (expected true or false)"
                )),
            },
        }
    }

    /// The policy of the pre-receive hook: as [`RepositoryTrust::from_config`] when the key is
    /// set; unset, nothing the pushed content carries is trusted.
    pub fn for_server(ctx: &Context) -> Result<RepositoryTrust, String> {
        if ctx
            .get_all("secrets", "trustRepositoryAllowlists")
            .is_empty()
        {
            return Ok(RepositoryTrust {
                project_file: false,
                gitallowed: false,
                inline: false,
                reason: "secrets.trustRepositoryAllowlists is false by default in the pre-receive hook",
            });
        }
        RepositoryTrust::from_config(ctx)
    }

    fn all() -> RepositoryTrust {
        RepositoryTrust {
            project_file: true,
            gitallowed: true,
            inline: true,
            reason: "",
        }
    }
}

/// Whether we run in CI: `CI=true` (GitHub Actions, GitLab, CircleCI, Travis and others set
/// it) or CodeBuild, which does not set `CI` but always sets `CODEBUILD_BUILD_ID`.
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
        || std::env::var_os("CODEBUILD_BUILD_ID").is_some_and(|v| !v.is_empty())
}

/// Secrets of unrelated shapes, with nothing in common but being secrets: a pattern that
/// matches every one of them allows almost anything (`.`, `.*`, `^`, `[^ ]`, `\w`...).
const SAMPLES: [&[u8]; 6] = [
    b"AKIAZ7Q3X9K2M4N6P8R1",
    b"hunter2",
    b"-----BEGIN PRIVATE KEY-----",
    b"xoxb-2048-9f3a7c",
    b"Zq8/+Tm==",
    b"0",
];

/// Whether `matches` accepts every sample secret.
pub fn is_broad(matches: impl Fn(&[u8]) -> bool) -> bool {
    SAMPLES.iter().all(|s| matches(s))
}

/// The warning for a broad pattern.
pub fn broad_warning(pattern: &[u8], origin: &str) -> String {
    let shown: String = pattern
        .to_str_lossy()
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    format!(
        "git-secrets: warning: allowed pattern '{shown}' from {origin} matches almost anything, so it hides every finding it applies to\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broad_patterns_are_told_from_narrow_ones() {
        let broad = |p: &str| {
            let r = regex::bytes::Regex::new(p).unwrap();
            is_broad(|s| r.is_match(s))
        };
        for p in [".", ".*", "^", "", "$", "[^ ]", r"\S", "(?s).", "a|.", "x*"] {
            assert!(broad(p), "{p}");
        }
        for p in [
            "AKIA",
            "[a-z]",
            r"\w{8}",
            "EXAMPLE",
            "^a\\.txt:",
            "1",
            "hunter2",
        ] {
            assert!(!broad(p), "{p}");
        }
    }
}
