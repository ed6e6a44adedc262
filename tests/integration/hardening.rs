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
    repo.add_config("secrets.fingerprintKey", KEY_A);
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

/// HMAC-SHA256 (RFC 2104) over the sha2 crate, written here from the RFC so the test checks
/// the documented construction, not our implementation of it.
fn hmac_sha256_hex(key: &[u8], message: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |b: u8| block.iter().map(|k| k ^ b).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    outer.iter().map(|b| format!("{b:02x}")).collect()
}

/// The old, public construction: SHA-256 over a constant, the rule and the secret.
fn unkeyed_fingerprint(rule: &str, secret: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"git-secrets-rs fingerprint v1\0")
        .chain_update(rule.as_bytes())
        .chain_update(b"\0")
        .chain_update(secret.as_bytes())
        .finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

const KEY_A: &str = "team-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const KEY_B: &str = "team-key-bbbbbbbbbbbbbbbbbbbbbbbbbbbb";
const SECRET: &str = "AKIAZ7Q3X9K2M4N6P8R1";

fn with_secret() -> TestRepo {
    let repo = repo();
    repo.secrets(&["--register-aws"]);
    repo.write("k.txt", format!("key {SECRET}\n"));
    repo
}

/// Runs a scan with `key` in the environment (none when `None`).
fn scan_with_key(repo: &TestRepo, key: Option<&str>, args: &str) -> crate::util::Output {
    let export = key.map_or(String::new(), |k| {
        format!("export GIT_SECRETS_FINGERPRINT_KEY='{k}'; ")
    });
    repo.sandbox()
        .bash(&format!("cd repo && {export}git secrets {args}"), 60)
}

fn json_fingerprints(out: &crate::util::Output) -> Vec<String> {
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

fn asff_ids(out: &crate::util::Output) -> Vec<String> {
    let mut ids = Vec::new();
    for line in out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let batch: serde_json::Value = serde_json::from_slice(line).expect("an ASFF batch");
        for f in batch.as_array().unwrap() {
            ids.push(f["Id"].as_str().unwrap().to_string());
        }
    }
    ids
}

/// Fingerprints are an HMAC keyed by the installation's key: someone with the binary and a
/// guessed secret cannot confirm the guess against a report; the key's holder can.
#[test]
fn fingerprints_are_keyed_and_a_guess_cannot_be_confirmed() {
    let repo = with_secret();
    let out = scan_with_key(&repo, Some(KEY_A), "--scan --format json k.txt");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let prints = json_fingerprints(&out);
    let rule = "git-secrets.prohibited-pattern";
    assert!(!prints.is_empty());
    for p in &prints {
        assert_ne!(
            p,
            &unkeyed_fingerprint(rule, SECRET),
            "the public construction"
        );
        assert_eq!(p.len(), 64);
    }
    let mut message = b"git-secrets-rs fingerprint v2\0".to_vec();
    message.extend_from_slice(rule.as_bytes());
    message.push(0);
    message.extend_from_slice(SECRET.as_bytes());
    assert!(
        prints.contains(&hmac_sha256_hex(KEY_A.as_bytes(), &message)),
        "{prints:?}"
    );
    assert!(!prints.contains(&hmac_sha256_hex(KEY_B.as_bytes(), &message)));
}

/// ASFF Ids (which hold the fingerprint) are the same across runs that share a key, so
/// Security Hub updates its findings; another key gives other Ids.
#[test]
fn asff_ids_are_stable_with_one_key_and_differ_with_another() {
    let repo = with_secret();
    let asff = "--scan --format asff --aws-account-id 123456789012 --aws-region us-east-1 --repository app k.txt";
    let a1 = scan_with_key(&repo, Some(KEY_A), asff);
    let a2 = scan_with_key(&repo, Some(KEY_A), asff);
    let b = scan_with_key(&repo, Some(KEY_B), asff);
    assert_eq!(a1.code, 1, "{}", a1.stderr_str());
    let (a1, a2, b) = (asff_ids(&a1), asff_ids(&a2), asff_ids(&b));
    assert!(!a1.is_empty());
    assert_eq!(a1, a2);
    assert_eq!(a1.len(), b.len());
    for id in &b {
        assert!(!a1.contains(id), "{id} is the same under another key");
    }
    // The key may come from a file named in git config (e.g. written from AWS Secrets
    // Manager) or from git config itself; the same key gives the same Ids.
    std::fs::write(repo.sandbox().root().join("key.txt"), format!("{KEY_A}\n")).unwrap();
    let key_file = repo.sandbox().root().join("key.txt");
    repo.add_config("secrets.fingerprintKeyFile", key_file.to_str().unwrap());
    let from_file = scan_with_key(&repo, None, asff);
    assert_eq!(asff_ids(&from_file), a1, "{}", from_file.stderr_str());
    repo.git(&["config", "--unset", "secrets.fingerprintKeyFile"]);
    repo.add_config("secrets.fingerprintKey", KEY_B);
    assert_eq!(asff_ids(&scan_with_key(&repo, None, asff)), b);
}

/// Without a configured key, a random per-user key is made on first use (mode 0600, a note
/// says where); later runs reuse it. It is never the public constant.
#[test]
fn without_a_key_a_private_per_user_key_is_made_once() {
    use std::os::unix::fs::PermissionsExt;
    let repo = with_secret();
    let key_path = repo
        .sandbox()
        .root()
        .join("home/.config/git-secrets/fingerprint-key");
    // The human report does not need a key: no file is made for it.
    let human = scan_with_key(&repo, None, "--scan k.txt");
    assert_eq!(human.code, 1);
    assert!(!key_path.exists());
    let first = scan_with_key(&repo, None, "--scan --format json k.txt");
    assert_eq!(first.code, 1, "{}", first.stderr_str());
    assert!(
        first.stderr_str().contains(&format!(
            "git-secrets: note: no fingerprint key configured; made a random one in {}",
            key_path.display()
        )),
        "{}",
        first.stderr_str()
    );
    let mode = std::fs::metadata(&key_path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let second = scan_with_key(&repo, None, "--scan --format json k.txt");
    assert!(!second.stderr_str().contains("note: no fingerprint key"));
    assert_eq!(json_fingerprints(&first), json_fingerprints(&second));
    for p in json_fingerprints(&first) {
        assert_ne!(
            p,
            unkeyed_fingerprint("git-secrets.prohibited-pattern", SECRET)
        );
    }
    // A key too short to resist guessing is refused, naming where it came from.
    let short = scan_with_key(&repo, Some("abc"), "--scan --format json k.txt");
    assert_eq!(short.code, 2);
    assert_eq!(
        short.stderr_str(),
        "git-secrets: the fingerprint key from GIT_SECRETS_FINGERPRINT_KEY is too short (3 bytes; at least 16)\n"
    );
}

/// A baseline records the id of the key it was made with: another key is one clear error
/// (not every finding turning "new"), and an old unkeyed baseline is refused with a way out.
#[test]
fn baselines_record_their_key_and_refuse_another() {
    let repo = with_secret();
    let made = scan_with_key(
        &repo,
        Some(KEY_A),
        "--scan --baseline base.json --update-baseline k.txt",
    );
    assert_eq!(made.code, 0, "{}", made.stderr_str());
    let text = std::fs::read_to_string(repo.path().join("base.json")).unwrap();
    assert!(text.contains("\"key_id\""), "{text}");
    assert!(!text.contains(SECRET));
    let same = scan_with_key(&repo, Some(KEY_A), "--scan --baseline base.json k.txt");
    assert_eq!(same.code, 0, "{}", same.stderr_str());
    let other = scan_with_key(&repo, Some(KEY_B), "--scan --baseline base.json k.txt");
    assert_eq!(other.code, 2, "{}", other.stderr_str());
    let err = other.stderr_str();
    assert!(
        err.starts_with("git-secrets: baseline base.json was recorded with fingerprint key ")
            && err.contains("this scan uses key ")
            && err.lines().count() == 1,
        "{err}"
    );
    let old = format!(
        "{{\"version\": 1, \"findings\": [{{\"fingerprint\": \"{}\", \"rule\": \"git-secrets.prohibited-pattern\", \"path\": \"k.txt\", \"line\": 1}}]}}\n",
        unkeyed_fingerprint("git-secrets.prohibited-pattern", SECRET)
    );
    repo.write("old.json", old);
    let out = scan_with_key(&repo, Some(KEY_A), "--scan --baseline old.json k.txt");
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: baseline old.json has unkeyed (version 1) fingerprints, which anyone can check a guessed secret against; record it again with --update-baseline\n"
    );
}

/// Found by the gitleaks fuzz target: an error echoed a registry pattern holding a line
/// break, so one bad file printed a multi-line error (and could forge lines of output).
#[test]
fn registry_errors_stay_on_one_line() {
    let repo = repo();
    repo.write(
        "leaks.toml",
        "[[rules]]\nid = \"r\"\nregex = '''key_[a-z]{8}'''\n[allowlist]\nregexes = [\"x\\n[rules\\r#\"]\n",
    );
    let out = repo.secrets(&["--check-registry", "leaks.toml"]);
    assert_ne!(out.code, 0);
    let err = out.stderr_str();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains(r"x\n[rules\r#"), "{err}");
}

/// A repository whose `.git-secrets.toml` allows `.` (or disables the rules) with the user's
/// global pack registered, and a key in a file.
fn repo_with_self_allowing_project(project: &str) -> TestRepo {
    let repo = repo();
    assert_eq!(repo.secrets(&["--register", "aws", "--global"]).code, 0);
    repo.write(".git-secrets.toml", project);
    repo.write("k.txt", format!("key = {SECRET}\n"));
    repo.stage(&["k.txt", ".git-secrets.toml"]);
    repo
}

fn scan_env(repo: &TestRepo, env: &str, args: &str) -> crate::util::Output {
    repo.sandbox()
        .bash(&format!("cd repo && {env} git secrets {args}"), 60)
}

/// `secrets.trustRepositoryAllowlists`: a repository's own `.git-secrets.toml` allowlist and
/// disabled rules are ignored when it is false, which is the default in CI (`CI=true`,
/// CodeBuild); clients keep trusting it by default. A broad entry is warned about wherever it
/// comes from.
#[test]
fn repository_allowlists_are_not_trusted_in_ci_or_by_policy() {
    let repo = repo_with_self_allowing_project("[[allowed]]\npattern = \".\"\n");
    // A client, by default: trusted (as before), with a warning about the entry.
    let out = scan_env(&repo, "", "--scan");
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert_eq!(
        out.stderr_str(),
        "git-secrets: warning: allowed pattern '.' from .git-secrets.toml matches almost anything, so it hides every finding it applies to\n"
    );
    // In CI: ignored, with a note; the key is found.
    for env in ["CI=true", "CODEBUILD_BUILD_ID=b:1"] {
        let out = scan_env(&repo, env, "--scan");
        assert_eq!(out.code, 1, "{env}: {}", out.stderr_str());
        assert!(
            out.stderr_str().starts_with(
                "git-secrets: note: ignoring the allowlist of .git-secrets.toml (secrets.trustRepositoryAllowlists is false by default in CI)\nk.txt:1:"
            ),
            "{env}: {}",
            out.stderr_str()
        );
    }
    // Explicit policy wins both ways.
    let out = repo.sandbox().bash(
        "cd repo && CI=true git -c secrets.trustRepositoryAllowlists=true secrets --scan",
        60,
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    repo.add_config("secrets.trustRepositoryAllowlists", "true");
    assert_eq!(scan_env(&repo, "CI=true", "--scan").code, 0);
    repo.git(&["config", "secrets.trustRepositoryAllowlists", "false"]);
    let out = scan_env(&repo, "", "--scan");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(out.stderr_str().starts_with(
        "git-secrets: note: ignoring the allowlist of .git-secrets.toml (secrets.trustRepositoryAllowlists is false)\n"
    ));
    repo.git(&["config", "secrets.trustRepositoryAllowlists", "maybe"]);
    let out = scan_env(&repo, "", "--scan");
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: bad value 'maybe' for secrets.trustRepositoryAllowlists (expected true or false)\n"
    );
}

/// Disabling the user's rules from the repository is the same bypass; so is `.gitallowed`,
/// which upstream reads: it is kept by default (compatibility) and ignored under the explicit
/// policy only.
#[test]
fn repository_disabled_rules_and_gitallowed_follow_the_policy() {
    let repo = repo_with_self_allowing_project("disabled = [\"aws.access-key-id\"]\n");
    assert_eq!(scan_env(&repo, "", "--scan").code, 0);
    let out = scan_env(&repo, "CI=true", "--scan");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(out.stderr_str().starts_with(
        "git-secrets: note: ignoring the disabled rules of .git-secrets.toml (secrets.trustRepositoryAllowlists is false by default in CI)\n"
    ));

    let repo = repo_with_self_allowing_project("");
    repo.write(".gitallowed", ".*\n");
    let out = scan_env(&repo, "CI=true", "--scan");
    assert_eq!(out.code, 0, "upstream's .gitallowed applies by default");
    assert_eq!(
        out.stderr_str(),
        "git-secrets: warning: allowed pattern '.*' from .gitallowed matches almost anything, so it hides every finding it applies to\n"
    );
    repo.add_config("secrets.trustRepositoryAllowlists", "false");
    let out = scan_env(&repo, "", "--scan");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(
        out.stderr_str().starts_with(
            "git-secrets: note: ignoring .gitallowed (secrets.trustRepositoryAllowlists is false)\n"
        ),
        "{}",
        out.stderr_str()
    );
    // A narrow entry is not warned about.
    repo.git(&["config", "--unset", "secrets.trustRepositoryAllowlists"]);
    repo.write(".gitallowed", "AKIAZ7Q3X9K2M4N6P8R1\n");
    let out = scan_env(&repo, "", "--scan");
    assert_eq!((out.code, out.stderr_str()), (0, String::new()));
}

/// `text` as UTF-16 with a byte order mark, little- or big-endian.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xff, 0xfe]
    } else {
        vec![0xfe, 0xff]
    };
    for unit in text.encode_utf16() {
        let bytes = if little {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        };
        out.extend_from_slice(&bytes);
    }
    out
}

/// UTF-16 files (with a BOM) are decoded and scanned in every mode; the human output shows the
/// decoded line. Upstream (and git grep) skip them as binary.
#[test]
fn utf16_files_are_decoded_and_scanned_everywhere() {
    let repo = repo();
    repo.secrets(&["--register-aws"]);
    let text = format!("first line é\nkey = {SECRET}\n");
    repo.write("le.txt", utf16(&text, true));
    repo.write("be.txt", utf16(&text, false));
    let expected = format!("be.txt:2:key = {SECRET}\nle.txt:2:key = {SECRET}\n");
    let lines = |out: &crate::util::Output| {
        let err = out.stderr_str();
        err.split("\n\n").next().unwrap_or("").to_string() + "\n"
    };
    // File mode.
    let out = repo.secrets(&["--scan", "be.txt", "le.txt"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert_eq!(lines(&out), expected);
    // Staged (the index) and the pre-commit hook.
    repo.stage(&["le.txt", "be.txt"]);
    let out = repo.secrets(&["--scan", "--cached"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert_eq!(lines(&out), expected);
    // The work tree.
    let out = repo.secrets(&["--scan"]);
    assert_eq!((out.code, lines(&out)), (1, expected.clone()));
    repo.secrets(&["--install"]);
    let out = repo.commit("utf-16");
    assert_ne!(out.code, 0, "the pre-commit hook let a UTF-16 key in");
    assert!(
        out.stderr_str()
            .contains(&format!("le.txt:2:key = {SECRET}"))
    );
    // History and range.
    repo.write("clean.txt", "clean\n");
    repo.stage(&["clean.txt"]);
    let out = repo.git(&["commit", "-q", "--no-verify", "-m", "utf-16"]);
    assert_eq!(out.code, 0);
    let head = repo
        .git(&["rev-parse", "HEAD"])
        .stdout_str()
        .trim()
        .to_string();
    let out = repo.secrets(&["--scan-history"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert_eq!(
        lines(&out),
        format!("{head}:be.txt:2:key = {SECRET}\n{head}:le.txt:2:key = {SECRET}\n")
    );
    repo.write("more.txt", "x\n");
    repo.stage(&["more.txt"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "more"]);
    repo.write("le2.txt", utf16(&format!("a\nb\nkey = {SECRET}\n"), true));
    repo.stage(&["le2.txt"]);
    repo.git(&["commit", "-q", "--no-verify", "-m", "le2"]);
    let out = repo.secrets(&["--scan-range", "HEAD~1..HEAD"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(
        lines(&out).ends_with(&format!(":le2.txt:3:key = {SECRET}\n")),
        "{}",
        out.stderr_str()
    );
    // A U+0000 in decoded text does not make it binary in file mode either (git's mode never
    // looks at decoded text for NULs): a NUL character cannot hide the line after it.
    repo.write(
        "nul16.txt",
        utf16(&format!("a\u{0}b\nkey = {SECRET}\n"), true),
    );
    let out = repo.secrets(&["--scan", "nul16.txt"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    // A file that only starts like a BOM but holds NULs elsewhere in a non-UTF-16 way is
    // still decoded only when it is valid; binary files stay binary.
    repo.write("bin.dat", b"\x00\x01\x02AKIAZ7Q3X9K2M4N6P8R1\x00");
    let out = repo.secrets(&["--scan", "bin.dat"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
}

/// The same bypass one step removed: `.git-secrets.toml` names a registry file in the
/// repository whose own `[[allowed]]` allows everything. Untrusted, its rules still apply but
/// its allowlist does not.
#[test]
fn registries_named_by_an_untrusted_repository_lose_their_allowlist() {
    let repo = repo_with_self_allowing_project("registries = [\"evil.toml\"]\n");
    repo.write(
        "evil.toml",
        "[[rule]]\nid = \"evil.x\"\ndescription = \"x\"\npattern = \"zzzzqqqq\"\n[[allowed]]\npattern = \".\"\n",
    );
    repo.stage(&["evil.toml"]);
    // Trusted on a client, with a warning about the entry.
    let out = scan_env(&repo, "", "--scan");
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: warning: allowed pattern '.' from registry 'evil.toml' matches almost anything, so it hides every finding it applies to\n"
    );
    let out = scan_env(&repo, "CI=true", "--scan");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let err = out.stderr_str();
    assert!(err.starts_with(
        "git-secrets: note: ignoring the allowlist of registry 'evil.toml' named by .git-secrets.toml (secrets.trustRepositoryAllowlists is false by default in CI)\n"
    ), "{err}");
    assert!(err.contains(&format!("k.txt:1:key = {SECRET}\n")), "{err}");
}

/// git grep's `-w` retries at each next word start with a new search, each reading to the end
/// of a long match: `ABSK+` repeated (80 KB) took over 100 s in the pre-commit hook's mode.
/// Ours shares the work of overlapping tries.
#[test]
fn git_mode_word_match_on_a_long_line_is_linear() {
    let repo = repo();
    repo.secrets(&["--register-aws"]);
    let mut line = b"ABSK+".repeat(80_000);
    line.extend_from_slice(b"_\n");
    repo.write("plus.txt", &line);
    // Many candidate starts, each match running on to a single `!`, followed by a word byte.
    repo.add_config("secrets.patterns", "a[^!]*!");
    let mut bang = b"a ".repeat(300_000);
    bang.extend_from_slice(b"!x\n");
    repo.write("bang.txt", &bang);
    repo.stage(&["plus.txt", "bang.txt"]);
    // git's -w takes only the longest match at a start (never bounded here); grep's shrinks
    // it to one that ends before a `+` or a space: a finding.
    for (args, code) in [("--scan --cached", 0), ("--scan plus.txt bang.txt", 1)] {
        let (out, took) = timed_secrets(&repo, args, 100);
        assert_eq!(out.code, code, "{args}: {}", head(&out.stderr_str()));
        assert!(took < Duration::from_secs(10), "{args} took {took:?}");
    }
    // Both still find what is bounded.
    repo.write("found.txt", b"a b !\n");
    repo.stage(&["found.txt"]);
    let (out, _) = timed_secrets(&repo, "--scan --cached", 100);
    assert_eq!(out.code, 1, "{}", head(&out.stderr_str()));
    assert!(
        out.stderr_str().starts_with("found.txt:1:a b !\n"),
        "{}",
        head(&out.stderr_str())
    );
}

/// The first 300 characters of a message (long lines would flood the test log).
fn head(s: &str) -> String {
    s.chars().take(300).collect()
}
