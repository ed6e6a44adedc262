//! Pattern registries end to end: `--register`, `.git-secrets.toml`, `--check-registry`, and a
//! registry rule blocking a real `git commit`.

use crate::util::{TestRepo, ours};

/// A fake but well-formed GitHub-style token is not in the aws pack; an AKIA key is.
const AWS_KEY_LINE: &str = "aws_access_key_id = AKIAZ2MNQ4HWTRLE7VXC\n";

fn repo() -> TestRepo {
    TestRepo::new(ours())
}

#[test]
fn register_builtin_pack_then_scan_finds_its_rules() {
    let repo = repo();
    let out = repo.secrets(&["--register", "aws"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert_eq!(
        repo.secrets(&["--list"]).stdout_str(),
        "secrets.registries aws\n"
    );
    repo.write("app.ini", AWS_KEY_LINE);
    repo.stage(&["app.ini"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_str()
            .starts_with("app.ini:1:aws_access_key_id = AKIAZ2MNQ4HWTRLE7VXC\n\n[ERROR]"),
        "{}",
        out.stderr_str()
    );
    // Registering twice is not an error (issue 15): it says so and adds nothing.
    let again = repo.secrets(&["--register", "aws"]);
    assert_eq!(again.code, 0);
    assert!(again.stderr_str().contains("already registered"));
}

#[test]
fn register_refuses_what_does_not_load() {
    let repo = repo();
    let out = repo.secrets(&["--register", "no-such-pack"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_str()
            .starts_with("git-secrets: 'no-such-pack' is neither a built-in pack (aws, common)"),
        "{}",
        out.stderr_str()
    );
    repo.write(
        "bad.toml",
        "[[rule]]\nid = \"x\"\ndescription = \"d\"\npattern = \"(\"\n",
    );
    let out = repo.secrets(&["--register", "bad.toml"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: bad.toml: rule 'x': invalid pattern: unclosed group\n"
    );
    assert_eq!(repo.secrets(&["--list"]).code, 1, "nothing was registered");
}

#[test]
fn broken_registry_in_config_stops_the_scan() {
    let repo = repo();
    repo.write(
        "r.toml",
        "[[rule]]\nid = \"x\"\ndescription = \"d\"\npattern = \"x\"\ncolour = 1\n",
    );
    repo.add_config("secrets.registries", "r.toml");
    repo.write("a.txt", "x\n");
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 2, "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .starts_with("git-secrets: r.toml: unknown field `colour`"),
        "{}",
        out.stderr_str()
    );
    // The pre-commit hook fails closed on the same error.
    repo.secrets(&["--install"]);
    let commit = repo.commit("add a");
    assert_ne!(commit.code, 0, "the commit must be refused");
    assert!(commit.stderr_str().contains("unknown field `colour`"));
}

#[test]
fn project_file_registries_disabled_rules_and_allowlist() {
    let repo = repo();
    repo.write(
        "keys.txt",
        "a = AKIAZ2MNQ4HWTRLE7VXC\nb = AKIAQ7RTY2MNB5VCX8ZL\nAccountId=123456789012\n",
    );
    repo.stage(&["keys.txt"]);
    repo.write(
        ".git-secrets.toml",
        "registries = [\"aws\"]\ndisabled = [\"aws.account-id\"]\n\n[[allowed]]\npattern = '^AKIAQ7RTY2MNB5VCX8ZL$'\nrules = [\"aws.access-key-id\"]\n",
    );
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    let stderr = out.stderr_str();
    let findings: Vec<&str> = stderr.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(findings, vec!["keys.txt:1:a = AKIAZ2MNQ4HWTRLE7VXC"]);
}

#[test]
fn path_filters_limit_a_rule() {
    let repo = repo();
    repo.write(
        "only-env.toml",
        "[[rule]]\nid = \"t.env\"\ndescription = \"d\"\npattern = 'tok_[0-9]{6}'\npaths = [\"*.env\"]\nexamples = [\"tok_123456\"]\nnegative_examples = [\"tok_12\"]\n",
    );
    repo.add_config("secrets.registries", "only-env.toml");
    repo.write("a.env", "T=tok_123456\n");
    repo.write("a.txt", "T=tok_123456\n");
    repo.stage(&["a.env", "a.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_str().starts_with("a.env:1:T=tok_123456\n\n"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn registry_rule_blocks_a_real_commit_and_history_finds_it() {
    let repo = repo();
    repo.secrets(&["--register", "aws"]);
    repo.secrets(&["--install"]);
    repo.write("deploy.sh", format!("#!/bin/sh\n{AWS_KEY_LINE}"));
    repo.stage(&["deploy.sh"]);
    let out = repo.commit("deploy");
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(
        out.stderr_str()
            .starts_with("deploy.sh:2:aws_access_key_id")
    );
    let out = repo.git(&["commit", "-q", "--no-verify", "-m", "deploy"]);
    assert_eq!(out.code, 0);
    repo.write("deploy.sh", "#!/bin/sh\n");
    repo.stage(&["deploy.sh"]);
    assert_eq!(repo.commit("remove key").code, 0);
    let first = repo
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .stdout_str();
    let out = repo.secrets(&["--scan-history"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_str().starts_with(&format!(
            "{}:deploy.sh:2:aws_access_key_id",
            first.trim_end()
        )),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn check_registry_runs_examples() {
    let repo = repo();
    repo.write(
        "good.toml",
        "[[rule]]\nid = \"t.a\"\ndescription = \"d\"\npattern = 'tok_[0-9]{6}'\nexamples = [\"x tok_123456\"]\nnegative_examples = [\"tok_12\"]\n",
    );
    let out = repo.secrets(&["--check-registry", "good.toml"]);
    assert_eq!(
        (out.code, out.stdout_str().as_str()),
        (0, "good.toml: 1 rules, every example checked\n")
    );
    repo.write(
        "bad.toml",
        "[[rule]]\nid = \"t.a\"\ndescription = \"d\"\npattern = 'tok_[0-9]{6}'\nexamples = [\"tok_12\"]\nnegative_examples = [\"tok_123456\"]\n",
    );
    let out = repo.secrets(&["--check-registry", "bad.toml"]);
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: bad.toml: rule 't.a': example #1 does not match\ngit-secrets: bad.toml: rule 't.a': negative example #1 matches\n"
    );
}

#[test]
fn baseline_accepts_by_content_not_position() {
    let repo = repo();
    repo.secrets(&["--register", "aws"]);
    repo.write("a.ini", "k1 = AKIAZ2MNQ4HWTRLE7VXC\n");
    repo.stage(&["a.ini"]);
    let out = repo.secrets(&["--scan", "--baseline", "base.json", "--update-baseline"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let base = std::fs::read_to_string(repo.path().join("base.json")).unwrap();
    assert!(
        base.contains("\"rule\": \"aws.access-key-id\"") && !base.contains("AKIAZ2MNQ4HWTRLE7VXC"),
        "{base}"
    );
    assert_eq!(repo.secrets(&["--scan", "--baseline", "base.json"]).code, 0);
    // Moved to another file and line: still accepted.
    repo.write("a.ini", "\n");
    repo.write("b.ini", "\n\nmoved = AKIAZ2MNQ4HWTRLE7VXC\n");
    repo.stage(&["a.ini", "b.ini"]);
    assert_eq!(repo.secrets(&["--scan", "--baseline", "base.json"]).code, 0);
    // A new secret on the accepted line is not.
    repo.write(
        "b.ini",
        "\n\nmoved = AKIAZ2MNQ4HWTRLE7VXC AKIAQ7RTY2MNB5VCX8ZL\n",
    );
    let out = repo.secrets(&["--scan", "--baseline", "base.json"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_str().starts_with("b.ini:3:moved = "),
        "{}",
        out.stderr_str()
    );
    // A baseline that is not one is an error, not a silent pass.
    repo.write("bad.json", "{}");
    let out = repo.secrets(&["--scan", "--baseline", "bad.json"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr_str()
            .starts_with("git-secrets: baseline bad.json: not a baseline file"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn inline_markers_accept_registry_findings_only() {
    let repo = repo();
    repo.secrets(&["--register", "aws"]);
    repo.add_config("secrets.patterns", "forbidden");
    repo.write(
        "a.txt",
        "k = AKIAZ2MNQ4HWTRLE7VXC # git-secrets:allow\nk = AKIAQ7RTY2MNB5VCX8ZL // gitleaks:allow\nk = AKIAM3NB5VCX8ZLQ7RTY # pragma: allowlist secret\nforbidden # git-secrets:allow\n",
    );
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan"]);
    assert_eq!(out.code, 1);
    let stderr = out.stderr_str();
    let findings: Vec<&str> = stderr.lines().take_while(|l| !l.is_empty()).collect();
    // Upstream-style patterns keep upstream's semantics (only .gitallowed / secrets.allowed).
    assert_eq!(findings, vec!["a.txt:4:forbidden # git-secrets:allow"]);
}
