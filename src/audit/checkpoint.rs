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
    /// Where it was seen, repository-relative (lossy when the path is not UTF-8).
    pub path: String,
    /// The path's bytes as hex, when they are not UTF-8 (so that the lookup at the tips
    /// finds the file `path` only shows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_hex: Option<String>,
    /// The other paths that held it at the tips (it stays open while any of them does).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_paths: Vec<String>,
    /// The finding as last sent to Security Hub (redacted), to archive it with the same Id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asff: Option<serde_json::Value>,
}

impl Open {
    pub fn new(
        rule: &str,
        fingerprint: &str,
        path: &[u8],
        asff: Option<serde_json::Value>,
    ) -> Open {
        let (text, hex) = match std::str::from_utf8(path) {
            Ok(t) => (t.to_string(), None),
            Err(_) => (
                String::from_utf8_lossy(path).into_owned(),
                Some(path.iter().map(|b| format!("{b:02x}")).collect()),
            ),
        };
        Open {
            rule: rule.to_string(),
            fingerprint: fingerprint.to_string(),
            path: text,
            path_hex: hex,
            other_paths: Vec::new(),
            asff,
        }
    }

    pub fn key(&self) -> (String, String) {
        (self.rule.clone(), self.fingerprint.clone())
    }

    /// Every path it was seen at: the first one's bytes, then the others.
    pub fn all_paths(&self) -> Vec<Vec<u8>> {
        let mut out = vec![self.path_bytes()];
        out.extend(self.other_paths.iter().map(|p| p.as_bytes().to_vec()));
        out
    }

    /// The path's bytes.
    pub fn path_bytes(&self) -> Vec<u8> {
        let decoded = self.path_hex.as_ref().and_then(|h| {
            (0..h.len())
                .step_by(2)
                .map(|i| h.get(i..i + 2).and_then(|b| u8::from_str_radix(b, 16).ok()))
                .collect::<Option<Vec<u8>>>()
        });
        decoded.unwrap_or_else(|| self.path.as_bytes().to_vec())
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
            vec![
                Open::new("x", "f", b"p", None),
                Open::new("x", "g", b"a\xffb", None),
            ],
        );
        write(dir.path(), "k", &c).unwrap();
        let back = read(dir.path(), "k").unwrap().unwrap();
        assert_eq!((back.tips, &back.open), (c.tips, &c.open));
        assert_eq!(back.open[0].path_bytes(), b"p");
        assert_eq!(back.open[1].path_bytes(), b"a\xffb");
        // No temporary file is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        std::fs::write(path(dir.path(), "bad"), "{").unwrap();
        assert!(read(dir.path(), "bad").unwrap_err().contains("not valid"));
    }
}
