//! JSON (one document) and JSON Lines (one finding per line), schema documented and versioned
//! in `docs/formats.md`.

use serde::Serialize;

use super::{
    FormatError, IMPLEMENTATION, INFORMATION_URI, ReportContext, RuleInfo, TOOL_NAME, byte_columns,
    display_repository, path_text, serialize, serialize_pretty, shown_secret,
};
use crate::detect::Finding;

/// The JSON schema version: `MAJOR.MINOR`. A minor bump only adds fields; a major bump
/// renames, removes or changes the meaning of one.
pub const SCHEMA_VERSION: &str = "1.3";

#[derive(Serialize)]
struct Document<'a> {
    schema_version: &'static str,
    tool: Tool,
    scan: Scan<'a>,
    findings: Vec<FindingObject<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    implementation: &'static str,
    version: &'static str,
    information_uri: &'static str,
}

#[derive(Serialize)]
struct Scan<'a> {
    mode: &'static str,
    repository: String,
    repository_path: Option<String>,
    generated_at: &'a str,
    redacted: bool,
    finding_count: usize,
}

#[derive(Serialize)]
struct RuleObject<'a> {
    id: &'a str,
    description: &'a str,
    severity: &'static str,
    severity_score: u8,
    confidence: &'static str,
    source: &'a str,
    references: &'a [String],
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    email: &'a str,
}

/// One finding: an element of `findings` in JSON, one line in JSON Lines.
#[derive(Serialize)]
struct FindingObject<'a> {
    rule: RuleObject<'a>,
    path: String,
    line: usize,
    column: usize,
    end_column: usize,
    commit: Option<&'a str>,
    /// The blob holding the line (schema 1.3): history, ranges and push hooks; absent for
    /// files, the index and messages.
    #[serde(skip_serializing_if = "Option::is_none")]
    blob: Option<&'a str>,
    author: Option<Author<'a>>,
    date: Option<String>,
    scan_mode: &'static str,
    repository: String,
    secret: String,
    redacted: bool,
    fingerprint: String,
    /// How the secret was decoded from the text at `column` (schema 1.2); absent when it was
    /// found as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    decoding: Option<&'static str>,
    /// Other rules that matched the same span (schema 1.1).
    also_matched: &'a [String],
    /// `--scan-history` only (schema 1.2): the secret's life at this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    history: Option<History>,
}

#[derive(Serialize)]
struct History {
    introduced_by_commits: usize,
    blobs: usize,
    present_at_tips: bool,
}

fn finding_object<'a>(ctx: &ReportContext, f: &'a Finding, repository: &str) -> FindingObject<'a> {
    let rule = RuleInfo::of(f);
    let (column, end_column) = byte_columns(f);
    FindingObject {
        rule: RuleObject {
            id: rule.id,
            description: rule.description,
            severity: rule.label.as_str(),
            severity_score: rule.severity,
            confidence: f.confidence().as_str(),
            source: rule.source,
            references: rule.references,
        },
        path: path_text(f),
        line: f.line,
        column,
        end_column,
        commit: f.commit.as_deref(),
        blob: f.blob.as_deref(),
        author: f.commit_meta.as_ref().map(|m| Author {
            name: &m.author_name,
            email: &m.author_email,
        }),
        date: f
            .commit_meta
            .as_ref()
            .map(|m| super::rfc3339_utc(m.author_time)),
        scan_mode: ctx.scan_mode,
        repository: repository.to_string(),
        secret: shown_secret(f, ctx.redact),
        redacted: ctx.redact,
        fingerprint: f.fingerprint(&ctx.fingerprint_key),
        also_matched: &f.also_matched,
        history: f.history.map(|h| History {
            introduced_by_commits: h.introduced_by,
            blobs: h.blobs,
            present_at_tips: h.present_at_tips,
        }),
        decoding: f.decoding,
    }
}

/// `--format json`: one pretty-printed document.
pub(super) fn document(ctx: &ReportContext, findings: &[Finding]) -> Result<Vec<u8>, FormatError> {
    let repository = display_repository(&ctx.repository);
    let doc = Document {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: TOOL_NAME,
            implementation: IMPLEMENTATION,
            version: ctx.tool_version,
            information_uri: INFORMATION_URI,
        },
        scan: Scan {
            mode: ctx.scan_mode,
            repository: repository.clone(),
            repository_path: ctx
                .repository_path
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned()),
            generated_at: &ctx.generated_at,
            redacted: ctx.redact,
            finding_count: findings.len(),
        },
        findings: findings
            .iter()
            .map(|f| finding_object(ctx, f, &repository))
            .collect(),
    };
    serialize_pretty(&doc)
}

/// `--format jsonl`: one compact finding object per line; no findings, no lines.
pub(super) fn lines(ctx: &ReportContext, findings: &[Finding]) -> Result<Vec<u8>, FormatError> {
    let repository = display_repository(&ctx.repository);
    let mut out = Vec::new();
    for f in findings {
        out.extend(serialize(&finding_object(ctx, f, &repository))?);
        out.push(b'\n');
    }
    Ok(out)
}
