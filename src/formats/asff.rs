//! ASFF, the AWS Security Finding Format, for `aws securityhub batch-import-findings`.
//!
//! Output layout: **one batch per line**. Each line is a JSON array of 1 to
//! [`MAX_FINDINGS_PER_BATCH`] findings (and at most [`MAX_BATCH_BYTES`] bytes), which is what
//! `--findings file://batch.json` takes. With 100 findings or fewer the whole file is one
//! array, so `aws securityhub batch-import-findings --findings file://out.json` works as it
//! is; with more, each line is imported on its own (see `docs/formats.md`). No findings, no
//! lines (BatchImportFindings rejects an empty array).
//!
//! One Security Hub finding per (repository, rule, secret): its `Id` is a pure function of
//! those three (the repository's canonical form and our content fingerprint), so re-importing
//! after a rescan updates the finding instead of adding a duplicate; the other places the same
//! secret was seen are counted in `Occurrences`.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::{
    FormatError, IMPLEMENTATION, ReportContext, RuleInfo, TOOL_NAME, author_text, byte_columns,
    canonical_repository, display_repository, path_text, repository_name, serialize, sha256_hex,
    shown_secret, truncate_chars,
};
use crate::detect::Finding;

/// BatchImportFindings takes 1 to 100 findings per call.
pub const MAX_FINDINGS_PER_BATCH: usize = 100;
/// Security Hub's limit on one finding.
pub const MAX_FINDING_BYTES: usize = 240 * 1024;
/// Our cap on one batch (the API's limit on one request is 6 MB; the rest is headroom for the
/// request envelope).
pub const MAX_BATCH_BYTES: usize = 5 * 1024 * 1024;

const SCHEMA_VERSION: &str = "2018-10-08";
const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 1024;
const OTHER_VALUE_MAX: usize = 1023;
const PRODUCT_FIELD_MAX: usize = 2048;
const REMEDIATION_MAX: usize = 512;
const REMEDIATION: &str = "Treat the secret as leaked: rotate or revoke it at its provider \
    first, then remove it from the code and, if it was committed, from the repository's \
    history (e.g. git filter-repo), and keep it out with git secrets hooks.";

/// What ASFF needs from the environment, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Aws<'a> {
    account: &'a str,
    region: &'a str,
    partition: &'static str,
}

/// Account and region present and well-formed.
pub(super) fn preflight(ctx: &ReportContext) -> Result<Aws<'_>, FormatError> {
    let account = ctx.aws.account_id.as_deref().ok_or_else(|| {
        FormatError(
            "--format asff needs the AWS account id: pass --aws-account-id or run in CodeBuild \
             (CODEBUILD_BUILD_ARN)"
                .into(),
        )
    })?;
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FormatError(format!(
            "--format asff: invalid AWS account id '{account}' (expected 12 digits)"
        )));
    }
    let region = ctx.aws.region.as_deref().ok_or_else(|| {
        FormatError(
            "--format asff needs the AWS region: pass --aws-region or set AWS_REGION".into(),
        )
    })?;
    if !valid_region(region) {
        return Err(FormatError(format!(
            "--format asff: invalid AWS region '{region}' (expected a region code such as \
             us-east-1)"
        )));
    }
    Ok(Aws {
        account,
        region,
        partition: partition(region),
    })
}

/// `us-east-1`, `us-gov-west-1`, `cn-north-1`, `eu-isoe-west-1`...
fn valid_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    region.len() <= 16
        && parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].bytes().all(|b| b.is_ascii_lowercase())
        && parts[1..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The ARN partition of a region.
pub(super) fn partition(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-isob-") {
        "aws-iso-b"
    } else if region.starts_with("us-isof-") {
        "aws-iso-f"
    } else if region.starts_with("eu-isoe-") {
        "aws-iso-e"
    } else if region.starts_with("us-iso-") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// `Resource.Partition` only takes these.
fn resource_partition(partition: &'static str) -> Option<&'static str> {
    matches!(partition, "aws" | "aws-cn" | "aws-us-gov").then_some(partition)
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct AsffFinding {
    schema_version: &'static str,
    id: String,
    product_arn: String,
    product_name: &'static str,
    company_name: &'static str,
    region: String,
    generator_id: String,
    aws_account_id: String,
    types: Vec<String>,
    first_observed_at: String,
    last_observed_at: String,
    created_at: String,
    updated_at: String,
    severity: Severity,
    confidence: u8,
    title: String,
    description: String,
    remediation: Remediation,
    product_fields: BTreeMap<String, String>,
    resources: Vec<Resource>,
    record_state: &'static str,
    finding_provider_fields: FindingProviderFields,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "PascalCase")]
struct Severity {
    label: &'static str,
    original: String,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Remediation {
    recommendation: Recommendation,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Recommendation {
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct FindingProviderFields {
    confidence: u8,
    severity: Severity,
    types: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Resource {
    #[serde(rename = "Type")]
    kind: &'static str,
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    partition: Option<&'static str>,
    region: String,
    details: Details,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Details {
    #[serde(skip_serializing_if = "Option::is_none")]
    other: Option<BTreeMap<&'static str, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    aws_code_build_project: Option<CodeBuildProject>,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct CodeBuildProject {
    name: String,
}

/// A string Security Hub accepts: control characters escaped (its `.*\S.*` pattern does not
/// cross lines) and a blank value quoted, so it is never whitespace only.
fn clean(s: &str) -> String {
    let mut out: String = s
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if out.trim().is_empty() {
        out = format!("\"{out}\"");
    }
    out
}

fn limited(s: &str, max: usize) -> String {
    truncate_chars(&clean(s), max)
}

/// `confidence` on Security Hub's 0–100 scale.
fn confidence_score(confidence: &str) -> u8 {
    match confidence {
        "high" => 90,
        "low" => 30,
        _ => 60,
    }
}

/// A type classifier may not contain the separator `/`.
fn classifier(rule_id: &str) -> String {
    rule_id.replace('/', "-")
}

/// The resource id of the repository: a CodeCommit repository's ARN, else the repository's
/// URL (without credentials) or name.
fn repository_resource_id(repository: &str, aws: &Aws) -> (String, String, &'static str) {
    // https://git-codecommit.<region>.amazonaws.com[.cn]/v1/repos/<name>
    let display = display_repository(repository);
    let codecommit = display
        .split_once("://git-codecommit.")
        .and_then(|(_, rest)| {
            let (region, rest) = rest.split_once('.')?;
            let (_, name) = rest.split_once("/v1/repos/")?;
            Some((region.to_string(), name.trim_end_matches('/').to_string()))
        })
        .or_else(|| {
            // git-remote-codecommit: codecommit::<region>://[profile@]<name>, codecommit://...
            let rest = display.strip_prefix("codecommit:")?;
            let (region, name) = match rest.strip_prefix(':') {
                Some(r) => r.split_once("://")?,
                None => ("", rest.strip_prefix("//")?),
            };
            let name = name.rsplit('@').next()?;
            Some((region.to_string(), name.to_string()))
        })
        .filter(|(r, n)| !n.is_empty() && !n.contains('/') && (r.is_empty() || valid_region(r)));
    match codecommit {
        Some((region, name)) => {
            let region = if region.is_empty() {
                aws.region.to_string()
            } else {
                region
            };
            let part = partition(&region);
            (
                format!("arn:{part}:codecommit:{region}:{}:{name}", aws.account),
                region,
                part,
            )
        }
        None => (clean(&display), aws.region.to_string(), aws.partition),
    }
}

/// The CodeBuild project of `arn:<p>:codebuild:<region>:<account>:build/<project>:<build-id>`:
/// (project ARN, name, region, partition).
fn codebuild_project(build_arn: &str) -> Option<(String, String, String, &'static str)> {
    let parts: Vec<&str> = build_arn.splitn(6, ':').collect();
    let [_, _, service, region, account, resource] = parts[..] else {
        return None;
    };
    if service != "codebuild" || !valid_region(region) {
        return None;
    }
    let name = resource.strip_prefix("build/")?.split(':').next()?;
    if name.is_empty() {
        return None;
    }
    let part = partition(region);
    Some((
        format!("arn:{part}:codebuild:{region}:{account}:project/{name}"),
        name.to_string(),
        region.to_string(),
        part,
    ))
}

/// `--format asff`: batches, one JSON array per line.
pub(super) fn batches(ctx: &ReportContext, findings: &[Finding]) -> Result<Vec<u8>, FormatError> {
    let aws = preflight(ctx)?;
    let repo_key = &sha256_hex(&[
        b"git-secrets repository v1",
        canonical_repository(&ctx.repository).as_bytes(),
    ])[..16];

    // One Security Hub finding per (repository, rule, secret), first seen order; the
    // representative is the oldest commit that has it (history scans) or the first location.
    let mut groups: Vec<(String, Vec<&Finding>)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for f in findings {
        let rule_id = f.rule_id();
        let rule_part = if rule_id.len() <= 128 {
            clean(rule_id)
        } else {
            sha256_hex(&[rule_id.as_bytes()])
        };
        let id = format!(
            "{TOOL_NAME}/v1/{repo_key}/{}/{}",
            rule_part.replace(char::is_whitespace, "_"),
            f.fingerprint(&ctx.fingerprint_key)
        );
        match index.get(&id) {
            Some(&i) => groups[i].1.push(f),
            None => {
                index.insert(id.clone(), groups.len());
                groups.push((id, vec![f]));
            }
        }
    }

    let mut out = Vec::new();
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut batch_bytes = 2;
    let flush = |batch: &mut Vec<Vec<u8>>, out: &mut Vec<u8>| {
        if batch.is_empty() {
            return;
        }
        out.push(b'[');
        out.extend(batch.join(&b","[..]));
        out.extend_from_slice(b"]\n");
        batch.clear();
    };
    for (id, group) in &groups {
        let finding = asff_finding(ctx, &aws, id, group);
        let bytes = serialize(&finding)?;
        if bytes.len() > MAX_FINDING_BYTES {
            return Err(FormatError(format!(
                "ASFF finding {id} is {} bytes, over Security Hub's {MAX_FINDING_BYTES}",
                bytes.len()
            )));
        }
        if batch.len() == MAX_FINDINGS_PER_BATCH || batch_bytes + bytes.len() + 1 > MAX_BATCH_BYTES
        {
            flush(&mut batch, &mut out);
            batch_bytes = 2;
        }
        batch_bytes += bytes.len() + 1;
        batch.push(bytes);
    }
    flush(&mut batch, &mut out);
    Ok(out)
}

fn asff_finding(ctx: &ReportContext, aws: &Aws, id: &str, group: &[&Finding]) -> AsffFinding {
    // History findings come newest commit first: on equal dates the last one is the oldest.
    let first = group
        .iter()
        .rev()
        .min_by_key(|f| f.commit_meta.as_ref().map(|m| m.author_time))
        .copied()
        .unwrap_or(group[0]);
    let f = if first.commit_meta.is_some() {
        first
    } else {
        group[0]
    };
    let rule = RuleInfo::of(f);
    let updated = ctx.generated_at.clone();
    // CreatedAt: the introducing commit's date for history findings (never after UpdatedAt),
    // else the scan time.
    let created = f
        .commit_meta
        .as_ref()
        .map(|m| super::rfc3339_utc(m.author_time))
        .filter(|c| *c <= updated)
        .unwrap_or_else(|| updated.clone());
    let repository = display_repository(&ctx.repository);
    let repo_name = repository_name(&ctx.repository);
    let path = path_text(f);
    let (column, _) = byte_columns(f);
    let redacted = f.redacted_secret();
    let types = vec![
        format!(
            "Sensitive Data Identifications/Passwords/{}",
            classifier(rule.id)
        ),
        "Effects/Data Exposure".to_string(),
    ];
    let severity = Severity {
        label: rule.label.as_str(),
        original: rule.severity.to_string(),
    };
    let confidence = confidence_score(f.confidence().as_str());

    let mut description = format!(
        "{} (rule {}, severity {}) in {path}:{}, column {column}, of repository {repository}",
        rule.description,
        rule.id,
        rule.label.as_str(),
        f.line
    );
    if let Some(commit) = &f.commit {
        description.push_str(&format!(", commit {commit}"));
        if let Some(m) = &f.commit_meta {
            description.push_str(&format!(
                " by {} on {}",
                m.author_name,
                super::rfc3339_utc(m.author_time)
            ));
        }
    }
    if group.len() > 1 {
        description.push_str(&format!(" ({} occurrences)", group.len()));
    }
    description.push_str(&format!(
        ". Secret (redacted): {redacted}. Found by {TOOL_NAME} ({}). Rotate or revoke it, \
         then remove it from the code and history.",
        ctx.scan_mode
    ));

    let mut other: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut put = |k: &'static str, v: &str| {
        other.insert(k, limited(v, OTHER_VALUE_MAX));
    };
    put("Repository", &repository);
    put("Path", &path);
    put("Line", &f.line.to_string());
    put("Column", &column.to_string());
    put("RuleId", rule.id);
    put("ScanMode", ctx.scan_mode);
    put("Occurrences", &group.len().to_string());
    if let Some(c) = &f.commit {
        put("Commit", c);
    }
    if let Some(a) = author_text(f) {
        put("Author", &a);
    }
    if let Some(m) = &f.commit_meta {
        put("CommitDate", &super::rfc3339_utc(m.author_time));
    }

    let (repo_id, repo_region, repo_partition) = repository_resource_id(&ctx.repository, aws);
    let mut resources = vec![Resource {
        kind: "Other",
        id: truncate_chars(&repo_id, 512),
        partition: resource_partition(repo_partition),
        region: repo_region,
        details: Details {
            other: Some(other),
            aws_code_build_project: None,
        },
    }];
    if let Some((arn, name, region, part)) = ctx
        .aws
        .codebuild_build_arn
        .as_deref()
        .and_then(codebuild_project)
    {
        resources.push(Resource {
            kind: "AwsCodeBuildProject",
            id: arn,
            partition: resource_partition(part),
            region,
            details: Details {
                other: None,
                aws_code_build_project: Some(CodeBuildProject { name }),
            },
        });
    }

    let mut product_fields: BTreeMap<String, String> = BTreeMap::new();
    let mut field = |k: &str, v: &str| {
        product_fields.insert(format!("{TOOL_NAME}/{k}"), limited(v, PRODUCT_FIELD_MAX));
    };
    field("RuleId", rule.id);
    field("RuleSource", rule.source);
    field("Confidence", f.confidence().as_str());
    if let Some(d) = f.decoding {
        field("Decoding", d);
    }
    field("Fingerprint", &f.fingerprint(&ctx.fingerprint_key));
    field("ScanMode", ctx.scan_mode);
    field("Secret", &shown_secret(f, ctx.redact));
    field("Redacted", if ctx.redact { "true" } else { "false" });
    field("Version", &format!("{IMPLEMENTATION} {}", ctx.tool_version));
    if let Some(arn) = &ctx.aws.codebuild_build_arn {
        field("CodeBuildBuildArn", arn);
    }
    if !f.also_matched.is_empty() {
        field("AlsoMatched", &f.also_matched.join(","));
    }
    if let Some(h) = f.history {
        field("IntroducedByCommits", &h.introduced_by.to_string());
        field("Blobs", &h.blobs.to_string());
        field(
            "PresentAtTips",
            if h.present_at_tips { "true" } else { "false" },
        );
    }

    AsffFinding {
        schema_version: SCHEMA_VERSION,
        id: id.to_string(),
        product_arn: format!(
            "arn:{}:securityhub:{}:{}:product/{}/default",
            aws.partition, aws.region, aws.account, aws.account
        ),
        product_name: TOOL_NAME,
        company_name: IMPLEMENTATION,
        region: aws.region.to_string(),
        generator_id: limited(&format!("{TOOL_NAME}/rule/{}", rule.id), 512),
        aws_account_id: aws.account.to_string(),
        types: types.clone(),
        first_observed_at: created.clone(),
        last_observed_at: updated.clone(),
        created_at: created,
        updated_at: updated,
        severity: severity.clone(),
        confidence,
        title: limited(&format!("{} in {repo_name}", rule.description), TITLE_MAX),
        description: limited(&description, DESCRIPTION_MAX),
        remediation: Remediation {
            recommendation: Recommendation {
                text: truncate_chars(REMEDIATION, REMEDIATION_MAX),
                url: rule.help_uri().map(str::to_string),
            },
        },
        product_fields,
        resources,
        record_state: "ACTIVE",
        finding_provider_fields: FindingProviderFields {
            confidence,
            severity,
            types,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_regions() {
        assert_eq!(partition("us-east-1"), "aws");
        assert_eq!(partition("us-gov-west-1"), "aws-us-gov");
        assert_eq!(partition("cn-northwest-1"), "aws-cn");
        assert_eq!(partition("us-isob-east-1"), "aws-iso-b");
        for ok in ["us-east-1", "us-gov-west-1", "cn-north-1", "eu-isoe-west-1"] {
            assert!(valid_region(ok), "{ok}");
        }
        for bad in ["", "us-east", "US-EAST-1", "us-east-1a", "useast1", "a-b-1"] {
            assert!(!valid_region(bad), "{bad}");
        }
    }

    #[test]
    fn codebuild_and_codecommit_resources() {
        assert_eq!(
            codebuild_project("arn:aws:codebuild:eu-west-1:123456789012:build/scan:0f1c-22"),
            Some((
                "arn:aws:codebuild:eu-west-1:123456789012:project/scan".into(),
                "scan".into(),
                "eu-west-1".into(),
                "aws"
            ))
        );
        assert_eq!(codebuild_project("arn:aws:s3:::bucket"), None);
        let aws = Aws {
            account: "123456789012",
            region: "us-gov-west-1",
            partition: "aws-us-gov",
        };
        assert_eq!(
            repository_resource_id(
                "https://git-codecommit.us-gov-west-1.amazonaws.com/v1/repos/app",
                &aws
            )
            .0,
            "arn:aws-us-gov:codecommit:us-gov-west-1:123456789012:app"
        );
        assert_eq!(
            repository_resource_id("codecommit::us-east-1://prof@app", &aws).0,
            "arn:aws:codecommit:us-east-1:123456789012:app"
        );
        assert_eq!(
            repository_resource_id("codecommit://app", &aws).0,
            "arn:aws-us-gov:codecommit:us-gov-west-1:123456789012:app"
        );
        assert_eq!(
            repository_resource_id("https://u:p@github.com/o/r.git", &aws).0,
            "https://github.com/o/r.git"
        );
    }

    #[test]
    fn strings_are_never_blank_or_multiline() {
        assert_eq!(clean("a\nb"), "a\\nb");
        assert_eq!(clean(" "), "\" \"");
        assert_eq!(clean(""), "\"\"");
    }
}
