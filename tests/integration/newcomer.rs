//! A newcomer's first day (issue 15): never silently unprotected, every extension findable,
//! the rough edges a first user meets. Real repositories, real git, real hooks.

use std::path::Path;

use crate::util::{self, TestRepo};

fn repo() -> TestRepo {
    TestRepo::new(util::ours())
}

/// AKIA followed by 16 upper-case letters/digits, built at run time so that this file does
/// not hold a key itself.
fn akia() -> String {
    format!("AKIA{}", "QX7R2M9TLP4BVZ3N")
}

#[test]
fn version_names_implementation_commit_and_cpu_features() {
    let repo = repo();
    let out = repo.secrets(&["--version"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let text = out.stdout_str();
    assert!(
        text.starts_with(&format!(
            "git-secrets {} (git-secrets-rs, commit ",
            env!("CARGO_PKG_VERSION")
        )),
        "{text}"
    );
    assert!(text.contains("\ncpu features: "), "{text}");
    // The build embeds the commit when built in a checkout (this test runs in one).
    let commit = text
        .split("commit ")
        .nth(1)
        .and_then(|t| t.split(',').next())
        .unwrap();
    assert!(
        commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()),
        "{commit}"
    );
    #[cfg(target_arch = "x86_64")]
    assert!(text.contains("sse2"), "{text}");
    // An extension option before it does not turn it into an unknown option.
    assert_eq!(repo.secrets(&["--format", "json", "--version"]).code, 0);
    // Upstream's abbreviations are untouched: `--regis` is still `--register-aws`.
    let abbrev = repo.secrets(&["--regis"]);
    assert_eq!(abbrev.code, 0, "{}", abbrev.stderr_str());
    assert_eq!(abbrev.stdout_str(), "OK\n");
    // Ours are never abbreviated.
    assert_eq!(repo.secrets(&["--vers"]).code, 129);
}

#[test]
fn extension_options_may_precede_the_command() {
    let repo = repo();
    repo.add_config("secrets.patterns", "forbidden");
    repo.write("a.txt", "forbidden\n");
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--format", "json", "--scan"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["scan"]["finding_count"], 1);
    // Upstream's own options keep upstream's rule: the first one is the command.
    let global_first = repo.secrets(&["--global", "--list"]);
    assert_eq!(global_first.code, 129);
    assert!(
        global_first
            .stdout_str()
            .starts_with("Unknown option: --global\n")
    );
}

#[test]
fn machine_reports_are_written_even_without_patterns() {
    let repo = repo();
    repo.write("a.txt", "hello\n");
    repo.stage(&["a.txt"]);
    assert_eq!(repo.commit("one").code, 0);
    let dir = repo.path();
    for (args, file) in [
        (
            vec!["--scan-history", "--format", "sarif", "--output", "h.sarif"],
            "h.sarif",
        ),
        (
            vec!["--scan-history", "--format", "json", "--output", "h.json"],
            "h.json",
        ),
        (
            vec!["--scan", "--format", "json", "--output", "s.json"],
            "s.json",
        ),
        (
            vec![
                "--scan-range",
                "HEAD",
                "--format",
                "sarif",
                "--output",
                "r.sarif",
            ],
            "r.sarif",
        ),
    ] {
        let out = repo.secrets(&args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr_str());
        let text =
            std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{args:?}: {file}: {e}"));
        let doc: serde_json::Value = serde_json::from_slice(&text).unwrap();
        if file.ends_with(".sarif") {
            assert_eq!(
                doc["runs"][0]["results"].as_array().map(Vec::len),
                Some(0),
                "{args:?}"
            );
        } else {
            assert_eq!(
                doc["findings"].as_array().map(Vec::len),
                Some(0),
                "{args:?}"
            );
        }
    }
    // ASFF and JSON Lines: zero batches, zero lines (docs/formats.md), but the file exists.
    let out = repo.secrets(&[
        "--scan-history",
        "--format",
        "asff",
        "--output",
        "h.asff.json",
        "--aws-account-id",
        "123456789012",
        "--aws-region",
        "us-east-1",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert_eq!(std::fs::read(dir.join("h.asff.json")).unwrap(), b"");
}

#[test]
fn output_file_name_picks_the_format_or_is_refused() {
    let repo = repo();
    repo.add_config("secrets.patterns", "forbidden");
    repo.write("a.txt", "forbidden\n");
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan", "--output", "r.json"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("r.json")).unwrap()).unwrap();
    assert_eq!(doc["scan"]["finding_count"], 1);
    assert!(
        out.stderr_str().contains("1 finding(s) written to r.json"),
        "{}",
        out.stderr_str()
    );
    let out = repo.secrets(&["--scan", "--output", "r.sarif"]);
    assert_eq!(out.code, 1);
    let sarif: serde_json::Value =
        serde_json::from_slice(&std::fs::read(repo.path().join("r.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let out = repo.secrets(&["--scan", "--output", "r.jsonl"]);
    assert_eq!(out.code, 1);
    let lines = std::fs::read_to_string(repo.path().join("r.jsonl")).unwrap();
    assert_eq!(lines.lines().count(), 1);
    let out = repo.secrets(&["--scan", "--output", "report.txt"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr_str().contains("--output report.txt"),
        "{}",
        out.stderr_str()
    );
    assert!(
        out.stderr_str().contains("--format"),
        "{}",
        out.stderr_str()
    );
    assert!(!repo.path().join("report.txt").exists());
}

#[test]
fn register_twice_is_idempotent_and_says_so() {
    let repo = repo();
    let first = repo.secrets(&["--register", "aws"]);
    assert_eq!(first.code, 0, "{}", first.stderr_str());
    assert!(
        first.stderr_str().contains("registered aws"),
        "{}",
        first.stderr_str()
    );
    let second = repo.secrets(&["--register", "aws"]);
    assert_eq!(second.code, 0, "{}", second.stderr_str());
    assert!(
        second.stderr_str().contains("already registered"),
        "{}",
        second.stderr_str()
    );
    let values = repo.git(&["config", "--get-all", "secrets.registries"]);
    assert_eq!(values.stdout_str(), "aws\n");
}

#[test]
fn bare_repository_scans_print_no_work_tree_fatal() {
    let repo = repo();
    repo.write("a.txt", format!("key = {}\n", akia()));
    repo.stage(&["a.txt"]);
    assert_eq!(
        repo.git(&["commit", "-q", "--no-verify", "-m", "k"]).code,
        0
    );
    let work = repo.sandbox().work();
    let clone = repo.sandbox().command("git", &work);
    let mut clone = clone;
    clone.args(["clone", "-q", "--mirror", "repo", "m.git"]);
    assert_eq!(util::run(clone).code, 0);
    let mut cmd = repo.sandbox().command("git", work.join("m.git"));
    cmd.args(["config", "--add", "secrets.registries", "aws"]);
    assert_eq!(util::run(cmd).code, 0);
    let mut scan = repo.sandbox().command("git", work.join("m.git"));
    scan.args(["secrets", "--scan-history"]);
    let out = util::run(scan);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    assert!(!out.stderr_str().contains("fatal:"), "{}", out.stderr_str());
    assert!(
        out.stderr_str().contains("a.txt:1:"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn no_color_drops_the_install_tick() {
    // `script` gives the command a terminal, where upstream's tick is green.
    if !Path::new("/usr/bin/script").exists() {
        assert!(std::env::var_os("CI").is_none(), "script(1) is needed");
        eprintln!("skipped: no script(1)");
        return;
    }
    let repo = repo();
    let run = |no_color: bool| {
        let mut cmd = repo.sandbox().command("script", repo.path());
        cmd.args(["-qec", "git secrets --install -f", "/dev/null"]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        util::run(cmd)
    };
    let coloured = run(false);
    assert!(
        coloured.stdout_str().contains("\x1b[32m"),
        "{:?}",
        coloured.stdout_str()
    );
    let plain = run(true);
    assert_eq!(plain.code, 0);
    assert!(
        plain.stdout_str().contains("Installed pre-commit hook"),
        "{:?}",
        plain.stdout_str()
    );
    assert!(
        !plain.stdout_str().contains('\x1b'),
        "{:?}",
        plain.stdout_str()
    );
}

#[test]
fn help_points_at_help_all_on_a_terminal_only() {
    if !Path::new("/usr/bin/script").exists() {
        assert!(std::env::var_os("CI").is_none(), "script(1) is needed");
        return;
    }
    let repo = repo();
    let mut cmd = repo.sandbox().command("script", repo.path());
    cmd.args(["-qec", "git-secrets -h", "/dev/null"]);
    let out = util::run(cmd);
    assert_eq!(out.code, 129);
    assert!(
        out.stdout_str().contains("--help-all"),
        "{}",
        out.stdout_str()
    );
    assert!(
        out.stdout_str().contains("man git-secrets"),
        "{}",
        out.stdout_str()
    );
    // Captured (a script or upstream's byte-for-byte comparison): upstream's usage alone.
    let piped = repo.secrets(&["-h"]);
    assert_eq!(piped.code, 129);
    assert!(!piped.stderr_str().contains("--help-all"));
    let all = repo.secrets(&["--help-all"]);
    for option in [
        "--format",
        "--register",
        "--baseline",
        "--scan-range",
        "--version",
    ] {
        assert!(all.stdout_str().contains(option), "{option}");
    }
}
