//! The yardstick is tested too: `scripts/quality-corpus.py --self-check` generates the
//! independent corpus twice with the same seed (the two must be byte-identical) and once with
//! another (it must differ), checks every generated GitHub and npm token against its CRC32
//! checksum (and that a one-character corruption is rejected, so the check can fail), and
//! that every planted secret sits on the lines the manifest claims. Needs python3 (standard
//! library only); skipped without it, except under `CI`.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::util::run;

/// Runs `scripts/<script> --self-check` and asserts it passes; skipped without python3,
/// except under `CI`.
fn self_check(test: &str, script: &str) {
    let have_python = Command::new("python3")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have_python {
        let msg = format!("{test}: needs python3");
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED {msg}");
        return;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(script);
    let mut cmd = Command::new("timeout");
    cmd.arg("60")
        .arg("python3")
        .arg(&script)
        .arg("--self-check");
    let out = run(cmd);
    assert_eq!(
        out.code,
        0,
        "{test}: self-check failed:\n{}{}",
        out.stdout_str(),
        out.stderr_str()
    );
    assert!(
        out.stdout_str().starts_with("self-check: ok"),
        "{test}: unexpected self-check output: {}",
        out.stdout_str()
    );
}

#[test]
fn quality_corpus_generator_is_deterministic_and_checksums_hold() {
    self_check(
        "quality_corpus_generator_is_deterministic_and_checksums_hold",
        "quality-corpus.py",
    );
}

/// The hold-out generator (`scripts/holdout-corpus.py`, written apart from the rules and
/// from quality-corpus.py) passes its own check: byte-identical with one seed and different
/// with another, every planted value exactly once and on the lines the manifest names,
/// GitHub/npm tokens with a valid CRC32, and at least 46 kinds, 50 host styles, 15 decoy
/// categories, 300 secrets and 250 decoys.
#[test]
fn holdout_corpus_generator_is_deterministic_and_honest_about_lines() {
    self_check(
        "holdout_corpus_generator_is_deterministic_and_honest_about_lines",
        "holdout-corpus.py",
    );
}

/// The rule-example, long-tail and prefixed-token generators (`scripts/examples-corpus.py`,
/// `longtail-corpus.py`, `prefixed-corpus.py`, each written apart from the rules) pass their
/// own checks: the same output for one seed, every planted value on the lines the manifest
/// names, valid checksums where a format has one, and their counts of kinds and categories.
#[test]
fn example_longtail_and_prefixed_generators_pass_their_checks() {
    for script in [
        "examples-corpus.py",
        "longtail-corpus.py",
        "prefixed-corpus.py",
    ] {
        self_check(
            "example_longtail_and_prefixed_generators_pass_their_checks",
            script,
        );
    }
}
