//! Hardening (issue 14): long lines, huge provider output, keyed fingerprints, reports that
//! cannot be written, UTF-16 files and repository-provided allowlists. Each case is an attack
//! or an accident that once got a secret past a scan or made a scan hang.

use std::time::{Duration, Instant};

use crate::util::{TestRepo, ours};

fn repo() -> TestRepo {
    TestRepo::new(ours())
}

/// Runs `git secrets <args>` in the repository through `timeout`, so a hang fails the test
/// instead of stalling the suite; returns the output and the wall time.
fn timed_secrets(repo: &TestRepo, args: &str, limit_secs: u32) -> (crate::util::Output, Duration) {
    let started = Instant::now();
    let out = repo
        .sandbox()
        .bash(&format!("cd repo && git secrets {args}"), limit_secs);
    (out, started.elapsed())
}

/// GNU grep's `-w` shrinks a match one byte at a time (each try a new search): a 1 MB line
/// with one long unbounded match took minutes. Ours scans each start once.
#[test]
fn word_match_on_a_one_megabyte_line_is_linear() {
    let repo = repo();
    repo.secrets(&["--register-aws"]);
    // Upstream's Bedrock pattern `ABSK[A-Za-z0-9+/]{109,}=*` matches to the end of the run,
    // and the word byte after it makes every shorter match a candidate too.
    let mut line = b"ABSK".to_vec();
    line.extend(std::iter::repeat_n(b'A', 1 << 20));
    line.extend_from_slice(b"_\n");
    repo.write("long.txt", &line);
    // Many starts, each preceded by a word byte (none can be a word match).
    let mut many = b"ABSK".repeat(1 << 18);
    many.extend_from_slice(b"_\n");
    repo.write("many.txt", &many);
    for file in ["long.txt", "many.txt"] {
        let (out, took) = timed_secrets(&repo, &format!("--scan {file}"), 60);
        assert_eq!(out.code, 0, "{file}: {}", out.stderr_str());
        // Linear: ~0.05 s in release, well under a second in debug; quadratic was minutes.
        // 10 s leaves room for a loaded 2-core machine.
        assert!(took < Duration::from_secs(10), "{file} took {took:?}");
    }
    // The same line without the trailing word byte is a finding, found as fast.
    line.truncate(line.len() - 2);
    line.push(b'\n');
    repo.write("long.txt", &line);
    let (out, took) = timed_secrets(&repo, "--scan long.txt", 60);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

/// A machine report that cannot be written to stdout is exit 2 with a message, as with
/// `--output /dev/full`; never exit 0 (a clean scan whose report was lost) nor "written to
/// stdout". The human report on a full stderr keeps its exit 1 (the findings are still there).
#[test]
fn report_to_a_full_stdout_is_exit_2() {
    let repo = repo();
    repo.secrets(&["--register-aws"]);
    repo.write("k.txt", "key AKIAZ7Q3X9K2M4N6P8R1\n");
    repo.write("c.txt", "clean\n");
    for (file, format) in [
        ("k.txt", "json"),
        ("c.txt", "json"),
        ("k.txt", "jsonl"),
        ("c.txt", "sarif"),
        ("k.txt", "sarif"),
    ] {
        let out = repo.sandbox().bash(
            &format!("cd repo && git secrets --scan --format {format} {file} >/dev/full"),
            30,
        );
        assert_eq!(out.code, 2, "{format} {file}: {}", out.stderr_str());
        assert_eq!(
            out.stderr_str(),
            "git-secrets: cannot write the report to stdout: No space left on device\n",
            "{format} {file}"
        );
    }
    let out = repo
        .sandbox()
        .bash("cd repo && git secrets --scan k.txt 2>/dev/full", 30);
    assert_eq!(out.code, 1);
}

/// Provider output is capped (1 MiB and 10,000 patterns by default, `secrets.providerMaxBytes`
/// and `secrets.providerMaxPatterns`): a provider printing without end is stopped and the scan
/// refuses, naming the provider and the key, instead of growing without bound.
#[test]
fn provider_output_is_capped_and_the_scan_refuses() {
    let repo = repo();
    repo.write("a.txt", "id 12345\n");
    repo.stage(&["a.txt"]);
    repo.add_config("secrets.providers", "seq 1 20000");
    let out = repo.secrets(&["--scan", "a.txt"]);
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        "git-secrets: provider 'seq 1 20000' printed more than 10000 patterns (secrets.providerMaxPatterns); not scanning without its patterns\n"
    );
    // The hooks fail closed on it.
    repo.secrets(&["--install"]);
    let commit = repo.commit("x");
    assert_ne!(commit.code, 0, "{}", commit.stderr_str());
    // An endless provider is stopped at the byte cap, long before its time limit.
    repo.git(&["config", "--unset-all", "secrets.providers"]);
    repo.add_config("secrets.providers", "yes AKIAZ7Q3X9K2M4N6P8R1");
    let started = Instant::now();
    let out = repo.secrets(&["--scan", "a.txt"]);
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        "git-secrets: provider 'yes AKIAZ7Q3X9K2M4N6P8R1' printed more than 1048576 bytes (secrets.providerMaxBytes); not scanning without its patterns\n"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    // Raised caps let a big provider through; bad values are refused naming the key.
    repo.git(&["config", "--unset-all", "secrets.providers"]);
    repo.add_config("secrets.providers", "seq 1 20000");
    repo.add_config("secrets.providerMaxPatterns", "30000");
    let out = repo.secrets(&["--scan", "a.txt"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    repo.add_config("secrets.providerMaxBytes", "lots");
    let out = repo.secrets(&["--scan", "a.txt"]);
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        "git-secrets: bad value 'lots' for secrets.providerMaxBytes (expected a positive whole number of bytes, with an optional k, m or g suffix)\n"
    );
}
