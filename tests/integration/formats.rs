//! Machine formats end to end: JSON, JSON Lines, SARIF and ASFF from real scans of real
//! repositories, checked by the consumers' own rules rather than by hand-written expectations
//! alone:
//!
//! * SARIF against the SARIF 2.1.0 JSON schema (vendored in `tests/schemas/`) plus GitHub code
//!   scanning's rules (`scripts/check-sarif`);
//! * ASFF against botocore's Security Hub service model for `BatchImportFindings` plus the
//!   limits botocore does not check (`scripts/check-asff`);
//! * ASFF imported with the AWS CLI into a local Security Hub (`moto_server` on 127.0.0.1),
//!   read back, re-imported after a rescan: the count must not grow;
//! * `buildspec-gitsecrets.yml` run as CodeBuild runs it, with CodeBuild's variables, against
//!   that local Security Hub;
//! * `.pre-commit-hooks.yaml` through the pre-commit framework itself;
//! * no full secret in any machine format unless `--no-redact`.
//!
//! The Python tools come from `scripts/test-deps`. Without them these tests are skipped with
//! a message, except under `CI`, where a missing tool fails the test.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{FIXED_DATE, Output, TestRepo, ours, run};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const BUILD_ARN: &str =
    "arn:aws:codebuild:us-east-1:123456789012:build/secrets-scan:6f1f6a63-9a0c-4d3c-8e43-1b7c";

/// Fake credentials, well-formed for the `aws` pack (none is a real key).
const KEY_ID: &str = "AKIAZ2MNQ4HWTRLE7VXC";
const SECRET_KEY: &str = "q8Yt3Vb/7Lk2Pz9Wm4Rx0Nc5Hs1Jd6Fg/Ae+TuQi";
/// Matched by a git-config prohibited pattern (no registry rule).
const PASSWORD: &str = "password=Tr0ub4dor3xyzzyPlugh";

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A distinct fake access key id per `i`.
fn fake_key(i: usize) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut tail = String::new();
    let mut n = i;
    for _ in 0..8 {
        tail.insert(0, DIGITS[n % 32] as char);
        n /= 32;
    }
    format!("AKIAZ2MNQ4HW{tail}")
}

/// Whether the Python tools (`modules` importable by python3, `commands` on PATH) are here.
/// Missing tools skip the test with a message, or fail it under CI.
pub(crate) fn have_tools(test: &str, modules: &[&str], commands: &[&str]) -> bool {
    let mut missing = Vec::new();
    let script = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    match Command::new("python3")
        .args(["-c", &script])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(s) if s.success() => {}
        _ => missing.push(format!("python3 with {}", modules.join(", "))),
    }
    for c in commands {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {c}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            missing.push((*c).to_string());
        }
    }
    if missing.is_empty() {
        return true;
    }
    let msg = format!(
        "{test}: needs {} (run scripts/test-deps)",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED {msg}");
    false
}

/// Runs one of our Python checkers on `files`; panics with its report unless it passes, and
/// returns its JSON summary.
fn check(script: &str, files: &[&Path]) -> Value {
    let mut cmd = Command::new("timeout");
    cmd.arg("120")
        .arg("python3")
        .arg(manifest_dir().join("scripts").join(script))
        .args(files);
    let out = run(cmd);
    assert_eq!(
        out.code,
        0,
        "{script} rejected {files:?}:\n{}{}",
        out.stdout_str(),
        out.stderr_str()
    );
    serde_json::from_slice(&out.stdout).expect("checker summary is JSON")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\nstderr: {}",
            out.stdout_str(),
            out.stderr_str()
        )
    })
}

/// The ASFF findings of a report, batch by batch.
fn asff_batches(text: &[u8]) -> Vec<Vec<Value>> {
    text.split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<Vec<Value>>(l).expect("an ASFF line is a JSON array"))
        .collect()
}

/// `extra` (the scan command first), then the ASFF options.
fn asff_args(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = extra.to_vec();
    args.extend([
        "--format",
        "asff",
        "--aws-account-id",
        ACCOUNT,
        "--aws-region",
        REGION,
        "--repository",
        "https://git.example.com/team/app.git",
    ]);
    args
}

/// A repository with the aws pack, a prohibited pattern, and two commits with secrets:
/// `config/app.ini` (a key id and a secret key) and `src/db.py` (a password).
fn repo_with_secrets() -> TestRepo {
    let repo = TestRepo::new(ours());
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    // A configured fingerprint key, as a team would have (without one, the first report
    // makes a per-user key and says so on stderr).
    repo.add_config("secrets.fingerprintKey", "formats-test-key-0123456789");
    repo.add_config("secrets.patterns", "password=[A-Za-z0-9]+");
    repo.write(
        "config/app.ini",
        format!(
            "[default]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = \"{SECRET_KEY}\"\n"
        ),
    );
    repo.stage(&["config/app.ini"]);
    assert_eq!(repo.commit("config").code, 0);
    repo.write(
        "src/db.py",
        format!("# db\nDSN = 'postgres://u@h/db?{PASSWORD}'\n"),
    );
    repo.stage(&["src/db.py"]);
    assert_eq!(repo.commit("db").code, 0);
    repo
}

#[test]
fn json_and_jsonl_report_every_field() {
    let repo = repo_with_secrets();
    repo.git(&[
        "remote",
        "add",
        "origin",
        "https://ci-bot:s3cr3t-token@git.example.com/team/app.git",
    ]);
    let head = repo
        .git(&["rev-parse", "HEAD"])
        .stdout_str()
        .trim()
        .to_string();
    let first = repo
        .git(&["rev-parse", "HEAD~1"])
        .stdout_str()
        .trim()
        .to_string();

    let out = repo.secrets(&["--scan-history", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    // One finding per (path, rule, secret), with the commit that introduced it.
    assert_eq!(
        out.stderr_str(),
        "git-secrets: 3 finding(s) written to stdout\n"
    );
    let doc = json(&out);
    assert_eq!(doc["schema_version"], "1.3");
    assert_eq!(doc["tool"]["name"], "git-secrets");
    assert_eq!(doc["tool"]["implementation"], "git-secrets-rs");
    assert_eq!(doc["scan"]["mode"], "scan-history");
    // The remote's credentials never reach a report.
    assert_eq!(
        doc["scan"]["repository"],
        "https://git.example.com/team/app.git"
    );
    assert!(!out.stdout_str().contains("s3cr3t-token"));
    assert_eq!(doc["scan"]["redacted"], true);
    assert_eq!(doc["scan"]["finding_count"], 3);
    let generated = doc["scan"]["generated_at"].as_str().unwrap();
    assert!(
        generated.ends_with('Z') && generated.len() == 20,
        "{generated}"
    );
    let root = std::fs::canonicalize(repo.path()).unwrap();
    assert_eq!(doc["scan"]["repository_path"], root.to_str().unwrap());

    let findings = doc["findings"].as_array().unwrap();
    let first_blob = repo
        .git(&["rev-parse", "HEAD~1:config/app.ini"])
        .stdout_str()
        .trim()
        .to_string();
    // History: the key id and secret key came with the first commit (still present at the
    // tips, in one version of the file); the password with HEAD.
    let key_at_head = findings
        .iter()
        .find(|f| f["rule"]["id"] == "aws.access-key-id" && f["commit"] == first.as_str())
        .expect("key id finding, introduced by the first commit");
    assert_eq!(
        *key_at_head,
        serde_json::json!({
            "rule": {
                "id": "aws.access-key-id",
                "description": "AWS access key ID (long-term AKIA or temporary ASIA, STS bearer ABIA, context-specific ACCA, and other IAM unique IDs)",
                "severity": "HIGH",
                "severity_score": 80,
                "confidence": "high",
                "source": key_at_head["rule"]["source"],
                "references": key_at_head["rule"]["references"],
            },
            "path": "config/app.ini",
            "line": 2,
            "column": 21,
            "end_column": 41,
            "commit": first,
            "blob": first_blob,
            "author": {"name": "A U Thor", "email": "author@example.com"},
            "date": FIXED_DATE,
            "scan_mode": "scan-history",
            "repository": "https://git.example.com/team/app.git",
            "secret": "AKIA…",
            "redacted": true,
            "fingerprint": key_at_head["fingerprint"],
            "also_matched": [],
            "history": {"introduced_by_commits": 1, "blobs": 1, "present_at_tips": true},
        })
    );
    let fp = key_at_head["fingerprint"].as_str().unwrap();
    assert!(fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit()));
    let password_commit = findings
        .iter()
        .find(|f| f["path"] == "src/db.py")
        .expect("password finding");
    assert_eq!(password_commit["commit"], head.as_str());

    let secret = findings
        .iter()
        .find(|f| f["rule"]["id"] == "aws.secret-access-key")
        .unwrap();
    assert_eq!(secret["rule"]["severity"], "CRITICAL");
    assert_eq!(secret["rule"]["severity_score"], 95);
    assert_eq!(
        (secret["line"].as_u64(), secret["column"].as_u64()),
        (Some(3), Some(26))
    );
    assert_eq!(secret["secret"], "q8Yt…");
    let password = findings
        .iter()
        .find(|f| f["rule"]["id"] == "git-secrets.prohibited-pattern")
        .expect("prohibited pattern finding");
    assert_eq!(password["rule"]["severity"], "HIGH");
    assert_eq!(password["rule"]["source"], "git-config");
    assert_eq!(password["path"], "src/db.py");
    assert_eq!(password["secret"], "pass…");

    // JSON Lines: the same finding objects, one per line, to --output.
    let out = repo.secrets(&["--scan-history", "--format", "jsonl", "--output", "f.jsonl"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, b"");
    assert_eq!(
        out.stderr_str(),
        "git-secrets: 3 finding(s) written to f.jsonl\n"
    );
    let lines = std::fs::read_to_string(repo.path().join("f.jsonl")).unwrap();
    let parsed: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&parsed, findings);

    // Staged scan: no commit, author or date.
    repo.write("new.txt", format!("id={}\n", fake_key(1)));
    repo.stage(&["new.txt"]);
    let doc = json(&repo.secrets(&["--scan", "--cached", "--format", "json"]));
    assert_eq!(doc["scan"]["mode"], "scan-cached");
    let new = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "new.txt")
        .unwrap();
    assert_eq!(new["commit"], Value::Null);
    assert_eq!(new["author"], Value::Null);
    assert_eq!(new["date"], Value::Null);
    assert_eq!(new["column"], 4);

    // Nothing found: a valid, empty report and exit 0.
    let clean = TestRepo::new(ours());
    clean.secrets(&["--register", "aws"]);
    clean.write("a.txt", "nothing here\n");
    clean.stage(&["a.txt"]);
    let out = clean.secrets(&["--scan", "--format", "json", "--repository", "clean"]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let doc = json(&out);
    assert_eq!(doc["findings"], serde_json::json!([]));
    assert_eq!(doc["scan"]["repository"], "clean");
    let out = clean.secrets(&["--scan", "--format", "jsonl"]);
    assert_eq!((out.code, out.stdout.len()), (0, 0));
}

#[test]
fn sarif_validates_against_the_schema_and_github_rules() {
    if !have_tools("sarif", &["jsonschema"], &[]) {
        return;
    }
    let repo = repo_with_secrets();
    // A path that needs percent-encoding, and a multi-byte character before the secret.
    repo.write(
        "docs/été notes.md",
        format!("Clé: «{}»\n", fake_key(7)).as_bytes(),
    );
    repo.stage(&["docs/été notes.md"]);
    assert_eq!(repo.commit("notes").code, 0);

    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, args) in [
        ("history", vec!["--scan-history"]),
        ("tree", vec!["--scan"]),
        ("no-index", vec!["--scan", "--no-index"]),
    ] {
        let path = dir.path().join(format!("{name}.sarif"));
        let mut full = args.clone();
        full.extend(["--format", "sarif", "--output", path.to_str().unwrap()]);
        let out = repo.secrets(&full);
        assert_eq!(out.code, 1, "{name}: {}", out.stderr_str());
        files.push(path);
    }
    // Empty runs are valid too.
    let clean = TestRepo::new(ours());
    clean.secrets(&["--register", "aws"]);
    let empty = dir.path().join("empty.sarif");
    let out = clean.secrets(&[
        "--scan",
        "--format",
        "sarif",
        "--output",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    files.push(empty);

    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    for f in &refs {
        let summary = check("check-sarif", &[f]);
        eprintln!("check-sarif {}: {summary}", f.display());
    }

    let log: Value = serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "git-secrets");
    assert_eq!(run["automationDetails"]["id"], "git-secrets/scan-history/");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let key_rule = rules
        .iter()
        .find(|r| r["id"] == "aws.access-key-id")
        .unwrap();
    assert_eq!(key_rule["properties"]["security-severity"], "8.0");
    assert_eq!(key_rule["defaultConfiguration"]["level"], "error");
    let critical = rules
        .iter()
        .find(|r| r["id"] == "aws.secret-access-key")
        .unwrap();
    assert_eq!(critical["properties"]["security-severity"], "9.5");
    let results = run["results"].as_array().unwrap();
    let notes = results
        .iter()
        .find(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                == "docs/%C3%A9t%C3%A9%20notes.md"
        })
        .expect("percent-encoded relative uri");
    let region = &notes["locations"][0]["physicalLocation"]["region"];
    // "Clé: «" is 6 UTF-16 units (8 bytes): the key starts at column 7 and is 20 long.
    assert_eq!(region["startLine"], 1);
    assert_eq!(region["startColumn"], 7);
    assert_eq!(region["endColumn"], 27);
    assert_eq!(notes["properties"]["byteColumn"], 9);
    assert_eq!(notes["properties"]["secret"], "AKIA…");
    assert!(notes["properties"]["commit"].as_str().unwrap().len() == 40);
    assert_eq!(
        notes["properties"]["author"],
        "A U Thor <author@example.com>"
    );
    let fp = notes["partialFingerprints"]["gitSecretsFingerprint/v1"]
        .as_str()
        .unwrap();
    assert_eq!(fp.len(), 64);
    assert!(!notes.to_string().contains("snippet"));
    // The work-tree scan has no commit.
    let tree: Value = serde_json::from_slice(&std::fs::read(&files[1]).unwrap()).unwrap();
    assert!(tree["runs"][0]["results"][0]["properties"]["commit"].is_null());
}

#[test]
fn asff_passes_botocore_validation_and_security_hub_limits() {
    if !have_tools("asff", &["botocore"], &[]) {
        return;
    }
    let repo = repo_with_secrets();
    let dir = tempfile::tempdir().unwrap();
    let report = |name: &str| dir.path().join(name);

    // History scan: one finding per (repository, rule, secret), created at the commit date.
    let history = report("history.asff");
    let mut args = asff_args(&["--scan-history"]);
    args.extend(["--output", history.to_str().unwrap()]);
    let out = repo.secrets(&args);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let batches = asff_batches(&std::fs::read(&history).unwrap());
    assert_eq!(batches.len(), 1);
    let findings = &batches[0];
    assert_eq!(findings.len(), 3, "5 history findings, 3 distinct secrets");
    let key = findings
        .iter()
        .find(|f| f["GeneratorId"] == "git-secrets/rule/aws.access-key-id")
        .unwrap();
    assert_eq!(key["CreatedAt"], FIXED_DATE);
    assert_eq!(key["FirstObservedAt"], FIXED_DATE);
    assert_ne!(key["UpdatedAt"], FIXED_DATE);
    assert_eq!(
        key["ProductArn"],
        "arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default"
    );
    assert_eq!(
        key["Types"],
        serde_json::json!([
            "Sensitive Data Identifications/Passwords/aws.access-key-id",
            "Effects/Data Exposure"
        ])
    );
    assert_eq!(key["FindingProviderFields"]["Types"], key["Types"]);
    assert_eq!(key["Severity"]["Label"], "HIGH");
    assert_eq!(key["FindingProviderFields"]["Severity"]["Label"], "HIGH");
    let other = &key["Resources"][0]["Details"]["Other"];
    assert_eq!(key["Resources"][0]["Type"], "Other");
    assert_eq!(
        key["Resources"][0]["Id"],
        "https://git.example.com/team/app.git"
    );
    assert_eq!(other["Path"], "config/app.ini");
    assert_eq!(other["Line"], "2");
    assert_eq!(
        other["Occurrences"], "1",
        "introduced once (history reports each secret at a path once)"
    );
    let first = repo.git(&["rev-list", "--max-parents=0", "HEAD"]);
    assert_eq!(
        other["Commit"],
        first.stdout_str().trim(),
        "the introducing commit"
    );
    assert_eq!(key["RecordState"], "ACTIVE");
    // Id: tool, version, repository key, rule, content fingerprint.
    let id = key["Id"].as_str().unwrap();
    let parts: Vec<&str> = id.split('/').collect();
    assert_eq!(parts.len(), 5, "{id}");
    assert_eq!(parts[..2], ["git-secrets", "v1"]);
    assert_eq!(parts[2].len(), 16);
    assert_eq!(parts[3], "aws.access-key-id");
    assert_eq!(parts[4], key["ProductFields"]["git-secrets/Fingerprint"]);

    // Inside CodeBuild: account and region from the environment, the project as a resource,
    // the partition from the region.
    let codebuild = report("codebuild.asff");
    let mut cmd = repo.sandbox().command("git", repo.path());
    cmd.args(["secrets", "--scan", "--format", "asff", "--output"])
        .arg(&codebuild)
        .args(["--repository", "app"])
        .env("CODEBUILD_BUILD_ARN", BUILD_ARN)
        .env("AWS_REGION", REGION);
    let out = run(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr_str());
    let cb = asff_batches(&std::fs::read(&codebuild).unwrap());
    let resources = &cb[0][0]["Resources"];
    assert_eq!(resources[1]["Type"], "AwsCodeBuildProject");
    assert_eq!(
        resources[1]["Id"],
        "arn:aws:codebuild:us-east-1:123456789012:project/secrets-scan"
    );
    assert_eq!(
        resources[1]["Details"]["AwsCodeBuildProject"]["Name"],
        "secrets-scan"
    );
    assert_eq!(cb[0][0]["AwsAccountId"], ACCOUNT);
    assert_eq!(
        cb[0][0]["CreatedAt"], cb[0][0]["UpdatedAt"],
        "no commit: scan time"
    );

    let govcloud = report("govcloud.asff");
    let out = repo.secrets(&[
        "--scan",
        "--format",
        "asff",
        "--aws-account-id",
        ACCOUNT,
        "--aws-region",
        "us-gov-west-1",
        "--output",
        govcloud.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 1);
    let gov = asff_batches(&std::fs::read(&govcloud).unwrap());
    assert!(
        gov[0][0]["ProductArn"]
            .as_str()
            .unwrap()
            .starts_with("arn:aws-us-gov:securityhub:us-gov-west-1:")
    );
    assert_eq!(gov[0][0]["Resources"][0]["Partition"], "aws-us-gov");

    // 150 distinct secrets: two batches, 100 then 50.
    let many = TestRepo::new(ours());
    many.secrets(&["--register", "aws"]);
    let body: String = (0..150)
        .map(|i| format!("key{i} = {}\n", fake_key(i)))
        .collect();
    many.write("keys.txt", body);
    many.stage(&["keys.txt"]);
    let bulk = report("bulk.asff");
    let mut args = asff_args(&["--scan"]);
    args.extend(["--output", bulk.to_str().unwrap()]);
    assert_eq!(many.secrets(&args).code, 1);
    let sizes: Vec<usize> = asff_batches(&std::fs::read(&bulk).unwrap())
        .iter()
        .map(Vec::len)
        .collect();
    assert_eq!(sizes, [100, 50]);

    let all = [&history, &codebuild, &govcloud, &bulk].map(PathBuf::as_path);
    let summary = check("check-asff", &all);
    eprintln!(
        "check-asff: {} batches, {} findings valid",
        summary["batches"], summary["findings"]
    );
    assert_eq!(summary["batches"], 5);

    // Ids depend on what was found, not on when: a rescan, and a rescan after the secret
    // moved to another file, give the same Ids.
    let ids = |path: &Path| -> Vec<String> {
        let mut v: Vec<String> = asff_batches(&std::fs::read(path).unwrap())
            .concat()
            .iter()
            .map(|f| f["Id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let again = report("again.asff");
    let mut args = asff_args(&["--scan-history"]);
    args.extend(["--output", again.to_str().unwrap()]);
    repo.git(&["mv", "config/app.ini", "config/moved.ini"]);
    assert_eq!(repo.commit("move").code, 0);
    assert_eq!(repo.secrets(&args).code, 1);
    assert_eq!(ids(&history), ids(&again));

    // Account and region are required, with one clear line each.
    let out = repo.secrets(&["--scan", "--format", "asff", "--aws-region", REGION]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: --format asff needs the AWS account id: pass --aws-account-id or run in \
         CodeBuild (CODEBUILD_BUILD_ARN)\n"
    );
    let out = repo.secrets(&["--scan", "--format", "asff", "--aws-account-id", ACCOUNT]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr_str(),
        "git-secrets: --format asff needs the AWS region: pass --aws-region or set AWS_REGION\n"
    );
    let out = repo.secrets(&[
        "--scan",
        "--format",
        "asff",
        "--aws-account-id",
        "12345",
        "--aws-region",
        REGION,
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stderr_str().contains("invalid AWS account id '12345'"));
}

#[test]
fn no_machine_format_leaks_a_secret_unless_asked() {
    let repo = repo_with_secrets();
    repo.write("staged.env", format!("AWS_ACCESS_KEY_ID={}\n", fake_key(3)));
    repo.stage(&["staged.env"]);
    let secrets = [
        KEY_ID.to_string(),
        SECRET_KEY.to_string(),
        PASSWORD.to_string(),
        fake_key(3),
    ];
    let modes: [&[&str]; 3] = [
        &["--scan-history"],
        &["--scan", "--cached"],
        &["--scan", "--no-index"],
    ];
    let mut checked = 0;
    for mode in modes {
        for format in ["json", "jsonl", "sarif", "asff"] {
            for redact in [true, false] {
                let mut args: Vec<&str> = mode.to_vec();
                // The account, region and repository options (not `--format asff`).
                args.extend(&asff_args(&[])[2..]);
                args.extend(["--format", format]);
                if !redact {
                    args.push("--no-redact");
                }
                let out = repo.secrets(&args);
                assert_eq!(out.code, 1, "{args:?}: {}", out.stderr_str());
                let text = out.stdout_str();
                for secret in &secrets {
                    if mode == ["--scan-history"] && secret == &fake_key(3) {
                        continue; // only staged
                    }
                    // No 10-character piece of a secret, redacted; the whole secret otherwise.
                    let leaked = secret
                        .as_bytes()
                        .windows(10)
                        .find(|w| text.contains(std::str::from_utf8(w).unwrap()));
                    if redact {
                        assert!(
                            leaked.is_none(),
                            "{args:?} leaks {:?} of {secret}",
                            leaked.map(String::from_utf8_lossy)
                        );
                    } else {
                        assert!(text.contains(secret.as_str()), "{args:?} lacks {secret}");
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 24);
}

/// `moto_server` on a free loopback port, killed when dropped.
pub(crate) struct Moto {
    child: Child,
    url: String,
}

impl Moto {
    pub(crate) fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto_server");
        let moto = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto_server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// Environment for the AWS CLI against this server: dummy credentials, fixed region.
    pub(crate) fn env(&self, cmd: &mut Command) {
        cmd.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_REGION", REGION)
            .env("AWS_ENDPOINT_URL", &self.url)
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_PAGER", "");
    }

    /// `aws securityhub <args>` in `repo`'s sandbox; panics unless it succeeds.
    fn aws(&self, repo: &TestRepo, args: &[&str]) -> Value {
        let mut cmd = repo.sandbox().command("timeout", repo.path());
        cmd.args(["60", "aws", "securityhub"]).args(args);
        cmd.args(["--output", "json"]);
        self.env(&mut cmd);
        let out = run(cmd);
        assert_eq!(
            out.code,
            0,
            "aws securityhub {args:?}: {}",
            out.stderr_str()
        );
        json(&out)
    }

    pub(crate) fn import(&self, repo: &TestRepo, batch: &Path) -> Value {
        let file = format!("file://{}", batch.display());
        self.aws(repo, &["batch-import-findings", "--findings", &file])
    }

    pub(crate) fn findings(&self, repo: &TestRepo) -> Vec<Value> {
        self.aws(repo, &["get-findings", "--max-items", "1000"])["Findings"]
            .as_array()
            .unwrap()
            .clone()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn security_hub_round_trip_updates_instead_of_duplicating() {
    if !have_tools("round trip", &["botocore"], &["aws", "moto_server"]) {
        return;
    }
    let started = Instant::now();
    let moto = Moto::start();
    let repo = repo_with_secrets();
    let report = repo.path().join("../first.asff");
    let mut args = asff_args(&["--scan-history"]);
    let report_str = report.to_str().unwrap().to_string();
    args.extend(["--output", &report_str]);
    assert_eq!(repo.secrets(&args).code, 1);
    let mine = asff_batches(&std::fs::read(&report).unwrap()).concat();

    let imported = moto.import(&repo, &report);
    assert_eq!(imported["FailedCount"], 0, "{imported}");
    assert_eq!(imported["SuccessCount"], 3);
    let back = moto.findings(&repo);
    assert_eq!(back.len(), 3);
    let key = back
        .iter()
        .find(|f| f["GeneratorId"] == "git-secrets/rule/aws.access-key-id")
        .expect("read back");
    let original = mine.iter().find(|f| f["Id"] == key["Id"]).expect("same Id");
    for field in [
        "Title",
        "Description",
        "Types",
        "Severity",
        "Resources",
        "CreatedAt",
    ] {
        assert_eq!(key[field], original[field], "{field} read back");
    }

    // A new commit moves a secret and adds one: the rescan re-imports 4 findings, of which
    // 3 already exist; Security Hub ends up with 4, not 7.
    repo.git(&["mv", "config/app.ini", "config/moved.ini"]);
    repo.write("extra.txt", format!("k={}\n", fake_key(42)));
    repo.stage(&["extra.txt"]);
    assert_eq!(repo.commit("move and add").code, 0);
    std::thread::sleep(Duration::from_millis(1100)); // a later UpdatedAt, as in real use
    let second = repo.path().join("../second.asff");
    let second_str = second.to_str().unwrap().to_string();
    let mut args = asff_args(&["--scan-history"]);
    args.extend(["--output", &second_str]);
    assert_eq!(repo.secrets(&args).code, 1);
    let imported = moto.import(&repo, &second);
    assert_eq!(imported["SuccessCount"], 4, "{imported}");
    let back = moto.findings(&repo);
    assert_eq!(back.len(), 4, "re-import updated the 3 findings, added 1");
    let key = back.iter().find(|f| f["Id"] == original["Id"]).unwrap();
    // At its first path and, after the move, at its new one.
    assert_eq!(key["Resources"][0]["Details"]["Other"]["Occurrences"], "2");
    assert!(key["UpdatedAt"].as_str() > original["UpdatedAt"].as_str());
    // Importing the same report once more changes nothing either.
    moto.import(&repo, &second);
    assert_eq!(moto.findings(&repo).len(), 4);
    eprintln!(
        "round trip: 3 imported, 3 read back, rescan re-imported 4 -> 4 in Security Hub, {:.1}s",
        started.elapsed().as_secs_f64()
    );
}

/// The buildspec's commands, run as CodeBuild runs them: one bash, phase after phase, each
/// command's failure ending the build with its status.
fn buildspec_script() -> String {
    let spec = manifest_dir().join("buildspec-gitsecrets.yml");
    let out = run({
        let mut c = Command::new("python3");
        c.arg(manifest_dir().join("scripts/codebuild-script"))
            .arg(&spec);
        c
    });
    assert_eq!(
        out.code,
        0,
        "buildspec does not parse: {}",
        out.stderr_str()
    );
    out.stdout_str()
}

fn run_buildspec(
    moto: &Moto,
    repo: &TestRepo,
    src: &Path,
    report_dir: &Path,
    env: &[(&str, &str)],
) -> Output {
    let script = buildspec_script();
    let mut cmd = repo.sandbox().command("timeout", src);
    cmd.args(["240", "bash", "-c", &script]);
    cmd.envs(env.iter().copied());
    moto.env(&mut cmd);
    cmd.env("CODEBUILD_BUILD_ARN", BUILD_ARN)
        .env(
            "CODEBUILD_BUILD_ID",
            "secrets-scan:6f1f6a63-9a0c-4d3c-8e43-1b7c",
        )
        .env("CODEBUILD_SRC_DIR", src)
        .env("CODEBUILD_INITIATOR", "codepipeline/app-pipeline")
        .env("CODEBUILD_BUILD_SUCCEEDING", "1")
        .env("GITSECRETS_REPORT_DIR", report_dir);
    run(cmd)
}

#[test]
fn buildspec_scans_imports_in_batches_and_fails_the_build() {
    if !have_tools(
        "buildspec",
        &["botocore", "yaml"],
        &["aws", "moto_server", "jq"],
    ) {
        return;
    }
    let started = Instant::now();
    let moto = Moto::start();
    // The sandbox home gets the packs (`--register --global`), as a fresh build container.
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work();

    // 1. CodePipeline's zip: no .git, 150 secrets, so two batches (only the aws pack, for an
    //    exact count).
    let zip = root.join("zip-src");
    std::fs::create_dir_all(zip.join("app")).unwrap();
    let body: String = (0..150)
        .map(|i| format!("key{i} = {}\n", fake_key(i)))
        .collect();
    std::fs::write(zip.join("app/keys.txt"), body).unwrap();
    let reports = root.join("reports-zip");
    let out = run_buildspec(&moto, &repo, &zip, &reports, &[("GITSECRETS_PACKS", "aws")]);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 1, "{log}");
    assert!(
        log.contains("git secrets --scan --no-index on codepipeline/app-pipeline"),
        "{log}"
    );
    assert!(
        log.contains("batch 1 imported") && log.contains("batch 2 imported"),
        "{log}"
    );
    assert!(!log.contains("batch 3"), "{log}");
    assert!(log.contains("failing the build: secrets found"), "{log}");
    assert!(
        !log.contains(&fake_key(0)),
        "the build log shows no full secret"
    );
    check("check-asff", &[&reports.join("git-secrets.asff.jsonl")]);
    let back = moto.findings(&repo);
    assert_eq!(back.len(), 150);
    assert!(
        back.iter()
            .all(|f| f["Resources"][1]["Type"] == "AwsCodeBuildProject")
    );

    // 2. A full clone, with the default packs: the history is scanned; a second build updates
    //    the same findings.
    let clone = repo_with_secrets();
    let src = clone.path();
    let reports = root.join("reports-clone");
    let out = run_buildspec(&moto, &repo, src, &reports, &[]);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 1, "{log}");
    assert!(
        log.contains("git secrets --scan-history on codepipeline/app-pipeline"),
        "{log}"
    );
    assert!(
        log.contains("batch 1 imported") && !log.contains("batch 2"),
        "{log}"
    );
    let report = reports.join("git-secrets.asff.jsonl");
    let in_clone = asff_batches(&std::fs::read(&report).unwrap())
        .concat()
        .len();
    assert!(
        in_clone >= 3,
        "key id, secret key and password at least: {in_clone}"
    );
    check("check-asff", &[&report]);
    assert_eq!(moto.findings(&repo).len(), 150 + in_clone);
    let out = run_buildspec(&moto, &repo, src, &root.join("reports-clone-2"), &[]);
    assert_eq!(out.code, 1);
    assert_eq!(
        moto.findings(&repo).len(),
        150 + in_clone,
        "the rebuild added no duplicate"
    );

    // 3. A clean source passes without importing anything.
    let clean = root.join("clean-src");
    std::fs::create_dir_all(&clean).unwrap();
    std::fs::write(clean.join("README"), "no secrets\n").unwrap();
    let out = run_buildspec(&moto, &repo, &clean, &root.join("reports-clean"), &[]);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 0, "{log}");
    assert!(
        log.contains("no secrets found") && !log.contains("imported"),
        "{log}"
    );
    eprintln!(
        "buildspec: zip 150 findings in 2 batches, clone {in_clone} (rebuild: still {}), \
         clean build passes; {:.1}s",
        150 + in_clone,
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn pre_commit_framework_runs_the_hook() {
    if !have_tools("pre-commit", &["pre_commit"], &["pre-commit"]) {
        return;
    }
    let repo = TestRepo::new(ours());
    // The manifest as pre-commit itself validates it.
    let manifest = manifest_dir().join(".pre-commit-hooks.yaml");
    let check = run({
        let mut c = Command::new("python3");
        c.args([
            "-c",
            "import sys; from pre_commit.clientlib import load_manifest; \
             print(' '.join(h['id'] for h in load_manifest(sys.argv[1])))",
        ])
        .arg(&manifest);
        c
    });
    assert_eq!(check.code, 0, "{}", check.stderr_str());
    assert_eq!(
        check.stdout_str().trim(),
        "git-secrets git-secrets-system git-secrets-commit-msg"
    );
    // A hook repository holding just the manifest (the system hook needs nothing else).
    let hooks = repo.sandbox().work().join("hooks");
    std::fs::create_dir(&hooks).unwrap();
    std::fs::copy(&manifest, hooks.join(".pre-commit-hooks.yaml")).unwrap();
    let sh = |script: &str| {
        let out = repo.sandbox().bash(script, 120);
        assert_eq!(
            out.code,
            0,
            "{script}: {}{}",
            out.stdout_str(),
            out.stderr_str()
        );
    };
    sh("cd hooks && git init -q && git add . && git commit -qm hooks");
    repo.secrets(&["--register", "aws"]);
    repo.write("a.txt", format!("key = {KEY_ID}\n"));
    repo.stage(&["a.txt"]);
    let try_repo = || {
        let mut c = repo.sandbox().command("timeout", repo.path());
        c.args([
            "120",
            "pre-commit",
            "try-repo",
            "../hooks",
            "git-secrets-system",
        ]);
        run(c)
    };
    let out = try_repo();
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 1, "{log}");
    assert!(log.contains("a.txt:1:key = AKIA"), "{log}");
    assert!(
        log.contains("[ERROR] Matched one or more prohibited patterns"),
        "{log}"
    );
    repo.git(&["rm", "-q", "--cached", "a.txt"]);
    repo.write("b.txt", "fine\n");
    repo.stage(&["b.txt"]);
    let out = try_repo();
    assert_eq!(out.code, 0, "{}{}", out.stdout_str(), out.stderr_str());
}

/// The buildspec in `src` as CodeBuild runs it, without Security Hub (`GITSECRETS_IMPORT`
/// false) and with the default report directory (the one `artifacts` and `reports` name).
fn run_buildspec_local(
    repo: &TestRepo,
    src: &Path,
    path_prefix: Option<&Path>,
    env: &[(&str, &str)],
) -> (Output, f64) {
    let script = buildspec_script();
    let mut cmd = repo.sandbox().command("timeout", src);
    cmd.args(["120", "bash", "-c", &script]);
    if let Some(dir) = path_prefix {
        let path = std::env::join_paths(
            std::iter::once(dir.to_path_buf())
                .chain(std::env::split_paths(
                    &std::env::var_os("PATH").unwrap_or_default(),
                ))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        // The sandbox's own bin directory comes after the stand-in.
        let sandbox_bin = repo.sandbox().root().join("bin");
        let mut full = std::ffi::OsString::from(dir);
        full.push(":");
        full.push(&sandbox_bin);
        full.push(":");
        full.push(path);
        cmd.env("PATH", full);
    }
    cmd.env("GITSECRETS_IMPORT", "false")
        .env("CODEBUILD_BUILD_ARN", BUILD_ARN)
        .env("AWS_REGION", REGION)
        .env("CODEBUILD_SRC_DIR", src)
        .env("CODEBUILD_INITIATOR", "codepipeline/app-pipeline")
        .envs(env.iter().copied());
    let started = Instant::now();
    let out = run(cmd);
    (out, started.elapsed().as_secs_f64())
}

/// The buildspec's `artifacts` and `reports` sections: (base directory, files) of each.
fn buildspec_outputs() -> Vec<(String, Vec<String>)> {
    let py = r#"
import sys, json, yaml
spec = yaml.safe_load(open(sys.argv[1]))
a = spec["artifacts"]
r = spec["reports"]["git-secrets"]
assert r["file-format"] == "JUNITXML", r
print(json.dumps([[a["base-directory"], a["files"]], [r["base-directory"], r["files"]]]))
"#;
    let out = run({
        let mut c = Command::new("python3");
        c.args(["-c", py])
            .arg(manifest_dir().join("buildspec-gitsecrets.yml"));
        c
    });
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// JUnit test cases and failures of the CodeBuild report, parsed as XML.
fn junit_counts(file: &Path) -> (usize, usize) {
    let py = "import sys, xml.etree.ElementTree as E; s = E.parse(sys.argv[1]).getroot().find('testsuite'); \
              print(len(s.findall('testcase')), len(s.findall('testcase/failure')))";
    let out = run({
        let mut c = Command::new("python3");
        c.args(["-c", py]).arg(file);
        c
    });
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    let text = out.stdout_str();
    let mut n = text.split_whitespace().map(|v| v.parse::<usize>().unwrap());
    (n.next().unwrap(), n.next().unwrap())
}

#[test]
fn buildspec_fetches_its_binary_scans_ranges_keeps_reports_and_checkpoints() {
    if !have_tools("buildspec range", &["yaml"], &["jq", "curl"]) {
        return;
    }
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work();
    assert_eq!(repo.secrets(&["--register", "aws"]).code, 0);
    // Old history: a fixture key committed long ago.
    repo.write(
        "tests/fixture.ini",
        format!("aws_access_key_id = {KEY_ID}\n"),
    );
    repo.stage(&["tests/fixture.ini"]);
    assert_eq!(repo.commit("old fixture").code, 0);
    repo.write("README", "hello\n");
    repo.stage(&["README"]);
    assert_eq!(repo.commit("readme").code, 0);
    let rev = |r: &str| repo.git(&["rev-parse", r]).stdout_str().trim().to_string();
    let prev = rev("HEAD");
    repo.write("src/lib.rs", "fn main() {}\n");
    repo.stage(&["src/lib.rs"]);
    assert_eq!(repo.commit("code").code, 0);
    let src = repo.path();

    // A stand-in for upstream git-secrets first on the image's PATH: it must not be used.
    let upstream_dir = root.join("image-bin");
    std::fs::create_dir_all(&upstream_dir).unwrap();
    std::fs::write(
        upstream_dir.join("git-secrets"),
        "#!/bin/sh\necho 'usage: git secrets' >&2; exit 129\n",
    )
    .unwrap();
    std::fs::set_permissions(
        upstream_dir.join("git-secrets"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let (out, _) = run_buildspec_local(&repo, src, Some(&upstream_dir), &[]);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 1, "{log}");
    assert!(log.contains("is not git-secrets-rs"), "{log}");
    assert!(log.contains("GITSECRETS_BINARY_URL"), "{log}");

    // 1. A webhook build: the binary fetched from a URL, only the new commits scanned (the old
    //    fixture key is not), reports kept where `artifacts` and `reports` look.
    let url = format!("file://{}", ours().display());
    let (out, secs) = run_buildspec_local(
        &repo,
        src,
        Some(&upstream_dir),
        &[
            ("GITSECRETS_BINARY_URL", &url),
            ("CODEBUILD_WEBHOOK_PREV_COMMIT", &prev),
        ],
    );
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 0, "{log}");
    assert!(
        log.contains(&format!("git secrets --scan-range {prev}..")),
        "{log}"
    );
    assert!(log.contains("(git-secrets-rs, commit"), "{log}");
    assert!(log.contains("no secrets found"), "{log}");
    for (base, files) in buildspec_outputs() {
        for f in files {
            let p = src.join(&base).join(&f);
            assert!(p.is_file(), "{} is missing after the build", p.display());
        }
    }
    let reports = src.join("git-secrets-reports");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(reports.join("git-secrets.json")).unwrap()).unwrap();
    assert_eq!(doc["scan"]["mode"], "scan-range");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 0);
    check("check-sarif", &[&reports.join("git-secrets.sarif")]);
    assert_eq!(junit_counts(&reports.join("git-secrets.junit.xml")), (1, 0));
    eprintln!("buildspec (binary fetched, range scan): {secs:.2}s");

    // 2. No previous commit, a checkpoint file and a baseline: the whole history, the old key
    //    accepted by the baseline, the checkpoint written.
    let baseline = repo.secrets(&[
        "--scan-history",
        "--baseline",
        ".secrets-baseline.json",
        "--update-baseline",
    ]);
    assert_eq!(baseline.code, 0, "{}", baseline.stderr_str());
    let checkpoint = root.join("cache/checkpoint");
    let checkpoint_str = checkpoint.to_str().unwrap();
    let env = [
        ("GITSECRETS_BINARY_URL", url.as_str()),
        ("GITSECRETS_CHECKPOINT", checkpoint_str),
        ("GITSECRETS_BASELINE", ".secrets-baseline.json"),
    ];
    let (out, _) = run_buildspec_local(&repo, src, None, &env);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 0, "{log}");
    assert!(log.contains("git secrets --scan-history"), "{log}");
    let head = rev("HEAD");
    assert_eq!(std::fs::read_to_string(&checkpoint).unwrap().trim(), head);

    // 3. A new key after the checkpoint: only the new commit is scanned, it fails the build,
    //    the reports hold it, and the checkpoint stays (the next build rescans it).
    repo.write("deploy.env", format!("AWS_ACCESS_KEY_ID={}\n", fake_key(7)));
    repo.stage(&["deploy.env"]);
    assert_eq!(repo.commit("deploy").code, 0);
    let (out, _) = run_buildspec_local(&repo, src, None, &env);
    let log = format!("{}{}", out.stdout_str(), out.stderr_str());
    assert_eq!(out.code, 1, "{log}");
    assert!(
        log.contains(&format!("git secrets --scan-range {head}..")),
        "{log}"
    );
    assert!(
        log.contains("deploy.env:1  aws.access-key-id  AKIA…"),
        "{log}"
    );
    assert!(
        !log.contains(&fake_key(7)),
        "the build log shows no full secret"
    );
    assert!(log.contains("failing the build"), "{log}");
    assert_eq!(std::fs::read_to_string(&checkpoint).unwrap().trim(), head);
    assert_eq!(junit_counts(&reports.join("git-secrets.junit.xml")), (1, 1));
    let asff = std::fs::read(reports.join("git-secrets.asff.jsonl")).unwrap();
    assert_eq!(asff_batches(&asff).concat().len(), 1);
    check("check-asff", &[&reports.join("git-secrets.asff.jsonl")]);
}
