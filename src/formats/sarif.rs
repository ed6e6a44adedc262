//! SARIF 2.1.0, shaped for GitHub code scanning: one run, one `reportingDescriptor` per rule
//! that found something, results with a relative artifact URI, a region in UTF-16 columns
//! (SARIF's default `columnKind`), our content fingerprint as a partial fingerprint, and no
//! source snippet (the line holds the secret).

use std::collections::HashMap;

use serde::Serialize;

use super::{
    FormatError, INFORMATION_URI, ReportContext, RuleInfo, TOOL_NAME, author_text, byte_columns,
    display_repository, serialize_pretty, shown_secret,
};
use crate::detect::Finding;
use crate::rules::SeverityLabel;

const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "gitSecretsFingerprint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    automation_details: AutomationDetails,
    invocations: [Invocation<'a>; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
    properties: RunProperties<'a>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'a str,
    semantic_version: &'a str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    help: Help,
    default_configuration: Configuration,
    properties: DescriptorProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties {
    /// GitHub's severity for security results: a number from 0.0 to 10.0, as a string.
    #[serde(rename = "security-severity")]
    security_severity: String,
    precision: &'static str,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    end_time_utc: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunProperties<'a> {
    repository: String,
    scan_mode: &'static str,
    redacted: bool,
    generated_at: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    partial_fingerprints: HashMap<&'static str, String>,
    properties: ResultProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    secret: String,
    redacted: bool,
    severity: &'static str,
    confidence: &'static str,
    /// How the secret was decoded from the region's text (`base64`), when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    decoding: Option<&'static str>,
    /// 1-based byte columns, as in the JSON format (the region uses UTF-16 columns).
    byte_column: usize,
    byte_end_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    /// Other rules that matched the same span.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also_matched: Vec<String>,
    /// `--scan-history`: commits that introduced the secret at this path.
    #[serde(skip_serializing_if = "Option::is_none")]
    introduced_by_commits: Option<usize>,
    /// `--scan-history`: versions of the file that hold it.
    #[serde(skip_serializing_if = "Option::is_none")]
    blobs: Option<usize>,
    /// `--scan-history`: whether a scanned tip still holds it.
    #[serde(skip_serializing_if = "Option::is_none")]
    present_at_tips: Option<bool>,
}

/// SARIF's `level` for a severity.
pub(super) fn level(label: SeverityLabel) -> &'static str {
    match label {
        SeverityLabel::Critical | SeverityLabel::High => "error",
        SeverityLabel::Medium => "warning",
        SeverityLabel::Low | SeverityLabel::Informational => "note",
    }
}

/// GitHub's `security-severity`: our 0–100 score on its 0.0–10.0 scale.
fn security_severity(score: u8) -> String {
    format!("{}.{}", score.min(100) / 10, score.min(100) % 10)
}

fn precision(confidence: &str) -> &'static str {
    match confidence {
        "high" => "high",
        "low" => "low",
        _ => "medium",
    }
}

/// A URI reference for a path: relative paths stay relative (resolved against the checkout
/// root, `%SRCROOT%`), absolute ones become `file://` URIs (made relative when they are under
/// the work tree). Every byte outside RFC 3986's unreserved set and `/` is percent-encoded,
/// so non-UTF-8 names survive exactly.
fn artifact_location(f: &Finding, ctx: &ReportContext) -> ArtifactLocation {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    use std::path::{Component, Path, PathBuf};
    let raw: &[u8] = f.repo_path.as_deref().unwrap_or(&f.path);
    let mut path: Vec<u8> = raw.to_vec();
    // File scans (`--no-index`, named files) report paths as given, relative to the current
    // directory; SARIF wants them relative to the work tree root.
    let cwd_relative = matches!(ctx.scan_mode, "scan-no-index" | "scan-files");
    if (cwd_relative || raw.first() == Some(&b'/'))
        && let Some(root) = &ctx.repository_path
        && let Ok(cwd) = std::env::current_dir()
    {
        let mut abs = PathBuf::new();
        for c in cwd
            .join(Path::new(std::ffi::OsStr::from_bytes(raw)))
            .components()
        {
            match c {
                Component::ParentDir => {
                    abs.pop();
                }
                Component::CurDir => {}
                other => abs.push(other),
            }
        }
        path = match abs.strip_prefix(root) {
            Ok(rel) => rel.as_os_str().to_os_string().into_vec(),
            Err(_) => abs.into_os_string().into_vec(),
        };
    }
    let mut path = &path[..];
    while let Some(rest) = path.strip_prefix(b"./") {
        path = rest;
    }
    let encoded = percent_encode(path);
    if path.first() == Some(&b'/') {
        ArtifactLocation {
            uri: format!("file://{encoded}"),
            uri_base_id: None,
        }
    } else {
        ArtifactLocation {
            uri: encoded,
            uri_base_id: Some("%SRCROOT%"),
        }
    }
}

fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 1-based UTF-16 column of byte offset `at` in `text` (invalid UTF-8 counts one unit per
/// replacement character, as a lossy decoder shows it).
fn utf16_column(text: &[u8], at: usize) -> usize {
    let prefix = &text[..at.min(text.len())];
    String::from_utf8_lossy(prefix).encode_utf16().count() + 1
}

fn message(rule: &RuleInfo, secret: &str) -> String {
    format!(
        "{}: {secret} (rule {}). Rotate or revoke it, then remove it from the code and from \
         history.",
        rule.description, rule.id
    )
}

/// `--format sarif`.
pub(super) fn log(ctx: &ReportContext, findings: &[Finding]) -> Result<Vec<u8>, FormatError> {
    let mut rules: Vec<Descriptor> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut results = Vec::with_capacity(findings.len());
    for f in findings {
        let rule = RuleInfo::of(f);
        let rule_index = *index_of.entry(rule.id.to_string()).or_insert_with(|| {
            rules.push(descriptor(&rule));
            rules.len() - 1
        });
        let secret = shown_secret(f, ctx.redact);
        let (byte_column, byte_end_column) = byte_columns(f);
        results.push(SarifResult {
            rule_id: rule.id.to_string(),
            rule_index,
            level: level(rule.label),
            message: Text {
                text: message(&rule, &secret),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: artifact_location(f, ctx),
                    region: Region {
                        start_line: f.line,
                        start_column: utf16_column(&f.text, f.secret.start),
                        end_column: utf16_column(&f.text, f.secret.end),
                    },
                },
            }],
            partial_fingerprints: HashMap::from([(
                FINGERPRINT_KEY,
                f.fingerprint(&ctx.fingerprint_key),
            )]),
            properties: ResultProperties {
                secret,
                redacted: ctx.redact,
                severity: rule.label.as_str(),
                confidence: f.confidence().as_str(),
                decoding: f.decoding,
                byte_column,
                byte_end_column,
                commit: f.commit.clone(),
                author: author_text(f),
                date: f
                    .commit_meta
                    .as_ref()
                    .map(|m| super::rfc3339_utc(m.author_time)),
                also_matched: f.also_matched.clone(),
                introduced_by_commits: f.history.map(|h| h.introduced_by),
                blobs: f.history.map(|h| h.blobs),
                present_at_tips: f.history.map(|h| h.present_at_tips),
            },
        });
    }
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: TOOL_NAME,
                    version: ctx.tool_version,
                    semantic_version: ctx.tool_version,
                    information_uri: INFORMATION_URI,
                    rules,
                },
            },
            automation_details: AutomationDetails {
                id: format!("{TOOL_NAME}/{}/", ctx.scan_mode),
            },
            invocations: [Invocation {
                execution_successful: true,
                end_time_utc: &ctx.generated_at,
            }],
            column_kind: "utf16CodeUnits",
            results,
            properties: RunProperties {
                repository: display_repository(&ctx.repository),
                scan_mode: ctx.scan_mode,
                redacted: ctx.redact,
                generated_at: &ctx.generated_at,
            },
        }],
    };
    serialize_pretty(&log)
}

fn descriptor(rule: &RuleInfo) -> Descriptor {
    let mut help = format!(
        "{}. Severity {} ({}/100), confidence {}, from {}.\n\nA committed secret must be treated \
         as leaked: rotate or revoke it at its provider first, then remove it from the code \
         (and from history if it was committed, e.g. with git filter-repo), and keep it out \
         with git secrets hooks.",
        rule.description,
        rule.label.as_str(),
        rule.severity,
        rule.confidence,
        rule.source
    );
    let mut markdown = help.clone();
    if !rule.references.is_empty() {
        help.push_str("\n\nReferences:");
        markdown.push_str("\n\nReferences:\n");
        for r in rule.references {
            help.push_str(&format!("\n- {r}"));
            markdown.push_str(&format!("\n- <{r}>"));
        }
    }
    let mut tags = vec!["security".to_string(), "secret".to_string()];
    if let Some((pack, _)) = rule.id.split_once('.') {
        tags.push(pack.to_string());
    }
    Descriptor {
        id: rule.id.to_string(),
        name: rule_name(rule.id),
        short_description: Text {
            text: rule.description.to_string(),
        },
        full_description: Text {
            text: format!(
                "{} (rule {}, severity {}, from {}).",
                rule.description,
                rule.id,
                rule.label.as_str(),
                rule.source
            ),
        },
        help_uri: rule.help_uri().map(str::to_string),
        help: Help {
            text: help,
            markdown,
        },
        default_configuration: Configuration {
            level: level(rule.label),
        },
        properties: DescriptorProperties {
            security_severity: security_severity(rule.severity),
            precision: precision(rule.confidence),
            tags,
        },
    }
}

/// A PascalCase name from a rule id (`aws.access-key-id` → `AwsAccessKeyId`), as SARIF
/// viewers show `name`.
fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_and_names() {
        assert_eq!(security_severity(80), "8.0");
        assert_eq!(security_severity(95), "9.5");
        assert_eq!(security_severity(100), "10.0");
        assert_eq!(security_severity(0), "0.0");
        assert_eq!(rule_name("aws.access-key-id"), "AwsAccessKeyId");
        assert_eq!(
            rule_name("git-secrets.prohibited-pattern"),
            "GitSecretsProhibitedPattern"
        );
    }

    #[test]
    fn uris_and_utf16_columns() {
        assert_eq!(percent_encode(b"a b/\xc3\xa9.txt"), "a%20b/%C3%A9.txt");
        assert_eq!(percent_encode(b"bad\xff#?"), "bad%FF%23%3F");
        assert_eq!(utf16_column(b"key=X", 4), 5);
        // 'é' is two bytes and one UTF-16 unit; '𝄞' is four bytes and two units.
        assert_eq!(utf16_column("é=X".as_bytes(), 3), 3);
        assert_eq!(utf16_column("𝄞=X".as_bytes(), 5), 4);
    }
}
