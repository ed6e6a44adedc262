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
    // An extension option before it does not turn it into an unknown option (exit 129); it
    // is refused as one that --version has no use for (issue 11, item 4).
    let led = repo.secrets(&["--format", "json", "--version"]);
    assert_eq!(
        (led.code, led.stderr_str().as_str()),
        (
            1,
            "--format can only be supplied with a scan or hook subcommand\n"
        )
    );
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
    // Before one of our commands, upstream's modifiers may lead too (an error upstream).
    let register = repo.secrets(&["--global", "--register", "aws"]);
    assert_eq!(register.code, 0, "{}", register.stderr_str());
    assert!(
        register.stderr_str().contains("global config"),
        "{}",
        register.stderr_str()
    );
    // Upstream's own commands keep upstream's rule: the first option is the command.
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

/// A mirror whose history holds no secret is clean: exit 0, silent. Upstream's history scan
/// then ran `git grep` with no revision (the work tree), which a bare repository does not
/// have: `fatal: this operation must be run in a work tree`, exit 128, as if the scan failed.
#[test]
fn clean_history_of_a_mirror_passes() {
    let repo = repo();
    repo.write("a.txt", "nothing to see\n");
    repo.stage(&["a.txt"]);
    assert_eq!(repo.git(&["commit", "-q", "-m", "clean"]).code, 0);
    let work = repo.sandbox().work();
    let mut clone = repo.sandbox().command("git", &work);
    clone.args(["clone", "-q", "--mirror", "repo", "clean.git"]);
    assert_eq!(util::run(clone).code, 0);
    let mut cmd = repo.sandbox().command("git", work.join("clean.git"));
    cmd.args(["secrets", "--register-aws"]);
    assert_eq!(util::run(cmd).code, 0);
    let mut scan = repo.sandbox().command("git", work.join("clean.git"));
    scan.args(["secrets", "--scan-history"]);
    let out = util::run(scan);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert_eq!(out.stderr_str(), "");
    assert_eq!(out.stdout_str(), "");
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

fn sh(sandbox: &util::Sandbox, dir: &Path, script: &str) -> util::Output {
    let mut cmd = sandbox.command("bash", dir);
    cmd.args(["-c", script]);
    util::run(cmd)
}

#[test]
fn pre_receive_without_patterns_refuses_and_says_how_to_configure() {
    let sandbox = util::Sandbox::new(util::ours());
    let work = sandbox.work();
    let ok = sh(
        &sandbox,
        &work,
        "git init -q --bare server.git && git -C server.git secrets --install --pre-receive . >/dev/null && git init -q client",
    );
    assert_eq!(ok.code, 0, "{}", ok.stderr_str());
    let client = work.join("client");
    let key = akia();
    let push = sh(
        &sandbox,
        &client,
        &format!(
            "git remote add origin ../server.git && echo 'k = {key}' > a.txt && git add a.txt && git commit -qm k && git push origin master"
        ),
    );
    assert_ne!(push.code, 0, "a key was accepted by an unconfigured server");
    let stderr = push.stderr_str();
    // Named by its absolute git dir, not the "." git runs the hook in.
    let server = std::fs::canonicalize(work.join("server.git")).unwrap();
    assert!(
        stderr.contains(&format!(
            "no secret patterns or registries are configured for {};",
            server.display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("git secrets --register aws"), "{stderr}");
    assert!(stderr.contains("pre-receive hook declined"), "{stderr}");
    // Configured, the same push goes through the scan (and is refused for the key).
    let server = work.join("server.git");
    assert_eq!(sh(&sandbox, &server, "git secrets --register aws").code, 0);
    let push = sh(&sandbox, &client, "git push origin master");
    assert_ne!(push.code, 0);
    assert!(
        push.stderr_str().contains("aws.access-key-id"),
        "{}",
        push.stderr_str()
    );
    assert!(!push.stderr_str().contains("no secret patterns"));
}

/// A GitHub classic token: `ghp_`, 30 characters and their CRC-32 in base62 (the rule
/// checks it), built at run time.
fn ghp() -> String {
    format!("ghp_{}", "Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd19FONs")
}

#[test]
fn one_finding_per_span_most_specific_rule_wins() {
    let repo = repo();
    assert_eq!(repo.secrets(&["--register-aws"]).code, 0);
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    assert_eq!(repo.secrets(&["--register", "common"]).code, 0);
    repo.write(
        "a.txt",
        format!("token = \"{}\"\nkey = {}\n", ghp(), akia()),
    );
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&["--scan", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = doc["findings"].as_array().unwrap();
    let ids: Vec<&str> = findings
        .iter()
        .map(|f| f["rule"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["github.pat-classic", "aws.access-key-id"], "{doc:#}");
    assert_eq!(doc["scan"]["finding_count"], 2);
    assert_eq!(
        findings[0]["also_matched"],
        serde_json::json!(["generic.secret-assignment", "generic.keyed-token"])
    );
    assert_eq!(
        findings[1]["also_matched"],
        serde_json::json!(["generic.keyed-token", "git-secrets.prohibited-pattern"])
    );
    // The human output is upstream's: each line once.
    let human = repo.secrets(&["--scan"]);
    assert_eq!(human.code, 1);
    let stderr = human.stderr_str();
    let lines: Vec<&str> = stderr.lines().take_while(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            format!("a.txt:1:token = \"{}\"", ghp()),
            format!("a.txt:2:key = {}", akia())
        ],
        "{stderr}"
    );
}

#[test]
fn asff_summary_counts_what_the_file_holds() {
    let repo = repo();
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    // One key in three commits and two files: one Security Hub finding, five places.
    for (i, name) in ["a.txt", "b.txt", "a.txt"].iter().enumerate() {
        repo.write(name, format!("key = {}\n{}\n", akia(), "x".repeat(i)));
        repo.stage(&[name]);
        assert_eq!(
            repo.git(&["commit", "-q", "--no-verify", "-m", "k"]).code,
            0
        );
    }
    let out = repo.secrets(&[
        "--scan-history",
        "--output",
        "f.asff.json",
        "--aws-account-id",
        "123456789012",
        "--aws-region",
        "us-east-1",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let text = std::fs::read_to_string(repo.path().join("f.asff.json")).unwrap();
    let held: usize = text
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l)
                .unwrap()
                .as_array()
                .unwrap()
                .len()
        })
        .sum();
    assert_eq!(held, 1, "{text}");
    assert!(
        out.stderr_str()
            .contains("git-secrets: 1 finding(s) written to f.asff.json ("),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn configured_baseline_unblocks_git_commit_through_the_hooks() {
    let repo = repo();
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    assert_eq!(repo.secrets(&["--install"]).code, 0);
    repo.write("fixture.txt", format!("key = {}\n", akia()));
    repo.stage(&["fixture.txt"]);
    let blocked = repo.commit("fixture");
    assert_ne!(blocked.code, 0, "the hook let a key through");
    // Record it, point the config at the file, and the same commit goes through.
    let update = repo.secrets(&[
        "--scan",
        "--baseline",
        ".secrets-baseline.json",
        "--update-baseline",
    ]);
    assert_eq!(update.code, 0, "{}", update.stderr_str());
    repo.add_config("secrets.baseline", ".secrets-baseline.json");
    repo.stage(&[".secrets-baseline.json"]);
    let through = repo.commit("fixture, baselined");
    assert_eq!(through.code, 0, "{}", through.stderr_str());
    // A new key is still refused, from a subdirectory too (the path is the work tree's).
    repo.write("sub/new.txt", format!("key = AKIA{}\n", "M4QW8ZTR2KLP7VXN"));
    repo.stage(&["sub/new.txt"]);
    let mut cmd = repo.sandbox().command("git", repo.path().join("sub"));
    cmd.args(["commit", "-q", "-m", "new key"]);
    let new = util::run(cmd);
    assert_ne!(new.code, 0, "a key outside the baseline went through");
    assert!(
        new.stderr_str().contains("sub/new.txt:1:"),
        "{}",
        new.stderr_str()
    );
    assert_eq!(repo.git(&["reset", "-q", "HEAD", "sub/new.txt"]).code, 0);

    // The same through `.git-secrets.toml`, and --update-baseline uses the configured file.
    assert_eq!(repo.git(&["config", "--unset", "secrets.baseline"]).code, 0);
    repo.write(
        ".git-secrets.toml",
        "baseline = \".secrets-baseline.json\"\n",
    );
    repo.write("other.txt", format!("key = AKIA{}\n", "T7RX2QWM9ZKP4LVN"));
    repo.stage(&["other.txt", ".git-secrets.toml"]);
    assert_ne!(repo.commit("other").code, 0);
    let update = repo.secrets(&["--scan", "--update-baseline"]);
    assert_eq!(update.code, 0, "{}", update.stderr_str());
    repo.stage(&[".secrets-baseline.json"]);
    let through = repo.commit("other, baselined");
    assert_eq!(through.code, 0, "{}", through.stderr_str());
    // A configured baseline that is not there accepts nothing, and says so.
    repo.add_config("secrets.baseline", "missing.json");
    let scan = repo.secrets(&["--scan"]);
    assert_eq!(scan.code, 1);
    assert!(
        scan.stderr_str()
            .contains("missing.json does not exist yet"),
        "{}",
        scan.stderr_str()
    );
    // One that cannot be read as a baseline fails closed, naming the file.
    repo.write("missing.json", "not json");
    let scan = repo.secrets(&["--scan"]);
    assert_eq!(scan.code, 2);
    assert!(
        scan.stderr_str().contains("missing.json"),
        "{}",
        scan.stderr_str()
    );
}

#[test]
fn pre_receive_honours_the_server_baseline() {
    let sandbox = util::Sandbox::new(util::ours());
    let work = sandbox.work();
    let setup = sh(
        &sandbox,
        &work,
        "git init -q --bare server.git && cd server.git && git secrets --register aws >/dev/null 2>&1 \
         && git secrets --install --pre-receive . >/dev/null && cd .. && git init -q client \
         && cd client && git remote add origin ../server.git",
    );
    assert_eq!(setup.code, 0, "{}", setup.stderr_str());
    let client = work.join("client");
    let key = akia();
    let commit = sh(
        &sandbox,
        &client,
        &format!("echo 'k = {key}' > a.txt && git add a.txt && git commit -qm k"),
    );
    assert_eq!(commit.code, 0);
    assert_ne!(sh(&sandbox, &client, "git push -q origin master").code, 0);
    // The server's baseline (relative to its git directory) accepts that key.
    let record = sh(
        &sandbox,
        &client,
        "git secrets --register aws >/dev/null 2>&1; git secrets --scan --baseline ../server.git/accepted.json --update-baseline",
    );
    assert_eq!(record.code, 0, "{}", record.stderr_str());
    let server = work.join("server.git");
    assert_eq!(
        sh(
            &sandbox,
            &server,
            "git config secrets.baseline accepted.json"
        )
        .code,
        0
    );
    let push = sh(&sandbox, &client, "git push -q origin master");
    assert_eq!(push.code, 0, "{}", push.stderr_str());
}

fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `install.sh --binary <ours>` into a prefix inside the sandbox, with `script` run after it.
fn install(sandbox: &util::Sandbox, args: &str, then: &str) -> util::Output {
    let script = format!(
        "export PREFIX=\"$PWD/prefix\"; export PATH=\"$PREFIX/bin:$PATH\"; \
         bash {}/install.sh --binary {} {args} && {{ {then}; }}",
        manifest_dir().display(),
        util::ours().display()
    );
    sh(sandbox, &sandbox.work(), &script)
}

#[test]
fn install_template_registers_aws_so_a_new_repository_is_protected() {
    let sandbox = util::Sandbox::new(util::ours());
    let key = akia();
    let out = install(
        &sandbox,
        "--template",
        &format!(
            "git init -q fresh && cd fresh && echo 'k = {key}' > a.txt && git add a.txt && git commit -qm k"
        ),
    );
    assert_ne!(
        out.code,
        0,
        "a fresh repository committed a key:\n{}",
        out.stderr_str()
    );
    let stderr = out.stderr_str();
    assert!(stderr.contains("Set init.templateDir="), "{stderr}");
    assert!(
        stderr.contains("Set secrets.registries=aws (global)"),
        "{stderr}"
    );
    assert!(stderr.contains("a.txt:1:"), "{stderr}");
    // Installing again is fine (the pack is already registered).
    let again = install(&sandbox, "--template", "true");
    assert_eq!(again.code, 0, "{}", again.stderr_str());
    let values = sh(
        &sandbox,
        &sandbox.work(),
        "git config --global --get-all secrets.registries",
    );
    assert_eq!(values.stdout_str(), "aws\n");
}

#[test]
fn install_hooks_path_no_register_warns_that_nothing_is_looked_for() {
    let sandbox = util::Sandbox::new(util::ours());
    let out = install(
        &sandbox,
        "--hooks-path --no-register",
        "git config --global core.hooksPath",
    );
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert!(stderr.contains("Set core.hooksPath="), "{stderr}");
    assert!(
        stderr.contains("no pattern or registry is configured globally"),
        "{stderr}"
    );
    assert!(!stderr.contains("Set secrets.registries"), "{stderr}");
    let registered = sh(
        &sandbox,
        &sandbox.work(),
        "git config --global --get-all secrets.registries",
    );
    assert_eq!(registered.stdout_str(), "");
    // With registration, a fresh repository with no setup of its own blocks a key.
    let key = akia();
    let out = install(
        &sandbox,
        "--hooks-path",
        &format!(
            "git init -q r && cd r && echo 'k = {key}' > a.txt && git add a.txt && git commit -qm k"
        ),
    );
    assert_ne!(out.code, 0, "{}", out.stderr_str());
}

#[test]
fn install_warns_when_another_git_secrets_comes_first_on_path() {
    let sandbox = util::Sandbox::new(util::ours());
    let work = sandbox.work();
    // A stand-in for upstream's /usr/bin/git-secrets, first on PATH.
    std::fs::create_dir_all(work.join("other")).unwrap();
    std::fs::write(work.join("other/git-secrets"), "#!/bin/sh\nexit 129\n").unwrap();
    sh(&sandbox, &work, "chmod +x other/git-secrets");
    let script = format!(
        "export PREFIX=\"$PWD/prefix\"; export PATH=\"$PWD/other:$PREFIX/bin:$PATH\"; bash {}/install.sh --binary {}",
        manifest_dir().display(),
        util::ours().display()
    );
    let out = sh(&sandbox, &work, &script);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let stderr = out.stderr_str();
    assert!(stderr.contains("Warning: 'git secrets' runs "), "{stderr}");
    assert!(stderr.contains("other/git-secrets"), "{stderr}");
    assert!(stderr.contains("first on PATH"), "{stderr}");
    // First on PATH: no warning.
    let out = install(&sandbox, "", "true");
    assert_eq!(out.code, 0);
    assert!(
        !out.stderr_str().contains("Warning"),
        "{}",
        out.stderr_str()
    );
    assert!(
        out.stderr_str().contains("git-secrets-rs"),
        "{}",
        out.stderr_str()
    );
    // Without hooks set up, it says what protects a repository.
    assert!(
        out.stderr_str()
            .contains("Next: git secrets --register aws --global"),
        "{}",
        out.stderr_str()
    );
}

#[test]
fn installed_manual_opens_from_git_help_and_completion_is_installed() {
    if !Path::new("/usr/bin/man").exists() {
        assert!(std::env::var_os("CI").is_none(), "man(1) is needed");
        eprintln!("skipped: no man(1)");
        return;
    }
    let sandbox = util::Sandbox::new(util::ours());
    let out = install(
        &sandbox,
        "",
        "export MANPAGER=cat PAGER=cat MANWIDTH=100; git help secrets; echo ===; git secrets --help; echo ===; \
         ls \"$PREFIX/share/bash-completion/completions/git-secrets\" \"$PREFIX/share/zsh/site-functions/_git-secrets\"",
    );
    assert_eq!(out.code, 0, "{}{}", out.stdout_str(), out.stderr_str());
    let text = out.stdout_str();
    let parts: Vec<&str> = text.split("===\n").collect();
    assert_eq!(parts.len(), 3, "{text}");
    for page in &parts[..2] {
        assert!(page.contains("GIT-SECRETS(1)"), "{page}");
        assert!(page.contains("--scan-range"), "{page}");
        assert!(page.contains("secrets.baseline"), "{page}");
    }
}

#[test]
fn bash_completion_follows_gits_convention() {
    let git_completion = Path::new("/usr/share/bash-completion/completions/git");
    if !git_completion.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "git's bash completion is needed"
        );
        return;
    }
    let sandbox = util::Sandbox::new(util::ours());
    let script = format!(
        "source {}; source {}/completions/git-secrets.bash
         t() {{ COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMP_LINE=\"$*\"; COMP_POINT=${{#COMP_LINE}}; COMPREPLY=(); __git_wrap__git_main; echo \"${{COMPREPLY[*]}}\"; }}
         t git secrets --for; t git secrets --format ''; t git secrets --reg; t git secrets --register ''",
        git_completion.display(),
        manifest_dir().display()
    );
    let out = sh(&sandbox, &sandbox.work(), &script);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let lines: Vec<&str> = out
        .stdout
        .split(|&b| b == b'\n')
        .map(|l| std::str::from_utf8(l).unwrap())
        .collect();
    assert_eq!(lines[0], "--force --format");
    assert_eq!(lines[1], "human json jsonl sarif asff");
    assert_eq!(lines[2], "--register-aws --register");
    assert!(lines[3].starts_with("aws common"), "{}", lines[3]);
}

#[test]
fn list_shows_registries_and_their_rule_counts() {
    let repo = repo();
    // Upstream-only configuration: upstream's listing alone.
    repo.add_config("secrets.patterns", "forbidden");
    let plain = repo.secrets(&["--list"]);
    assert_eq!(plain.stdout_str(), "secrets.patterns forbidden\n");
    assert_eq!(plain.stderr_str(), "");
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    repo.write(
        "mine.toml",
        "[[rule]]\nid = \"acme.token\"\ndescription = \"Acme token\"\npattern = 'acme_[a-z0-9]{20}'\n",
    );
    assert_eq!(repo.secrets(&["--register", "mine.toml"]).code, 0);
    repo.write(
        ".git-secrets.toml",
        "registries = [\"common\"]\ndisabled = [\"aws.account-id\"]\n",
    );
    let out = repo.secrets(&["--list"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout_str()
            .starts_with("secrets.patterns forbidden\nsecrets.registries aws\n")
    );
    let stderr = out.stderr_str();
    let aws_rules = stderr
        .lines()
        .find_map(|l| l.strip_prefix("git-secrets: registry aws: "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(aws_rules >= 5, "{stderr}");
    assert!(stderr.contains("mine.toml: 1 rule ("), "{stderr}");
    assert!(
        stderr.contains("git-secrets: project file .git-secrets.toml: registries common ("),
        "{stderr}"
    );
    assert!(stderr.contains("; 1 rule(s) disabled"), "{stderr}");
}

/// The fenced blocks of `lang` in a Markdown file.
fn code_blocks(markdown: &str, lang: &str) -> Vec<String> {
    let fence = format!("```{lang}\n");
    markdown
        .split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split("```").next().map(str::to_string))
        .collect()
}

#[test]
fn registries_doc_examples_load_and_work() {
    let doc = std::fs::read_to_string(manifest_dir().join("docs/registries.md")).unwrap();
    let tomls = code_blocks(&doc, "toml");
    assert_eq!(tomls.len(), 2, "a registry file and a project file");
    let repo = repo();
    repo.write("tools/acme.toml", &tomls[0]);
    let check = repo.secrets(&["--check-registry", "tools/acme.toml"]);
    assert_eq!(check.code, 0, "{}", check.stderr_str());
    assert_eq!(
        check.stdout_str(),
        "tools/acme.toml: 2 rules, every example checked\n"
    );
    repo.write(".git-secrets.toml", &tomls[1]);
    repo.write(
        "app.properties",
        format!("db.password = xK9#mQ2$vL7@pR4w\nkey = {}\n", akia()),
    );
    repo.write("tests/fixtures/k.txt", "AKIAABCDEFGHIJKLEXAMPLE\n");
    repo.stage(&["."]);
    let out = repo.secrets(&["--scan", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["id"].as_str().unwrap())
        .collect();
    // The registry's own example line is a finding too (tools/acme.toml); the fixture key
    // under tests/fixtures is allowed by the project file.
    assert_eq!(
        ids,
        ["acme.db-password", "aws.access-key-id", "acme.deploy-token"],
        "{report:#}"
    );
    assert_eq!(report["findings"][2]["path"], "tools/acme.toml");
    // The documented baseline workflow: record, and the scan passes.
    let record = repo.secrets(&["--scan", "--update-baseline"]);
    assert_eq!(record.code, 0, "{}", record.stderr_str());
    assert!(repo.path().join(".secrets-baseline.json").is_file());
    assert_eq!(repo.secrets(&["--scan"]).code, 0);
    // The documented way to turn a pack off.
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    assert_eq!(
        repo.git(&["config", "--unset", "secrets.registries", "^aws$"])
            .code,
        0
    );
}

#[test]
fn one_scan_writes_several_reports_by_file_name() {
    let repo = repo();
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    repo.write("a.txt", format!("key = {}\n", akia()));
    repo.stage(&["a.txt"]);
    let out = repo.secrets(&[
        "--scan",
        "--output",
        "r.json",
        "--output",
        "r.sarif",
        "--output",
        "r.asff.json",
        "--aws-account-id",
        "123456789012",
        "--aws-region",
        "us-east-1",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let stderr = out.stderr_str();
    for f in ["r.json", "r.sarif", "r.asff.json"] {
        assert!(
            stderr.contains(&format!("1 finding(s) written to {f}\n")),
            "{stderr}"
        );
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(repo.path().join(f)).unwrap()).unwrap();
        assert!(!v.is_null());
    }
    // --format applies to one file only; a name without a known extension is refused.
    let both = repo.secrets(&[
        "--scan", "--format", "json", "--output", "a.json", "--output", "b.json",
    ]);
    assert_eq!(both.code, 2);
    assert!(
        both.stderr_str().contains("drop --format"),
        "{}",
        both.stderr_str()
    );
    let bad = repo.secrets(&["--scan", "--output", "a.json", "--output", "b.txt"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr_str().contains("--output b.txt"),
        "{}",
        bad.stderr_str()
    );
}
