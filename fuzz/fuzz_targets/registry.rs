//! Registry and project-file loading (TOML and gitleaks configs): any input gives a rule set
//! or a one-line error, never a panic; a loaded set's examples can be checked.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(set) = git_secrets::rules::RuleSet::from_toml(&text, "fuzz.toml") {
        let _ = set.check_examples();
    }
    let _ = git_secrets::rules::ProjectFile::parse(&text, ".git-secrets.toml");
});
