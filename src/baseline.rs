//! Baselines: findings a team has accepted, recorded by content fingerprint.
//!
//! A fingerprint is a keyed hash of the rule id and the secret, never of its position: a moved
//! secret stays accepted, and a new secret on an accepted line does not. The file records the
//! rule, path and line for people reviewing it, never the secret, and the id of the key its
//! fingerprints were made with (version 2): a scan with another key is one clear error rather
//! than every finding turning "new". Version 1 files held unkeyed fingerprints that anyone
//! could check a guessed secret against; they are refused, not migrated (migrating would need
//! the secrets, which the file rightly does not hold).

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::detect::Finding;
use crate::fingerprint::FingerprintKey;

/// The version this build writes and reads.
const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
struct BaselineFile {
    version: u32,
    /// [`FingerprintKey::id`] of the key the fingerprints were made with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_id: Option<String>,
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

/// The accepted fingerprints of a baseline file, which must have been made with `key`.
pub fn read(path: &Path, key: &FingerprintKey) -> Result<HashSet<String>, String> {
    let text = crate::bounded::read_to_string(path).map_err(|e| {
        format!(
            "baseline {}: {}",
            path.display(),
            crate::scan::io_message(&e)
        )
    })?;
    parse(&text, &path.display().to_string(), key)
}

/// [`read`] on a file's text; `name` is how messages name the file.
pub fn parse(text: &str, name: &str, key: &FingerprintKey) -> Result<HashSet<String>, String> {
    // serde's message can quote the file (a string value, with its escapes undone), so only its
    // class and position are shown: one line, no file contents.
    let file: BaselineFile = serde_json::from_str(text).map_err(|e| {
        let what = match e.classify() {
            serde_json::error::Category::Io => "unreadable",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "JSON of the wrong shape",
            serde_json::error::Category::Eof => "cut short",
        };
        format!(
            "baseline {name}: not a baseline file ({what} at line {} column {})",
            e.line(),
            e.column()
        )
    })?;
    match file.version {
        1 => {
            return Err(format!(
                "baseline {name} has unkeyed (version 1) fingerprints, which anyone can check a guessed secret against; record it again with --update-baseline"
            ));
        }
        VERSION => {}
        v => {
            return Err(format!(
                "baseline {name}: version {v} is not supported (expected {VERSION})"
            ));
        }
    }
    let ours = key.id();
    match file.key_id {
        Some(id) if id == ours => {}
        Some(id) => {
            // The recorded id is file content: shown only if it has an id's shape.
            let id = if id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
            {
                id
            } else {
                "(not a key id)".to_string()
            };
            return Err(format!(
                "baseline {name} was recorded with fingerprint key {id}, but this scan uses key {ours}: set the key it was recorded with (GIT_SECRETS_FINGERPRINT_KEY or secrets.fingerprintKeyFile), or record it again with --update-baseline"
            ));
        }
        None => {
            return Err(format!(
                "baseline {name}: no key_id (expected the id of the fingerprint key it was recorded with)"
            ));
        }
    }
    Ok(file.findings.into_iter().map(|e| e.fingerprint).collect())
}

/// Record `findings` as the new baseline, fingerprinted with `key`.
pub fn write(path: &Path, findings: &[Finding], key: &FingerprintKey) -> Result<(), String> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| Entry {
            fingerprint: f.fingerprint(key),
            rule: f.rule_id().to_string(),
            path: String::from_utf8_lossy(f.repo_path.as_deref().unwrap_or_default()).into_owned(),
            line: f.line,
            commit: f.commit.clone(),
        })
        .collect();
    entries
        .sort_by(|a, b| (&a.path, a.line, &a.fingerprint).cmp(&(&b.path, b.line, &b.fingerprint)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let file = BaselineFile {
        version: VERSION,
        key_id: Some(key.id()),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> FingerprintKey {
        FingerprintKey::new(b"test-key-0123456789abcdef", "test").unwrap()
    }

    /// Found by the fuzzer: a foreign key id with an escaped newline made a two-line error
    /// that quoted the file.
    #[test]
    fn a_foreign_key_id_is_not_echoed() {
        let text = r#"{"version": 2, "key_id": "finger\n0v\"6Tr secret-ish", "findings": []}"#;
        let e = parse(text, "b.json", &key()).unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        assert!(!e.contains("secret-ish"), "{e}");
        assert!(e.contains("(not a key id)"), "{e}");
        let text = r#"{"version": 2, "key_id": "0123abcd", "findings": []}"#;
        let e = parse(text, "b.json", &key()).unwrap_err();
        assert!(e.contains("key 0123abcd,"), "{e}");
    }

    #[test]
    fn a_bad_file_is_named_without_its_contents() {
        let text = r#"{"version": "hunter2-password\nx", "findings": []}"#;
        let e = parse(text, "b.json", &key()).unwrap_err();
        assert!(!e.contains('\n') && !e.contains("hunter2"), "{e}");
        assert!(
            e.starts_with(
                "baseline b.json: not a baseline file (JSON of the wrong shape at line 1"
            ),
            "{e}"
        );
        let e = parse("{\"version\": 2,", "b.json", &key()).unwrap_err();
        assert!(e.contains("cut short"), "{e}");
    }
}
