//! Organisation audits (`--scan-repos`) as the batch engines run them, simulated on this
//! machine: 50 generated repositories (a few commits each, secrets planted in every third),
//! one unreachable URL and one corrupt repository, audited
//!
//! * by one process, and as 4 shards in 4 processes with `JOB_COMPLETION_INDEX` set (as a
//!   Kubernetes Indexed Job does): every repository audited exactly once, the same findings,
//!   the two failures reported without stopping the rest;
//! * with a shard killed mid-run and run again: the same findings, and no duplicate in a
//!   local Security Hub (`moto_server`) that received both attempts' reports;
//! * incrementally, after two new commits (one adds a secret, one removes a planted one):
//!   only the new commits scanned, the new secret reported, the removed one archived;
//!
//! and the deployment files checked by their consumers' rules: the Kubernetes manifests with
//! `kubernetes-validate` (the API schemas), the CodeBuild buildspec as YAML with the keys
//! CodeBuild requires.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::formats::{Moto, have_tools};
use crate::util::{Output, TestRepo, ours, run};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const GOOD: usize = 50;
const SHARDS: usize = 4;
/// 2026-01-01T00:00:00Z, the sandbox's date.
const EPOCH: u64 = 1_767_225_600;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A distinct fake access key id (well-formed for the `aws` pack, not a real key).
fn key(i: usize) -> String {
    const DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut tail = String::new();
    let mut n = i;
    for _ in 0..8 {
        tail.insert(0, DIGITS[n % 32] as char);
        n /= 32;
    }
    format!("AKIAZ3PLQ7HW{tail}")
}

fn planted(i: usize) -> bool {
    i.is_multiple_of(3)
}

/// A fast-import commit on master: `files` set (`Some`) or deleted (`None`); `resume`
/// continues the branch of an earlier import (within one stream, commits chain by themselves).
fn commit(out: &mut String, n: u64, message: &str, resume: bool, files: &[(&str, Option<&str>)]) {
    out.push_str(&format!(
        "commit refs/heads/master\ncommitter C O Mitter <committer@example.com> {} +0000\ndata {}\n{message}\n",
        EPOCH + n,
        message.len() + 1
    ));
    if resume {
        out.push_str("from refs/heads/master^0\n");
    }
    for (path, content) in files {
        match content {
            Some(c) => out.push_str(&format!("M 100644 inline {path}\ndata {}\n{c}\n", c.len())),
            None => out.push_str(&format!("D {path}\n")),
        }
    }
}

/// The simulated organisation.
struct Org {
    repo: TestRepo,
    root: PathBuf,
    manifest: PathBuf,
}

impl Org {
    fn new() -> Org {
        let repo = TestRepo::new(ours());
        let root = repo.sandbox().work().join("org");
        std::fs::create_dir_all(&root).unwrap();
        let mut manifest = String::from("# the simulated organisation\n");
        for i in 0..GOOD {
            let dir = root.join(format!("repo-{i:02}"));
            let mut stream = String::new();
            let second = if planted(i) {
                format!("aws_access_key_id = {}\n", key(i))
            } else {
                "nothing to see\n".to_string()
            };
            let readme = format!("repository {i}\n");
            commit(
                &mut stream,
                1,
                "first",
                false,
                &[("README.md", Some(&readme))],
            );
            let path = if planted(i) {
                "config/settings.env"
            } else {
                "src/main.txt"
            };
            commit(&mut stream, 2, "second", false, &[(path, Some(&second))]);
            let more = format!("{readme}more\n");
            commit(
                &mut stream,
                3,
                "third",
                false,
                &[("README.md", Some(&more))],
            );
            fast_import(&repo, &dir, &stream, true);
            manifest.push_str(&format!("{} repo-{i:02}\n", dir.display()));
        }
        // Unreachable: nothing listens on the discard port.
        manifest.push_str("https://127.0.0.1:9/org/unreachable.git unreachable\n");
        // Corrupt: its pack is cut in half.
        let corrupt = root.join("corrupt");
        let mut stream = String::new();
        for n in 1..=3 {
            let body = format!("line {n} {}\n", key(900 + n as usize));
            commit(
                &mut stream,
                n,
                "c",
                false,
                &[(&format!("f{n}.txt"), Some(&body))],
            );
        }
        fast_import(&repo, &corrupt, &stream, true);
        let packs = corrupt.join(".git/objects/pack");
        for e in std::fs::read_dir(&packs).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "pack") {
                let len = std::fs::metadata(&p).unwrap().len();
                let mut perms = std::fs::metadata(&p).unwrap().permissions();
                #[allow(clippy::permissions_set_readonly_false)]
                perms.set_readonly(false);
                std::fs::set_permissions(&p, perms).unwrap();
                let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
                f.set_len(len / 2).unwrap();
            }
        }
        manifest.push_str(&format!("{} corrupt\n", corrupt.display()));
        let manifest_path = root.join("manifest.txt");
        std::fs::write(&manifest_path, manifest).unwrap();
        let mut cmd = repo.sandbox().command("git", repo.sandbox().work());
        cmd.args(["config", "--global", "secrets.registries", "aws"]);
        assert_eq!(run(cmd).code, 0);
        Org {
            repo,
            root,
            manifest: manifest_path,
        }
    }

    /// `git secrets --scan-repos` with the sandbox's environment, ASFF reports.
    fn command(&self, cache: &str, out: &str, extra: &[&str]) -> Command {
        let mut cmd = self
            .repo
            .sandbox()
            .command(ours(), self.repo.sandbox().work());
        cmd.arg("--scan-repos")
            .arg(&self.manifest)
            .args(["--cache-dir", &self.path(cache)])
            .args(["--output", &self.path(out)])
            .args(["--format", "asff", "--aws-account-id", ACCOUNT])
            .args(["--aws-region", REGION])
            .args(extra);
        cmd
    }

    fn path(&self, name: &str) -> String {
        self.root.join(name).display().to_string()
    }

    /// Run the shards in parallel processes, each with its `JOB_COMPLETION_INDEX`.
    fn shards(&self, cache: &str, out: &str, checkpoint: &str) -> Vec<(Output, Value)> {
        let children: Vec<_> = (0..SHARDS)
            .map(|i| {
                let mut cmd = self.command(
                    cache,
                    out,
                    &["--shards", "4", "--checkpoint", &self.path(checkpoint)],
                );
                cmd.env("JOB_COMPLETION_INDEX", i.to_string())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped());
                cmd.spawn().unwrap()
            })
            .collect();
        children
            .into_iter()
            .map(|c| {
                let out = c.wait_with_output().unwrap();
                let out = Output {
                    code: out.status.code().unwrap_or(-1),
                    stdout: out.stdout,
                    stderr: out.stderr,
                };
                let summary = summary(&out);
                (out, summary)
            })
            .collect()
    }
}

fn fast_import(repo: &TestRepo, dir: &Path, stream: &str, init: bool) {
    if init {
        let mut cmd = repo.sandbox().command("git", repo.sandbox().work());
        cmd.args(["init", "-q"]).arg(dir);
        assert_eq!(run(cmd).code, 0);
    }
    let mut cmd = repo.sandbox().command("git", dir);
    cmd.args(["-c", "fastimport.unpackLimit=0", "fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stream.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "fast-import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn summary(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "summary is not JSON ({e}): {}\n{}",
            out.stdout_str(),
            out.stderr_str()
        )
    })
}

/// The ASFF records of every report in `dir`.
fn records(dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".asff.jsonl"))
        .collect();
    files.sort();
    for f in files {
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            if !line.is_empty() {
                out.extend(serde_json::from_str::<Vec<Value>>(line).unwrap());
            }
        }
    }
    out
}

/// (repository, Id) of the ACTIVE records.
fn active(records: &[Value]) -> BTreeSet<(String, String)> {
    records
        .iter()
        .filter(|r| r["RecordState"] == "ACTIVE")
        .map(|r| {
            (
                r["Resources"][0]["Details"]["Other"]["Repository"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["Id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Per repository name: status, commits, findings, archived.
fn by_name(summaries: &[&Value]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for s in summaries {
        for r in s["repositories"].as_array().unwrap() {
            let name = r["name"].as_str().unwrap().to_string();
            assert!(
                out.insert(name.clone(), r.clone()).is_none(),
                "{name} audited by two shards"
            );
        }
    }
    out
}

/// Import `records` into the local Security Hub, 100 a call.
fn import(moto: &Moto, org: &Org, records: &[Value], tag: &str) {
    for (i, chunk) in records.chunks(100).enumerate() {
        let file = org.root.join(format!("import-{tag}-{i}.json"));
        std::fs::write(&file, serde_json::to_vec(chunk).unwrap()).unwrap();
        let r = moto.import(&org.repo, &file);
        assert_eq!(r["FailedCount"], 0, "{r}");
    }
}

#[test]
fn organisation_audit_sharded_killed_and_incremental() {
    let started = Instant::now();
    let org = Org::new();
    let setup = started.elapsed();

    // One process.
    let t = Instant::now();
    let single = run(org.command("cache-1", "out-1", &[]));
    let single_time = t.elapsed();
    assert_eq!(
        single.code,
        5,
        "findings and failures: {}",
        single.stderr_str()
    );
    let single_summary = summary(&single);
    let single_repos = by_name(&[&single_summary]);
    assert_eq!(single_repos.len(), GOOD + 2);
    let failed: BTreeMap<&str, &str> = single_repos
        .iter()
        .filter(|(_, r)| r["status"] == "failed")
        .map(|(n, r)| (n.as_str(), r["error"].as_str().unwrap()))
        .collect();
    assert_eq!(
        failed.keys().copied().collect::<Vec<_>>(),
        ["corrupt", "unreachable"],
        "{failed:?}"
    );
    assert!(
        failed["unreachable"].starts_with("clone failed: "),
        "{failed:?}"
    );
    for (name, r) in &single_repos {
        if r["status"] == "failed" {
            continue;
        }
        let i: usize = name.trim_start_matches("repo-").parse().unwrap();
        assert_eq!(r["commits"], 3, "{name}");
        assert_eq!(r["findings"], usize::from(planted(i)), "{name}");
    }
    let single_ids = active(&records(&org.root.join("out-1")));
    let planted_count = (0..GOOD).filter(|&i| planted(i)).count();
    assert_eq!(single_ids.len(), planted_count);
    // The secret is in the reports redacted only.
    let report = std::fs::read_to_string(
        org.root.join("out-1").join(
            std::fs::read_dir(org.root.join("out-1"))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .find(|n| n.starts_with("repo-00-"))
                .unwrap(),
        ),
    )
    .unwrap();
    assert!(!report.contains(&key(0)) && report.contains("AKIA…"));

    // The plan that the shards follow.
    let plan = run(org.command("cache-1", "out-1", &["--plan", "--shards", "4"]));
    assert_eq!(plan.code, 0, "{}", plan.stderr_str());
    let plan = summary(&plan);
    assert_eq!(plan["repositories"], GOOD + 2);

    // Four shards in four processes.
    let t = Instant::now();
    let shards = org.shards("cache-2", "out-2", "ckpt-2");
    let sharded_time = t.elapsed();
    let summaries: Vec<&Value> = shards.iter().map(|(_, s)| s).collect();
    let repos = by_name(&summaries);
    assert_eq!(
        repos.keys().collect::<Vec<_>>(),
        single_repos.keys().collect::<Vec<_>>(),
        "every repository in exactly one shard"
    );
    for (i, (out, s)) in shards.iter().enumerate() {
        assert_eq!(s["shard"]["index"], i);
        let names: Vec<&str> = s["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        let planned: Vec<&str> = plan["assignment"][i]["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(names, planned, "shard {i} follows --plan");
        let expect = match (s["totals"]["findings"] != 0, s["totals"]["failed"] != 0) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 4,
            (true, true) => 5,
        };
        assert_eq!(out.code, expect, "shard {i}: {}", out.stderr_str());
    }
    for (name, r) in &repos {
        let one = &single_repos[name];
        for k in ["status", "findings", "commits"] {
            assert_eq!(r[k], one[k], "{name}: {k}");
        }
    }
    let shard_records = records(&org.root.join("out-2"));
    assert_eq!(
        active(&shard_records),
        single_ids,
        "union of shards == one process"
    );

    // A shard killed mid-run, then run again.
    let victim = (0..SHARDS)
        .max_by_key(|&i| summaries[i]["repositories"].as_array().unwrap().len())
        .unwrap();
    let victim_count = summaries[victim]["repositories"].as_array().unwrap().len();
    let ckpt3 = org.root.join("ckpt-3");
    let mut cmd = org.command(
        "cache-3",
        "out-3",
        &[
            "--shard",
            &format!("{victim}/4"),
            "--checkpoint",
            &org.path("ckpt-3"),
        ],
    );
    cmd.stdout(Stdio::null()).stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let done = |dir: &Path| {
        std::fs::read_dir(dir).map_or(0, |d| {
            d.filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.'))
            })
            .count()
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while done(&ckpt3) < 2 {
        assert!(Instant::now() < deadline, "the shard made no progress");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = done(&ckpt3);
    assert!(
        at_kill < victim_count - 2,
        "killed too late to test anything: {at_kill} of {victim_count} checkpoints"
    );
    let partial = records(&org.root.join("out-3"));
    let rerun = run(org.command(
        "cache-3",
        "out-3",
        &[
            "--shard",
            &format!("{victim}/4"),
            "--checkpoint",
            &org.path("ckpt-3"),
        ],
    ));
    let rerun_summary = summary(&rerun);
    let unchanged = rerun_summary["totals"]["unchanged"].as_u64().unwrap() as usize;
    assert!(
        unchanged >= at_kill.min(victim_count) - 1 && unchanged <= at_kill,
        "finished repositories are not scanned again: {unchanged} unchanged, {at_kill} checkpoints"
    );
    let victim_ids: BTreeSet<(String, String)> = {
        let mine: BTreeSet<&str> = summaries[victim]["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["repository"].as_str().unwrap())
            .collect();
        single_ids
            .iter()
            .filter(|(repo, _)| mine.contains(repo.as_str()))
            .cloned()
            .collect()
    };
    let after = records(&org.root.join("out-3"));
    assert_eq!(
        active(&after),
        victim_ids,
        "killed + re-run == uninterrupted"
    );

    let moto_time;
    let mut incremental_checked = false;
    // (records imported from both attempts, findings in Security Hub, duplicate Ids).
    let mut hub_counts = None;
    let tools = have_tools("organisation audit", &["botocore"], &["aws", "moto_server"]);
    let moto = tools.then(Moto::start);
    if let Some(moto) = &moto {
        let t = Instant::now();
        // The killed attempt's import step, then the retry's (which imports everything).
        import(moto, &org, &partial, "killed");
        import(moto, &org, &after, "retry");
        let hub = moto.findings(&org.repo);
        let ids: Vec<&str> = hub.iter().map(|f| f["Id"].as_str().unwrap()).collect();
        let unique: BTreeSet<&str> = ids.iter().copied().collect();
        hub_counts = Some((
            partial.len() + after.len(),
            ids.len(),
            ids.len() - unique.len(),
        ));
        assert_eq!(ids.len(), unique.len(), "duplicate Ids in Security Hub");
        let expected: BTreeSet<&str> = victim_ids.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(unique, expected);
        moto_time = t.elapsed();
    } else {
        moto_time = Duration::ZERO;
    }

    // New commits: one removes a planted secret (in the killed shard, so Security Hub has
    // it), one adds a secret to a clean repository.
    let shard_names: Vec<String> = summaries[victim]["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    let removed = shard_names
        .iter()
        .find(|n| {
            n.strip_prefix("repo-")
                .and_then(|i| i.parse::<usize>().ok())
                .is_some_and(planted)
        })
        .expect("a planted repository in the shard")
        .clone();
    let added = "repo-01";
    let mut stream = String::new();
    commit(
        &mut stream,
        10,
        "remove the key",
        true,
        &[("config/settings.env", None)],
    );
    fast_import(&org.repo, &org.root.join(&removed), &stream, false);
    let new_key = key(4242);
    let mut stream = String::new();
    let body = format!("aws_access_key_id = {new_key}\n");
    commit(
        &mut stream,
        11,
        "add a key",
        true,
        &[("deploy.env", Some(&body))],
    );
    fast_import(&org.repo, &org.root.join(added), &stream, false);

    let t = Instant::now();
    let incremental = org.shards("cache-2", "out-4", "ckpt-2");
    let incremental_time = t.elapsed();
    let inc: Vec<&Value> = incremental.iter().map(|(_, s)| s).collect();
    let inc_repos = by_name(&inc);
    let total = |k: &str| {
        inc.iter()
            .map(|s| s["totals"][k].as_u64().unwrap())
            .sum::<u64>()
    };
    assert_eq!(total("commits"), 2, "only the new commits are scanned");
    assert_eq!(total("findings"), 1);
    assert_eq!(total("archived"), 1);
    assert_eq!(total("failed"), 2);
    assert_eq!(inc_repos[&removed]["archived"], 1);
    assert_eq!(inc_repos[&removed]["mode"], "incremental");
    assert_eq!(inc_repos[added]["findings"], 1);
    assert_eq!(
        inc_repos
            .values()
            .filter(|r| r["status"] == "unchanged")
            .count(),
        GOOD - 2
    );
    let inc_records = records(&org.root.join("out-4"));
    let archived: Vec<&Value> = inc_records
        .iter()
        .filter(|r| r["RecordState"] == "ARCHIVED")
        .collect();
    assert_eq!(archived.len(), 1);
    let removed_url = org.root.join(&removed).display().to_string();
    let archived_id = archived[0]["Id"].as_str().unwrap().to_string();
    assert!(
        single_ids.contains(&(removed_url, archived_id.clone())),
        "archived under the Id it was reported with"
    );
    let new_records: Vec<&Value> = inc_records
        .iter()
        .filter(|r| r["RecordState"] == "ACTIVE")
        .collect();
    assert_eq!(new_records.len(), 1);
    assert_eq!(
        new_records[0]["ProductFields"]["git-secrets/Secret"],
        format!("{}…", &new_key[..4])
    );
    if let Some(moto) = &moto {
        import(moto, &org, &inc_records, "incremental");
        let hub = moto.findings(&org.repo);
        let state = hub
            .iter()
            .find(|f| f["Id"] == archived_id.as_str())
            .map(|f| f["RecordState"].clone());
        assert_eq!(state, Some(Value::from("ARCHIVED")));
        incremental_checked = true;
    }

    // A change of rules rescans in full.
    let mut cmd = org.repo.sandbox().command("git", org.repo.sandbox().work());
    cmd.args([
        "config",
        "--global",
        "--add",
        "secrets.patterns",
        "zz-forbidden-zz",
    ]);
    assert_eq!(run(cmd).code, 0);
    let rescan = run(org.command(
        "cache-2",
        "out-5",
        &["--shard", "0/4", "--checkpoint", &org.path("ckpt-2")],
    ));
    let rescan = summary(&rescan);
    assert!(
        rescan["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "failed" || r["mode"] == "full"),
        "{rescan}"
    );

    eprintln!(
        "organisation audit: {} repositories ({GOOD} good, 1 unreachable, 1 corrupt), {} findings; \
         setup {:.1} s; one process {:.2} s; {SHARDS} shards in parallel {:.2} s (slowest shard); \
         incremental {:.2} s ({} commits); killed shard at {at_kill}/{victim_count} repositories; \
         Security Hub checks {:.1} s{}; plan balance {:.3}; total {:.1} s",
        GOOD + 2,
        single_ids.len(),
        setup.as_secs_f64(),
        single_time.as_secs_f64(),
        sharded_time.as_secs_f64(),
        incremental_time.as_secs_f64(),
        total("commits"),
        moto_time.as_secs_f64(),
        if incremental_checked {
            ""
        } else {
            " (skipped)"
        },
        plan["balance"].as_f64().unwrap(),
        started.elapsed().as_secs_f64()
    );
    // One line of numbers for scripts/bench-audit (which runs this test on a release build).
    let (imported, in_hub, duplicates) = hub_counts.map_or(
        ("-".to_string(), "-".to_string(), "-".to_string()),
        |(a, b, c)| (a.to_string(), b.to_string(), c.to_string()),
    );
    eprintln!(
        "bench-audit: repositories={} shards={SHARDS} findings={} failed={} single_s={:.3} \
         sharded_s={:.3} incremental_s={:.3} incremental_commits={} incremental_findings={} \
         archived={} killed_at={at_kill}/{victim_count} imported={imported} in_hub={in_hub} \
         duplicate_ids={duplicates} setup_s={:.1}",
        GOOD + 2,
        single_ids.len(),
        failed.len(),
        single_time.as_secs_f64(),
        sharded_time.as_secs_f64(),
        incremental_time.as_secs_f64(),
        total("commits"),
        total("findings"),
        total("archived"),
        setup.as_secs_f64(),
    );
}

#[test]
fn kubernetes_manifests_validate_against_the_api_schemas() {
    if !have_tools(
        "kubernetes manifests",
        &["kubernetes_validate"],
        &["kubernetes-validate"],
    ) {
        return;
    }
    let dir = manifest_dir().join("deploy/kubernetes");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "{files:?}");
    // 1.33: backoffLimitPerIndex is GA from there on.
    let mut cmd = Command::new("kubernetes-validate");
    cmd.args(["--strict", "-k", "1.33.0"]).args(&files);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}{}", out.stdout_str(), out.stderr_str());
    let text = out.stdout_str() + &out.stderr_str();
    for kind in [
        "job/",
        "cronjob/",
        "configmap/",
        "serviceaccount/",
        "persistentvolumeclaim/",
    ] {
        assert!(text.contains(kind), "{kind} not validated:\n{text}");
    }
    let job = std::fs::read_to_string(dir.join("job.yaml")).unwrap();
    for key in [
        "completionMode: Indexed",
        "backoffLimitPerIndex:",
        "podFailurePolicy:",
    ] {
        assert!(job.contains(key), "{key}");
    }
    let sa = std::fs::read_to_string(dir.join("serviceaccount.yaml")).unwrap();
    assert!(sa.contains("eks.amazonaws.com/role-arn"));
}

#[test]
fn codebuild_batch_buildspec_has_the_keys_codebuild_requires() {
    if !have_tools("codebuild buildspec", &["yaml"], &[]) {
        return;
    }
    let file = manifest_dir().join("deploy/codebuild/buildspec-audit.yml");
    let script = r#"
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert str(d["version"]) == "0.2", d.get("version")
phases = d["phases"]
assert set(phases) <= {"install", "pre_build", "build", "post_build"}, phases
assert all(isinstance(c, str) for p in phases.values() for c in p["commands"])
shards = d["batch"]["build-matrix"]["dynamic"]["env"]["variables"]["GITSECRETS_SHARD"]
assert shards == [str(i) for i in range(len(shards))], shards
assert d["env"]["variables"]["GITSECRETS_SHARDS"] == str(len(shards))
text = open(sys.argv[1]).read()
assert "--scan-repos" in text and "batch-import-findings" in text and "FailedCount" in text
print(len(shards))
"#;
    let mut cmd = Command::new("python3");
    cmd.args(["-c", script]).arg(&file);
    let out = run(cmd);
    assert_eq!(out.code, 0, "{}", out.stderr_str());
    assert_eq!(out.stdout_str().trim(), "4");
}

/// Inputs an audit must refuse or contain: a shallow source, a partial clone in the cache,
/// credentials in a URL, an excluded branch, a broken manifest, a missing shard index.
#[test]
fn hostile_manifests_and_caches_fail_alone_and_clearly() {
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work().join("org");
    std::fs::create_dir_all(&root).unwrap();
    let mut cmd = repo.sandbox().command("git", repo.sandbox().work());
    cmd.args(["config", "--global", "secrets.registries", "aws"]);
    assert_eq!(run(cmd).code, 0);
    let mut stream = String::new();
    let main = format!("k = {}\n", key(7001));
    commit(&mut stream, 1, "one", false, &[("a.txt", Some("fine\n"))]);
    commit(&mut stream, 2, "two", false, &[("b.txt", Some(&main))]);
    commit(&mut stream, 3, "three", false, &[("c.txt", Some("more\n"))]);
    // A branch the manifest excludes, with its own secret.
    stream.push_str(&format!(
        "commit refs/heads/tmp/scratch\ncommitter C <c@example.com> {} +0000\ndata 2\nx\nfrom refs/heads/master\nM 100644 inline d.txt\ndata 25\nk = {}\n\n",
        EPOCH + 9,
        key(7002)
    ));
    let source = root.join("source");
    fast_import(&repo, &source, &stream, true);
    // A shallow clone of it.
    let shallow = root.join("shallow");
    let mut cmd = repo.sandbox().command("git", &root);
    cmd.args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", source.display()))
        .arg(&shallow);
    assert_eq!(run(cmd).code, 0);
    let manifest = root.join("m.json");
    let json = serde_json::json!([
        {"name": "source", "url": source.display().to_string(),
         "refs": {"exclude": ["refs/heads/tmp/*"]}},
        {"name": "shallow", "url": shallow.display().to_string()},
        {"name": "creds", "url": "https://user:s3cr3t-t0ken@127.0.0.1:9/o/r.git"},
        {"name": "partial", "url": source.display().to_string()}
    ]);
    std::fs::write(&manifest, json.to_string()).unwrap();
    let audit = |out: &str| {
        let mut cmd = repo.sandbox().command(ours(), &root);
        cmd.arg("--scan-repos")
            .arg(&manifest)
            .args(["--cache-dir", "cache", "--output", out]);
        run(cmd)
    };
    let first = audit("out-1");
    assert_eq!(first.code, 5, "{}", first.stderr_str());
    let repos = by_name(&[&summary(&first)]);
    assert_eq!(repos["source"]["status"], "scanned");
    // The same source without the filter has the excluded branch's secret too.
    let filtered = repos["source"]["findings"].as_u64().unwrap();
    let unfiltered = repos["partial"]["findings"].as_u64().unwrap();
    assert_eq!(filtered, 1, "the excluded branch is not audited");
    assert!(unfiltered > filtered, "{filtered} {unfiltered}");
    let shallow_error = repos["shallow"]["error"].as_str().unwrap();
    assert!(shallow_error.contains("shallow"), "{shallow_error}");
    assert_eq!(repos["creds"]["status"], "failed");
    let all = first.stdout_str() + &first.stderr_str();
    assert!(!all.contains("s3cr3t-t0ken"), "credentials leaked:\n{all}");
    // Now make the cached mirror of "partial" a partial clone: refused, the rest goes on.
    let mirror = std::fs::read_dir(root.join("cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("partial-")
        })
        .unwrap();
    let mut cmd = repo.sandbox().command("git", &mirror);
    cmd.args(["config", "remote.origin.promisor", "true"]);
    assert_eq!(run(cmd).code, 0);
    let second = audit("out-2");
    let repos = by_name(&[&summary(&second)]);
    let partial_error = repos["partial"]["error"].as_str().unwrap();
    assert!(partial_error.contains("partial clone"), "{partial_error}");
    assert_eq!(repos["source"]["status"], "scanned");

    // A baseline accepts known findings by fingerprint, in every repository.
    let base = root.join("base.json");
    let mut cmd = repo.sandbox().command("git", &source);
    cmd.args([
        "secrets",
        "--scan-history",
        "--update-baseline",
        "--baseline",
    ])
    .arg(&base);
    let recorded = run(cmd);
    assert_eq!(recorded.code, 0, "{}", recorded.stderr_str());
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.arg("--scan-repos")
        .arg(&manifest)
        .args(["--cache-dir", "cache", "--output", "out-3", "--baseline"])
        .arg(&base);
    let accepted = run(cmd);
    assert_eq!(accepted.code, 4, "failures only: {}", accepted.stderr_str());
    let repos = by_name(&[&summary(&accepted)]);
    assert_eq!(repos["source"]["findings"], 0);

    // The audit cannot run: one line, exit 2.
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.args(["--scan-repos", "nope.txt", "--cache-dir", "c"]);
    let out = run(cmd);
    assert_eq!(out.code, 2);
    assert_eq!(out.stderr_str().lines().count(), 1, "{}", out.stderr_str());
    assert!(out.stderr_str().contains("nope.txt"));
    std::fs::write(root.join("bad.json"), "[{\"url\": 3}]").unwrap();
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.args(["--scan-repos", "bad.json", "--cache-dir", "c"]);
    let out = run(cmd);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr_str()
            .starts_with("git-secrets: bad.json: not a manifest")
    );
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.arg("--scan-repos")
        .arg(&manifest)
        .args(["--cache-dir", "c", "--shards", "3"]);
    let out = run(cmd);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr_str().contains("JOB_COMPLETION_INDEX"),
        "{}",
        out.stderr_str()
    );
}

/// A secret held by two files stays open while either holds it, and is archived (once) when
/// the last one goes.
#[test]
fn a_secret_in_two_files_is_archived_when_the_last_one_goes() {
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work().join("org");
    std::fs::create_dir_all(&root).unwrap();
    let mut cmd = repo.sandbox().command("git", repo.sandbox().work());
    cmd.args(["config", "--global", "secrets.registries", "aws"]);
    assert_eq!(run(cmd).code, 0);
    let line = format!("k = {}\n", key(8001));
    let mut stream = String::new();
    commit(
        &mut stream,
        1,
        "two copies",
        false,
        &[("a.txt", Some(&line)), ("dir/b.txt", Some(&line))],
    );
    let source = root.join("source");
    fast_import(&repo, &source, &stream, true);
    std::fs::write(root.join("m.txt"), format!("{} source\n", source.display())).unwrap();
    let audit = |out: &str| {
        let mut cmd = repo.sandbox().command(ours(), &root);
        cmd.args([
            "--scan-repos",
            "m.txt",
            "--cache-dir",
            "cache",
            "--checkpoint",
            "ckpt",
        ])
        .args(["--output", out]);
        let s = summary(&run(cmd));
        s["repositories"][0].clone()
    };
    let first = audit("out-1");
    assert_eq!(
        (first["open"].as_u64(), first["archived"].as_u64()),
        (Some(1), Some(0))
    );
    // A full scan counts its blobs too: the two copies are one blob.
    assert_eq!(
        (first["mode"].as_str(), first["blobs"].as_u64()),
        (Some("full"), Some(1)),
        "{first}"
    );
    for (n, (gone, open, archived)) in [("a.txt", 1, 0), ("dir/b.txt", 0, 1)].iter().enumerate() {
        let mut stream = String::new();
        commit(&mut stream, 2 + n as u64, "rm", true, &[(gone, None)]);
        fast_import(&repo, &source, &stream, false);
        let r = audit(&format!("out-{}", n + 2));
        assert_eq!(r["mode"], "incremental", "{r}");
        assert_eq!(r["commits"], 1, "{r}");
        assert_eq!(
            (r["open"].as_u64(), r["archived"].as_u64()),
            (Some(*open), Some(*archived)),
            "after removing {gone}: {r}"
        );
    }
}

/// The batch buildspec run as CodeBuild runs one build of its matrix
/// (`scripts/codebuild-script`): an upstream git-secrets first on the image's PATH is refused
/// with a message saying so (it would die on `--scan-repos`); with ours, the shard audits its
/// repositories and imports the findings into a local Security Hub, and a second build of the
/// same shard updates them instead of adding any.
#[test]
fn codebuild_batch_build_audits_a_shard_and_refuses_upstream() {
    if !have_tools(
        "codebuild batch build",
        &["yaml", "botocore"],
        &["aws", "moto_server"],
    ) {
        return;
    }
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work().join("org");
    std::fs::create_dir_all(&root).unwrap();
    let mut manifest = String::new();
    for i in 0..3 {
        let mut stream = String::new();
        let body = if i == 1 {
            format!("aws_access_key_id = {}\n", key(9100))
        } else {
            "fine\n".to_string()
        };
        commit(&mut stream, 1, "one", false, &[("a.txt", Some(&body))]);
        let dir = root.join(format!("r{i}"));
        fast_import(&repo, &dir, &stream, true);
        manifest.push_str(&format!("{} r{i}\n", dir.display()));
    }
    std::fs::write(root.join("manifest.txt"), manifest).unwrap();
    let script = run({
        let mut c = Command::new("python3");
        c.arg(manifest_dir().join("scripts/codebuild-script"))
            .arg(manifest_dir().join("deploy/codebuild/buildspec-audit.yml"));
        c
    });
    assert_eq!(script.code, 0, "{}", script.stderr_str());
    let script = script.stdout_str();
    // A stand-in for upstream git-secrets, first on the image's PATH.
    let upstream = root.join("image-bin");
    std::fs::create_dir_all(&upstream).unwrap();
    std::fs::write(
        upstream.join("git-secrets"),
        "#!/bin/sh\necho 'usage: git secrets' >&2; exit 129\n",
    )
    .unwrap();
    std::fs::set_permissions(
        upstream.join("git-secrets"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let moto = Moto::start();
    let build = |data: &str, path_first: Option<&Path>| {
        let mut cmd = repo.sandbox().command("timeout", &root);
        cmd.args(["120", "bash", "-c", &script]);
        moto.env(&mut cmd);
        if let Some(dir) = path_first {
            let mut path = std::ffi::OsString::from(dir);
            path.push(":");
            path.push(std::env::var_os("PATH").unwrap_or_default());
            cmd.env("PATH", path);
        }
        cmd.env("CODEBUILD_SRC_DIR", &root)
            .env(
                "CODEBUILD_BUILD_ARN",
                format!("arn:aws:codebuild:{REGION}:{ACCOUNT}:build/audit:1"),
            )
            .env("CODEBUILD_BATCH_BUILD_IDENTIFIER", "shard0")
            .env("CODEBUILD_BUILD_SUCCEEDING", "1")
            .env("GITSECRETS_MANIFEST", "manifest.txt")
            .env("GITSECRETS_SHARD", "0")
            .env("GITSECRETS_SHARDS", "1")
            .env("GITSECRETS_PACKS", "aws")
            .env("GITSECRETS_DATA", root.join(data));
        let out = run(cmd);
        let log = format!("{}{}", out.stdout_str(), out.stderr_str());
        (out.code, log)
    };
    let (code, log) = build("data-upstream", Some(&upstream));
    assert_ne!(code, 0, "{log}");
    assert!(log.contains("is not git-secrets-rs"), "{log}");
    assert!(!log.contains("--scan-repos"), "upstream was run: {log}");

    let (code, log) = build("data", None);
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("git-secrets-rs"), "{log}");
    assert!(log.contains("new findings"), "{log}");
    assert!(log.contains("batch 1 imported"), "{log}");
    let hub = moto.findings(&repo);
    assert_eq!(hub.len(), 1, "{hub:?}");
    // The same shard built again (no checkpoints kept: GITSECRETS_BUCKET is empty, so a full
    // audit) updates the finding.
    let (code, log) = build("data-2", None);
    assert_eq!(code, 0, "{log}");
    assert_eq!(moto.findings(&repo).len(), 1);
}

/// A YAML manifest, as a Kubernetes ConfigMap holds it: two generated repositories, each
/// audited and named in its findings; a broken YAML manifest is one line naming the file and
/// the position, without its text, and exit 2.
#[test]
fn yaml_manifest_audits_both_repositories() {
    let repo = TestRepo::new(ours());
    let root = repo.sandbox().work().join("org");
    std::fs::create_dir_all(&root).unwrap();
    let mut cmd = repo.sandbox().command("git", repo.sandbox().work());
    cmd.args(["config", "--global", "secrets.registries", "aws"]);
    assert_eq!(run(cmd).code, 0);
    for (i, name) in ["alpha", "beta"].iter().enumerate() {
        let mut stream = String::new();
        let line = format!("k = {}\n", key(9001 + i));
        commit(&mut stream, 1, "one", false, &[("a.txt", Some("fine\n"))]);
        commit(&mut stream, 2, "two", false, &[("b.txt", Some(&line))]);
        fast_import(&repo, &root.join(name), &stream, true);
    }
    let yaml = format!(
        "# the organisation\n---\nrepositories:\n  - name: alpha\n    url: {}\n    refs:\n      include: [refs/heads/*]\n  - name: beta\n    url: '{}'\n    size: 1000\n",
        root.join("alpha").display(),
        root.join("beta").display()
    );
    std::fs::write(root.join("org.yaml"), &yaml).unwrap();
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.args([
        "--scan-repos",
        "org.yaml",
        "--cache-dir",
        "cache",
        "--output",
        "out",
    ]);
    let out = run(cmd);
    assert_eq!(out.code, 1, "findings: {}", out.stderr_str());
    let repos = by_name(&[&summary(&out)]);
    assert_eq!(repos.keys().collect::<Vec<_>>(), ["alpha", "beta"]);
    for name in ["alpha", "beta"] {
        assert_eq!(repos[name]["status"], "scanned", "{}", repos[name]);
        assert_eq!(repos[name]["findings"], 1, "{}", repos[name]);
    }
    // One report a repository, under its manifest name, whose findings name the repository.
    let mut named = BTreeSet::new();
    for f in std::fs::read_dir(root.join("out")).unwrap() {
        let path = f.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        if file == "summary.json" {
            continue;
        }
        let report: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for finding in report["findings"].as_array().unwrap() {
            let url = finding["repository"].as_str().unwrap().to_string();
            let name = if url.ends_with("/alpha") {
                "alpha"
            } else {
                "beta"
            };
            assert!(file.starts_with(&format!("{name}-")), "{file}: {url}");
            named.insert(url);
        }
    }
    let urls = ["alpha", "beta"].map(|n| root.join(n).display().to_string());
    assert_eq!(named, BTreeSet::from(urls));

    // Broken YAML: one line with the file and position, never the file's text.
    std::fs::write(
        root.join("bad.yml"),
        "- name: alpha\n  url: https://user:s3cr3t-t0ken@h/o/a\n  colour: blue\n",
    )
    .unwrap();
    let mut cmd = repo.sandbox().command(ours(), &root);
    cmd.args(["--scan-repos", "bad.yml", "--cache-dir", "c"]);
    let out = run(cmd);
    assert_eq!(out.code, 2);
    let err = out.stderr_str();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("git-secrets: bad.yml: not a YAML manifest (line 3, column 3)"),
        "{err}"
    );
    assert!(!err.contains("s3cr3t") && !err.contains("colour"), "{err}");
}
