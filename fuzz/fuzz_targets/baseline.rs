//! The baseline reader: any text gives accepted fingerprints or a one-line error, never a
//! panic; a file made with another key or an old version is refused.
#![no_main]
use std::sync::LazyLock;

use git_secrets::fingerprint::FingerprintKey;
use libfuzzer_sys::fuzz_target;

static KEY: LazyLock<FingerprintKey> =
    LazyLock::new(|| FingerprintKey::new(b"fuzz-key-0123456789abcdef", "fuzz").unwrap());

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match git_secrets::baseline::parse(&text, "fuzz.json", &KEY) {
        Ok(_) => assert!(text.contains(&KEY.id()), "accepted without our key id"),
        Err(e) => assert!(!e.contains('\n'), "multi-line error: {e}"),
    }
});
