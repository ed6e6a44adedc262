//! Per-repository checkpoints of an incremental audit: the tips scanned, the rule set's
//! identity, and the findings still open at those tips.
//!
//! A checkpoint is written only after the repository's report is complete, by writing a
//! temporary file and renaming it over the old one (atomic on POSIX file systems), so a
//! killed run leaves either the old checkpoint or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const VERSION: u32 = 1;

/// A finding open at the recorded tips.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub(crate) struct Open {
    /// Rule id.
    pub rule: String,
    /// Content fingerprint (no secret).
    pub fingerprint: String,
    /// Where it was seen, repository-relative.
    pub path: String,
    /// The finding as last sent to Security Hub (redacted), to archive it with the same Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asff: Option<serde_json::Value>,
}

impl Open {
    pub fn key(&self) -> (String, String) {
        (self.rule.clone(), self.fingerprint.clone())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    pub version: u32,
    /// The manifest name of the repository.
    pub name: String,
    /// The rule set's identity when these tips were scanned.
    pub rules: String,
    /// Commit ids of the audited refs' tips, sorted.
    pub tips: Vec<String>,
    pub open: Vec<Open>,
}

impl Checkpoint {
    pub fn new(name: &str, rules: &str, tips: Vec<String>, open: Vec<Open>) -> Checkpoint {
        Checkpoint {
            version: VERSION,
            name: name.to_string(),
            rules: rules.to_string(),
            tips,
            open,
        }
    }
}

pub(crate) fn path(dir: &Path, key: &str) -> PathBuf {
    dir.join(format!("{key}.json"))
}

/// The checkpoint of `key`, if any. One that cannot be read is an error (scanning in full
/// instead would hide that the directory is broken); one of another version is ignored.
pub(crate) fn read(dir: &Path, key: &str) -> Result<Option<Checkpoint>, String> {
    let p = path(dir, key);
    let text = match std::fs::read(&p) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(format!(
                "cannot read checkpoint {}: {}",
                p.display(),
                crate::scan::io_message(&e)
            ));
        }
    };
    let c: Checkpoint = serde_json::from_slice(&text)
        .map_err(|e| format!("checkpoint {} is not valid: {e}", p.display()))?;
    Ok((c.version == VERSION).then_some(c))
}

/// Write `bytes` to `target` atomically: a temporary file in the same directory, synced,
/// then renamed over the target.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), String> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| {
        format!(
            "cannot create {}: {}",
            dir.display(),
            crate::scan::io_message(&e)
        )
    })?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!(
            "cannot write {}: {}",
            target.display(),
            crate::scan::io_message(&e)
        )
    })
}

pub(crate) fn write(dir: &Path, key: &str, c: &Checkpoint) -> Result<(), String> {
    let bytes =
        serde_json::to_vec_pretty(c).map_err(|e| format!("cannot encode checkpoint: {e}"))?;
    write_atomic(&path(dir, key), &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read(dir.path(), "k").unwrap().is_none());
        let c = Checkpoint::new(
            "n",
            "r",
            vec!["a".into()],
            vec![Open {
                rule: "x".into(),
                fingerprint: "f".into(),
                path: "p".into(),
                asff: None,
            }],
        );
        write(dir.path(), "k", &c).unwrap();
        let back = read(dir.path(), "k").unwrap().unwrap();
        assert_eq!((back.tips, back.open), (c.tips, c.open));
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::write(path(dir.path(), "bad"), "{").unwrap();
        assert!(read(dir.path(), "bad").unwrap_err().contains("not valid"));
    }
}
