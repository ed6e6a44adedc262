//! Machine-readable reports: JSON, JSON Lines, SARIF 2.1.0 and ASFF (AWS Security Finding
//! Format). One [`Finding`] model feeds every writer; secrets are redacted unless the user
//! opts out, because a secret that reaches a build log or Security Hub is a second leak.

mod asff;
mod json;
mod sarif;

use std::io::Write;
use std::path::PathBuf;

use crate::detect::Finding;
use crate::rules::SeverityLabel;

pub use asff::{MAX_BATCH_BYTES, MAX_FINDING_BYTES, MAX_FINDINGS_PER_BATCH};
pub use json::SCHEMA_VERSION;

/// The tool's name in every report.
pub const TOOL_NAME: &str = "git-secrets";

/// This implementation's name, next to [`TOOL_NAME`] where a format has room for both.
pub const IMPLEMENTATION: &str = "git-secrets-rs";

/// Where reports point people for the tool (SARIF `informationUri`, JSON `tool`).
pub const INFORMATION_URI: &str = "https://github.com/awslabs/git-secrets";

/// A machine format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// AWS Security Finding Format, for `aws securityhub batch-import-findings`.
    Asff,
}

impl Format {
    /// Parse a `--format` value (`human` is not a machine format: `None`).
    pub fn parse(name: &str) -> Result<Option<Format>, String> {
        match name {
            "human" => Ok(None),
            "json" => Ok(Some(Format::Json)),
            "jsonl" => Ok(Some(Format::Jsonl)),
            "sarif" => Ok(Some(Format::Sarif)),
            "asff" => Ok(Some(Format::Asff)),
            other => Err(format!(
                "unknown format '{other}' (expected human, json, jsonl, sarif or asff)"
            )),
        }
    }
}

impl Format {
    /// The format a report file's name asks for: `.asff.json`/`.asff.jsonl` ASFF, `.sarif`
    /// (or `.sarif.json`) SARIF, `.jsonl` JSON Lines, `.json` JSON.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let name = name.to_ascii_lowercase();
        if name.ends_with(".asff.json") || name.ends_with(".asff.jsonl") {
            Some(Format::Asff)
        } else if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
            Some(Format::Sarif)
        } else if name.ends_with(".jsonl") {
            Some(Format::Jsonl)
        } else if name.ends_with(".json") {
            Some(Format::Json)
        } else {
            None
        }
    }
}

/// AWS context for ASFF.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsContext {
    /// 12-digit account id (`--aws-account-id`, or from `CODEBUILD_BUILD_ARN`).
    pub account_id: Option<String>,
    /// Region (`--aws-region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, or from the build ARN).
    pub region: Option<String>,
    /// `CODEBUILD_BUILD_ARN`, when running inside CodeBuild.
    pub codebuild_build_arn: Option<String>,
}

/// What every report says about the scan as a whole.
#[derive(Debug, Clone)]
pub struct ReportContext {
    /// Our version (`CARGO_PKG_VERSION`).
    pub tool_version: &'static str,
    /// Which scan produced the findings: `scan`, `scan-cached`, `scan-untracked`,
    /// `scan-no-index`, `scan-files`, `scan-history`, `scan-range`, `pre-commit`,
    /// `commit-msg`, `prepare-commit-msg`, `pre-push`, `scan-repos`.
    pub scan_mode: &'static str,
    /// Repository name: `--repository`, else the `origin` remote URL, else the directory name.
    pub repository: String,
    /// The work tree root, when there is one.
    pub repository_path: Option<PathBuf>,
    /// When the report was made, RFC 3339 UTC with a `Z`.
    pub generated_at: String,
    /// Redact secrets (default); `--no-redact` turns it off.
    pub redact: bool,
    /// For ASFF.
    pub aws: AwsContext,
    /// The key of every fingerprint in the report (and so of ASFF Ids).
    pub fingerprint_key: crate::fingerprint::FingerprintKey,
}

/// A report that cannot be written (e.g. ASFF without an account id): one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Check, before scanning, that `format` can be written with `ctx` (so a missing ASFF account
/// id fails fast with a clear message instead of after a long scan).
pub fn preflight(format: Format, ctx: &ReportContext) -> Result<(), FormatError> {
    match format {
        Format::Asff => asff::preflight(ctx).map(|_| ()),
        Format::Json | Format::Jsonl | Format::Sarif => Ok(()),
    }
}

/// Write `findings` in `format`.
pub fn write(
    format: Format,
    ctx: &ReportContext,
    findings: &[Finding],
    out: &mut dyn Write,
) -> Result<(), FormatError> {
    // The work tree root as gix reports it may be relative (`.`, `..`): reports want it
    // absolute and, like the current directory, without symlinks.
    let mut ctx = ctx.clone();
    ctx.repository_path = ctx.repository_path.map(|p| {
        std::fs::canonicalize(&p)
            .or_else(|_| std::path::absolute(&p))
            .unwrap_or(p)
    });
    let ctx = &ctx;
    let bytes = match format {
        Format::Json => json::document(ctx, findings)?,
        Format::Jsonl => json::lines(ctx, findings)?,
        Format::Sarif => sarif::log(ctx, findings)?,
        Format::Asff => asff::batches(ctx, findings)?,
    };
    out.write_all(&bytes)
        .map_err(|e| FormatError(format!("cannot write the report: {e}")))
}

/// How many findings a report in `format` holds: ASFF has one per (rule, secret), with the
/// other places counted in `Occurrences`; the other formats one per finding.
pub fn record_count(format: Format, findings: &[Finding]) -> usize {
    match format {
        Format::Asff => findings
            .iter()
            .map(|f| (f.rule_id(), f.secret_bytes()))
            .collect::<std::collections::HashSet<_>>()
            .len(),
        Format::Json | Format::Jsonl | Format::Sarif => findings.len(),
    }
}

fn serialize<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, FormatError> {
    serde_json::to_vec(value).map_err(|e| FormatError(format!("cannot encode the report: {e}")))
}

fn serialize_pretty<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, FormatError> {
    let mut v = serde_json::to_vec_pretty(value)
        .map_err(|e| FormatError(format!("cannot encode the report: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// Rule id reported for upstream-style prohibited patterns, and what the formats say about
/// them (they come from git config, without a description or severity).
const PROHIBITED_DESCRIPTION: &str =
    "Prohibited pattern from git config (secrets.patterns or a secrets provider)";
const PROHIBITED_SEVERITY: u8 = 80;

/// What every writer says about the rule behind a finding.
#[derive(Debug, Clone, Copy)]
struct RuleInfo<'a> {
    id: &'a str,
    description: &'a str,
    /// 0–100.
    severity: u8,
    label: SeverityLabel,
    /// `low`, `medium` or `high`.
    confidence: &'static str,
    /// Pack name, registry file, or `git-config`.
    source: &'a str,
    references: &'a [String],
}

impl RuleInfo<'_> {
    fn of(f: &Finding) -> RuleInfo<'_> {
        match &f.rule {
            Some(r) => RuleInfo {
                id: &r.id,
                description: &r.description,
                severity: r.severity,
                label: r.severity_label,
                confidence: r.confidence.as_str(),
                source: &r.source,
                references: &r.references,
            },
            None => RuleInfo {
                id: f.rule_id(),
                description: PROHIBITED_DESCRIPTION,
                severity: PROHIBITED_SEVERITY,
                label: SeverityLabel::from_score(PROHIBITED_SEVERITY),
                confidence: "medium",
                source: "git-config",
                references: &[],
            },
        }
    }

    /// The first `http(s)` reference, for formats with one help link.
    fn help_uri(&self) -> Option<&str> {
        self.references
            .iter()
            .map(String::as_str)
            .find(|r| r.starts_with("https://") || r.starts_with("http://"))
    }
}

/// The secret as a report shows it: redacted, or whole with `--no-redact`.
fn shown_secret(f: &Finding, redact: bool) -> String {
    if redact {
        f.redacted_secret()
    } else {
        String::from_utf8_lossy(f.secret_bytes()).into_owned()
    }
}

/// The repository-relative path as UTF-8 (lossy), falling back to the printed path.
fn path_text(f: &Finding) -> String {
    String::from_utf8_lossy(f.repo_path.as_deref().unwrap_or(&f.path)).into_owned()
}

/// 1-based byte columns of the secret: (first byte, one past the last byte).
fn byte_columns(f: &Finding) -> (usize, usize) {
    (f.secret.start + 1, f.secret.end.max(f.secret.start) + 1)
}

/// The commit's author as `Name <email>`.
fn author_text(f: &Finding) -> Option<String> {
    f.commit_meta
        .as_ref()
        .map(|m| format!("{} <{}>", m.author_name, m.author_email))
}

/// The repository as reports show it: a URL loses its user-info part (`https://user:token@host`
/// is a credential of its own), everything else is kept.
pub fn display_repository(repository: &str) -> String {
    if let Some((scheme, rest)) = repository.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if let Some(at) = authority.rfind('@') {
            return format!("{scheme}://{}{path}", &authority[at + 1..]);
        }
    }
    repository.to_string()
}

/// The repository in a canonical form for stable ids: no transport, credentials, port-less
/// scp syntax or `.git` suffix, host lower-cased. `https://github.com/o/r.git`,
/// `git@github.com:o/r` and `ssh://git@GitHub.com/o/r/` are all `github.com/o/r`.
pub fn canonical_repository(repository: &str) -> String {
    let r = repository.trim();
    let (host, path) = if let Some((_, rest)) = r.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = authority.rsplit('@').next().unwrap_or(authority);
        (Some(host.to_string()), path.to_string())
    } else if let Some((left, path)) = r.split_once(':').filter(|(l, _)| !l.contains('/')) {
        // scp-like `user@host:path` (git: a colon before the first slash).
        let host = left.rsplit('@').next().unwrap_or(left);
        (Some(host.to_string()), format!("/{path}"))
    } else {
        (None, r.to_string())
    };
    let mut path = path.trim_end_matches('/').to_string();
    if let Some(p) = path.strip_suffix(".git") {
        path = p.trim_end_matches('/').to_string();
    }
    match host {
        Some(h) => format!("{}{path}", h.to_ascii_lowercase()),
        None => path,
    }
}

/// The short name of a repository: the last path segment without `.git`.
fn repository_name(repository: &str) -> String {
    let canonical = canonical_repository(repository);
    canonical
        .rsplit(['/', ':'])
        .find(|s| !s.is_empty())
        .unwrap_or(repository)
        .to_string()
}

/// SHA-256 as lower-case hex.
fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update(b"\0");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// At most `max` characters of `s`, ending with `…` when cut.
fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// `secs` since the Unix epoch as RFC 3339 UTC: `2026-01-01T00:00:00Z`.
pub fn rfc3339_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil-from-days (Howard Hinnant's algorithm), proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_lose_credentials_and_canonicalise() {
        assert_eq!(
            display_repository("https://x-access-token:ghs_abc@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            display_repository("git@github.com:o/r.git"),
            "git@github.com:o/r.git"
        );
        assert_eq!(display_repository("my-repo"), "my-repo");
        for r in [
            "https://github.com/o/r.git",
            "https://tok@GitHub.com/o/r/",
            "git@github.com:o/r",
            "ssh://git@github.com/o/r.git",
        ] {
            assert_eq!(canonical_repository(r), "github.com/o/r", "{r}");
        }
        assert_eq!(canonical_repository("/srv/repos/app.git"), "/srv/repos/app");
        assert_eq!(canonical_repository("app"), "app");
        assert_eq!(repository_name("git@github.com:o/r.git"), "r");
        assert_eq!(repository_name("app"), "app");
    }

    #[test]
    fn truncation_counts_characters() {
        assert_eq!(truncate_chars("abc", 3), "abc");
        assert_eq!(truncate_chars("abcd", 3), "ab…");
        assert_eq!(truncate_chars("ééé", 2), "é…");
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
    }
}
