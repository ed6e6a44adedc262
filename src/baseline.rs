//! Baselines: findings a team has accepted, recorded by content fingerprint.
//!
//! A fingerprint is a keyed hash of the rule id and the secret, never of its position: a moved
//! secret stays accepted, and a new secret on an accepted line does not. The file records the
//! rule, path and line for people reviewing it, never the secret.

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::detect::Finding;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
}

/// The accepted fingerprints of a baseline file.
pub fn read(path: &Path) -> Result<HashSet<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        format!(
            "baseline {}: {}",
            path.display(),
            crate::scan::io_message(&e)
        )
    })?;
    let file: BaselineFile = serde_json::from_str(&text)
        .map_err(|e| format!("baseline {}: not a baseline file: {e}", path.display()))?;
    if file.version != 1 {
        return Err(format!(
            "baseline {}: version {} is not supported (expected 1)",
            path.display(),
            file.version
        ));
    }
    Ok(file.findings.into_iter().map(|e| e.fingerprint).collect())
}

/// Record `findings` as the new baseline.
pub fn write(path: &Path, findings: &[Finding]) -> Result<(), String> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: f.fingerprint(),
            rule: f.rule_id().to_string(),
            path: String::from_utf8_lossy(&f.repo_path).into_owned(),
            line: f.line,
            commit: f.commit.clone(),
        })
        .collect();
    entries
        .sort_by(|a, b| (&a.path, a.line, &a.fingerprint).cmp(&(&b.path, b.line, &b.fingerprint)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let file = BaselineFile {
        version: 1,
        findings: entries,
    };
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| {
        format!(
            "baseline {}: {}",
            path.display(),
            crate::scan::io_message(&e)
        )
    })
}
