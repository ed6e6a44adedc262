//! Keyed content fingerprints.
//!
//! A fingerprint names a secret in reports and baselines without revealing it, and stays the
//! same wherever the secret moves. A plain hash would let anyone holding a redacted report
//! confirm a guess (hash `Summer2024!` and compare), so it is an HMAC-SHA256 keyed by the
//! installation's or organisation's key:
//!
//! `HMAC-SHA256(key, "git-secrets-rs fingerprint v2\0" || rule id || "\0" || secret)`, hex.
//!
//! The key comes from, in order: `GIT_SECRETS_FINGERPRINT_KEY`, the file named by
//! `secrets.fingerprintKeyFile`, `secrets.fingerprintKey`, and else a random per-user key made
//! on first use in `$XDG_CONFIG_HOME/git-secrets/fingerprint-key` (mode 0600). Only machine
//! reports, baselines and audit entries need it: the human report never touches the key file.
//!
//! HMAC is written here over the `sha2` crate (RFC 2104, thirty lines) rather than pulling in
//! the `hmac` and `digest` crates for one function; the RFC 4231 vectors test it.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use bstr::ByteSlice;
use sha2::{Digest, Sha256};

use crate::config::Context;

/// The environment variable that holds the key (CodeBuild can fill it from Secrets Manager).
pub const KEY_ENV: &str = "GIT_SECRETS_FINGERPRINT_KEY";

/// Fewer bytes than this could be guessed with the secret; refused.
const MIN_KEY_BYTES: usize = 16;

/// The key fingerprints are made with.
#[derive(Clone)]
pub struct FingerprintKey {
    key: Vec<u8>,
}

impl std::fmt::Debug for FingerprintKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FingerprintKey({})", self.id())
    }
}

/// A key that cannot be used: one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError(pub String);

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a loaded key came from, and whether it was just made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// [`KEY_ENV`], `secrets.fingerprintKeyFile` or `secrets.fingerprintKey`.
    Configured,
    /// The per-user key file, which already existed.
    UserFile(PathBuf),
    /// The per-user key file, made by this run.
    MadeUserFile(PathBuf),
}

impl FingerprintKey {
    /// A key from its bytes (at least 16), `what` naming where they came from.
    pub fn new(key: &[u8], what: &str) -> Result<FingerprintKey, KeyError> {
        if key.len() < MIN_KEY_BYTES {
            return Err(KeyError(format!(
                "git-secrets: the fingerprint key from {what} is too short ({} bytes; at least {MIN_KEY_BYTES})",
                key.len()
            )));
        }
        Ok(FingerprintKey { key: key.to_vec() })
    }

    /// The configured key, else the per-user one (made on first use).
    pub fn load(ctx: &Context) -> Result<(FingerprintKey, KeyOrigin), KeyError> {
        if let Some(v) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            let key = FingerprintKey::new(trim(v.as_encoded_bytes()), KEY_ENV)?;
            return Ok((key, KeyOrigin::Configured));
        }
        if let Some(file) = ctx.get_all("secrets", "fingerprintKeyFile").pop() {
            let path = expand_home(&file.to_str_lossy());
            let what = format!("{} (secrets.fingerprintKeyFile)", path.display());
            let bytes = std::fs::read(&path).map_err(|e| {
                KeyError(format!(
                    "git-secrets: cannot read the fingerprint key file {what}: {}",
                    crate::note::io_message(&e)
                ))
            })?;
            return Ok((
                FingerprintKey::new(trim(&bytes), &what)?,
                KeyOrigin::Configured,
            ));
        }
        if let Some(v) = ctx.get_all("secrets", "fingerprintKey").pop() {
            let key = FingerprintKey::new(trim(&v), "secrets.fingerprintKey")?;
            return Ok((key, KeyOrigin::Configured));
        }
        let path = user_key_path().ok_or_else(|| {
            KeyError(format!(
                "git-secrets: no fingerprint key: set {KEY_ENV} or secrets.fingerprintKeyFile (neither XDG_CONFIG_HOME nor HOME is set for a per-user key)"
            ))
        })?;
        user_key(&path)
    }

    /// The fingerprint of `secret` found by rule `rule_id`: 64 hex digits.
    pub fn fingerprint(&self, rule_id: &str, secret: &[u8]) -> String {
        hex(&hmac_sha256(
            &self.key,
            &[
                b"git-secrets-rs fingerprint v2\0",
                rule_id.as_bytes(),
                b"\0",
                secret,
            ],
        ))
    }

    /// A short public name of the key (16 hex digits of an HMAC of a fixed label), recorded in
    /// baselines so that a baseline made with another key is a clear error. It reveals nothing
    /// about the key or about any secret.
    pub fn id(&self) -> String {
        hex(&hmac_sha256(&self.key, &[b"git-secrets-rs key id v1"])[..8])
    }
}

/// The per-user key file: `$XDG_CONFIG_HOME/git-secrets/fingerprint-key`, else
/// `$HOME/.config/git-secrets/fingerprint-key` (where git looks for its own XDG config).
fn user_key_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| Path::new(&h).join(".config"))
        })?;
    Some(base.join("git-secrets").join("fingerprint-key"))
}

/// Read the per-user key, or make it: 32 random bytes as 64 hex digits (text, so it can be
/// copied into a team's secret store), created exclusively with mode 0600 so two first runs
/// cannot both write one.
fn user_key(path: &Path) -> Result<(FingerprintKey, KeyOrigin), KeyError> {
    let what = path.display().to_string();
    let fail = |doing: &str, e: &std::io::Error| {
        KeyError(format!(
            "git-secrets: cannot {doing} the fingerprint key file {what}: {} (set {KEY_ENV} or secrets.fingerprintKeyFile instead)",
            crate::note::io_message(e)
        ))
    };
    match std::fs::read(path) {
        Ok(bytes) => {
            let key = FingerprintKey::new(trim(&bytes), &what)?;
            return Ok((key, KeyOrigin::UserFile(path.to_path_buf())));
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(fail("read", &e)),
        Err(_) => {}
    }
    let mut random = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut random))
        .map_err(|e| fail("make", &e))?;
    let text = format!("{}\n", hex(&random));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| fail("make", &e))?;
    }
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path);
    match created {
        Ok(mut file) => {
            file.write_all(text.as_bytes())
                .and_then(|()| file.sync_all())
                .map_err(|e| fail("write", &e))?;
            let key = FingerprintKey::new(text.trim().as_bytes(), &what)?;
            Ok((key, KeyOrigin::MadeUserFile(path.to_path_buf())))
        }
        // Another run made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let bytes = std::fs::read(path).map_err(|e| fail("read", &e))?;
            let key = FingerprintKey::new(trim(&bytes), &what)?;
            Ok((key, KeyOrigin::UserFile(path.to_path_buf())))
        }
        Err(e) => Err(fail("make", &e)),
    }
}

/// `~/x` as git expands it in path-valued config.
fn expand_home(value: &str) -> PathBuf {
    match (value.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(value),
    }
}

/// Key text without surrounding whitespace (a key file ends with a newline).
fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim()
}

/// HMAC-SHA256 of the concatenation of `parts` (RFC 2104; SHA-256's block is 64 bytes).
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    for p in parts {
        inner.update(p);
    }
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test cases 1, 2 and 6 (a key longer than the block).
    #[test]
    fn hmac_matches_rfc_4231() {
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], &[b"Hi There"])),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        assert_eq!(
            hex(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                &[b"Test Using Larger Than Block-Size Key - Hash Key First"]
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn keys_give_different_fingerprints_and_ids() {
        let a = FingerprintKey::new(b"0123456789abcdef", "test").unwrap();
        let b = FingerprintKey::new(b"0123456789abcdeg", "test").unwrap();
        assert_ne!(a.fingerprint("r", b"s"), b.fingerprint("r", b"s"));
        assert_eq!(a.fingerprint("r", b"s"), a.fingerprint("r", b"s"));
        assert_ne!(a.fingerprint("r", b"s"), a.fingerprint("r2", b"s"));
        assert_ne!(a.id(), b.id());
        assert_eq!(a.id().len(), 16);
        assert!(FingerprintKey::new(b"short", "test").is_err());
        assert!(!format!("{a:?}").contains("0123456789"));
    }
}
