//! Registry and project-file loading (TOML and gitleaks configs): any input gives a rule set
//! or a one-line error, never a panic; a loaded set's examples can be checked.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match git_secrets::rules::RuleSet::from_toml(&text, "fuzz.toml") {
        Ok(set) => {
            let _ = set.check_examples();
        }
        // Errors are one line, whatever the file holds.
        Err(e) => assert!(!e.to_string().contains('\n'), "multi-line error: {e}"),
    }
    if let Err(e) = git_secrets::rules::ProjectFile::parse(&text, ".git-secrets.toml") {
        assert!(!e.to_string().contains('\n'), "multi-line error: {e}");
    }
});
