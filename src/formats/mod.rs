//! Machine-readable reports: JSON, JSON Lines, SARIF 2.1.0 and ASFF (AWS Security Finding
//! Format). One [`Finding`] model feeds every writer; secrets are redacted unless the user
//! opts out, because a secret that reaches a build log or Security Hub is a second leak.

use std::io::Write;
use std::path::PathBuf;

use crate::detect::Finding;

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
    /// `commit-msg`, `prepare-commit-msg`, `pre-push`.
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
    let _ = (format, ctx);
    Ok(())
}

/// Write `findings` in `format`.
pub fn write(
    format: Format,
    ctx: &ReportContext,
    findings: &[Finding],
    out: &mut dyn Write,
) -> Result<(), FormatError> {
    let _ = (format, ctx, findings, out);
    Err(FormatError(
        "machine formats are not implemented yet".into(),
    ))
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
    fn rfc3339_dates() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_767_225_600), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339_utc(-1), "1969-12-31T23:59:59Z");
    }
}
