//! `git secrets --version`: which binary this is. Upstream has no `--version` (it exits 129),
//! so the answer also tells the two implementations apart when both are installed.

/// The commit the binary was built from (see build.rs), or `unknown`.
pub const COMMIT: &str = env!("GIT_SECRETS_COMMIT");

/// The CPU features the byte-search code (memchr, aho-corasick's Teddy) can use on this
/// machine, detected at run time as those crates do.
pub fn cpu_features() -> Vec<&'static str> {
    let mut found = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("sse2") {
            found.push("sse2");
        }
        if std::is_x86_feature_detected!("ssse3") {
            found.push("ssse3");
        }
        if std::is_x86_feature_detected!("sse4.2") {
            found.push("sse4.2");
        }
        if std::is_x86_feature_detected!("popcnt") {
            found.push("popcnt");
        }
        if std::is_x86_feature_detected!("avx2") {
            found.push("avx2");
        }
        if std::is_x86_feature_detected!("bmi2") {
            found.push("bmi2");
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            found.push("neon");
        }
    }
    found
}

/// The `--version` text: name, implementation, version, commit, target and CPU features.
pub fn text() -> String {
    let features = cpu_features();
    format!(
        "git-secrets {} (git-secrets-rs, commit {COMMIT}, {}-{})\ncpu features: {}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::ARCH,
        std::env::consts::OS,
        if features.is_empty() {
            "none detected".to_string()
        } else {
            features.join(" ")
        }
    )
}
