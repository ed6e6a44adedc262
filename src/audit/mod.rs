//! `--scan-repos MANIFEST`: audit the repositories of an organisation, one shard of them per
//! process, incrementally, for the engines that already run batch work (Kubernetes Indexed
//! Jobs, CodeBuild batch builds, AWS Batch arrays). No scheduler of our own:
//!
//! 1. read the manifest ([`manifest`]) and keep this shard's repositories ([`plan`]);
//! 2. per repository, in manifest order: mirror it into the cache ([`mirror`]), list the
//!    tips of its audited refs, scan its whole history with the history engine (no
//!    checkpoint, or the rules changed) or only the commits no recorded tip reaches with the
//!    commit-set engine ([`scan_commit_set`]), decide which findings are still open at the
//!    tips, write its report, then its checkpoint ([`checkpoint`]);
//! 3. write the closing summary and exit with what happened.
//!
//! A repository that cannot be mirrored or read fails alone: it is named in the summary with
//! the reason, and the others are still audited.
//!
//! Exit status: 0 nothing new, 1 new findings, 4 some repositories failed, 5 both; 2 the
//! audit could not run at all (bad manifest, options, rules or output directory).

mod checkpoint;
mod manifest;
mod mirror;
mod plan;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use gix::ObjectId;
use serde::Serialize;

use crate::cli::Flags;
use crate::config::Context;
use crate::detect::{Detector, Finding, Target};
use crate::failure::AppError;
use crate::formats::{Format, ReportContext};
use crate::git::Objects;
use crate::report;
use crate::scan::EngineError;

use checkpoint::{Checkpoint, Open};
use manifest::Entry;
use plan::Shard;

/// Exit status bits: new findings, failed repositories.
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURES: u8 = 4;
const EXIT_CANNOT_RUN: u8 = 2;

/// Repositories mirrored at once, ahead of the scan. Clones and fetches mostly wait on the
/// network: against a remote 0.3 s away (ssh), 50 small repositories took 37.3 s to clone and
/// 33.4 s to fetch one at a time, 10.0 s and 8.7 s with 4 at once.
const MIRROR_WORKERS: usize = 4;

/// The scan mode named in reports.
const SCAN_MODE: &str = "scan-repos";

/// What the commit-set engine found in one repository.
pub(crate) struct CommitSetScan {
    pub findings: Vec<Finding>,
    pub commits: usize,
    /// Distinct blobs read.
    pub blobs: Option<usize>,
}

/// The commit-set engine, in one place: the lines added by the commits reachable from `tips`
/// and from none of `hidden`. A full audit passes no hidden commits; an incremental one the
/// tips it scanned last time.
pub(crate) fn scan_commit_set(
    repo: &gix::Repository,
    detector: &Detector,
    tips: &[ObjectId],
    hidden: &[ObjectId],
) -> Result<CommitSetScan, EngineError> {
    let objects = Objects::new(repo);
    let commits = crate::commits::walk(&objects, tips, hidden)?;
    let added = crate::commits::scan_added(repo, &objects, detector, &commits, None)?
        .expect("no deadline was set");
    Ok(CommitSetScan {
        findings: added.findings,
        commits: commits.len(),
        blobs: Some(added.blobs),
    })
}

/// One repository's line in the closing summary.
#[derive(Serialize, Default)]
struct RepoSummary {
    name: String,
    repository: String,
    /// `scanned`, `unchanged` (same tips and rules as the checkpoint) or `failed`.
    status: &'static str,
    /// `full` or `incremental`.
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<&'static str>,
    commits: usize,
    /// Distinct blobs scanned: those the history changes (full) or the new commits add
    /// (incremental).
    blobs: Option<usize>,
    /// New findings reported in this run.
    findings: usize,
    /// Findings open at the tips after this run.
    open: usize,
    /// Findings open before and gone from the tips now.
    archived: usize,
    seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize, Default)]
struct Totals {
    repositories: usize,
    scanned: usize,
    unchanged: usize,
    failed: usize,
    commits: usize,
    blobs: usize,
    findings: usize,
    archived: usize,
    seconds: f64,
}

#[derive(Serialize)]
struct Summary<'a> {
    tool: String,
    shard: ShardInfo,
    rules: &'a str,
    repositories: Vec<RepoSummary>,
    totals: Totals,
    exit_code: u8,
}

#[derive(Serialize)]
struct ShardInfo {
    index: usize,
    count: usize,
}

fn say(msg: &str) {
    report::err(format!("git-secrets: {msg}\n").as_bytes());
}

/// `git secrets --scan-repos MANIFEST`.
pub fn scan_repos_command(flags: &Flags) -> Result<u8, AppError> {
    match run(flags) {
        Ok(code) => Ok(code),
        Err(Stop::Said(msg)) => {
            say(&msg);
            Ok(EXIT_CANNOT_RUN)
        }
        Err(Stop::App(e)) => Err(e),
    }
}

/// Why the audit stopped before its first repository: its own one-line reason (exit 2), or a
/// cause every command shares ([`AppError`]).
enum Stop {
    Said(String),
    App(AppError),
}

impl From<String> for Stop {
    fn from(msg: String) -> Stop {
        Stop::Said(msg)
    }
}

impl From<&str> for Stop {
    fn from(msg: &str) -> Stop {
        Stop::Said(msg.to_owned())
    }
}

/// Everything the audit of one shard needs, checked before the first repository.
struct Audit<'a> {
    /// Fingerprints (baseline, checkpoints, ASFF Ids) are keyed (see docs/formats.md).
    key: crate::fingerprint::FingerprintKey,
    baseline: HashSet<String>,
    detector: Detector,
    /// The allowed patterns and inline markers, as every scan applies them.
    accepted: crate::ending::Accepted,
    rules: String,
    format: Format,
    out_dir: PathBuf,
    cache: PathBuf,
    checkpoints: Option<PathBuf>,
    flags: &'a Flags,
}

fn run(flags: &Flags) -> Result<u8, Stop> {
    let manifest_path = flags.opts.scan_repos.clone().unwrap_or_default();
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        format!(
            "cannot read the manifest {manifest_path}: {}",
            crate::scan::io_message(&e)
        )
    })?;
    let entries = manifest::parse(&text, &manifest_path)?;
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    let (spec, count) = (flags.opts.shard.clone(), flags.opts.shards.clone());
    let cache = flags.opts.cache_dir.clone();
    if flags.opts.plan {
        let n = Shard::count(spec.as_deref(), count.as_deref(), env)?;
        print_plan(&entries, &plan::plan_entries(&entries, n), cache.as_deref())?;
        return Ok(0);
    }
    let shard = Shard::resolve(spec.as_deref(), count.as_deref(), env)?;
    let the_plan = plan::plan_entries(&entries, shard.map_or(1, |s| s.count));
    let Some(cache) = cache else {
        return Err(
            "--scan-repos needs --cache-dir DIR (where the repositories are mirrored)".into(),
        );
    };
    let format = match flags.opts.format.clone() {
        None => Format::Json,
        Some(f) => Format::parse(&f)?
            .ok_or("--scan-repos writes machine reports: --format json, jsonl, sarif or asff")?,
    };
    let out_dir = flags
        .opts
        .outputs
        .last()
        .map_or_else(|| PathBuf::from("git-secrets-audit"), PathBuf::from);
    std::fs::create_dir_all(&out_dir).map_err(|e| {
        format!(
            "cannot create the report directory {}: {}",
            out_dir.display(),
            crate::scan::io_message(&e)
        )
    })?;
    let ctx = Context::discover().map_err(Stop::App)?;
    let (key, _) = crate::fingerprint::FingerprintKey::load(&ctx).map_err(|e| e.to_string())?;
    crate::formats::preflight(format, &report_context(flags, "preflight", true, &key))
        .map_err(|e| e.to_string())?;
    let detector =
        crate::engine::detector_for(&ctx, crate::matcher::WordMode::GitGrep).map_err(|e| {
            e.message()
                .trim_end()
                .trim_start_matches("git-secrets: ")
                .to_string()
        })?;
    let accepted =
        crate::ending::Accepted::load(&ctx, crate::config::toplevel(&ctx).ok().as_deref())
            .map_err(|e| {
                e.message()
                    .trim_end()
                    .trim_start_matches("git-secrets: ")
                    .to_string()
            })?;
    if detector.is_empty() {
        return Err(
            "no patterns or rules: register some first (git secrets --register-aws, --register aws)"
                .into(),
        );
    }
    if flags.opts.update_baseline {
        return Err("--update-baseline is not for --scan-repos (write a baseline per repository with --scan-history)".into());
    }
    // A baseline accepts findings by content fingerprint, whatever the repository.
    let baseline = match flags.opts.baseline.as_ref() {
        Some(path) => crate::baseline::read(Path::new(&path), &key)?,
        None => HashSet::new(),
    };
    let audit = Audit {
        accepted,
        key,
        baseline,
        rules: rules_identity(&ctx)?,
        detector,
        format,
        out_dir,
        cache,
        checkpoints: flags.opts.checkpoint.clone(),
        flags,
    };
    let shard = shard.unwrap_or(Shard { index: 0, count: 1 });
    let mine: Vec<&Entry> = entries
        .iter()
        .zip(&the_plan.shard_of)
        .filter(|(_, s)| **s == shard.index)
        .map(|(e, _)| e)
        .collect();
    let started = Instant::now();
    // Mirrors are made by MIRROR_WORKERS threads ahead of the scan, which takes them in
    // manifest order: git mostly waits on the network, while scans use every core.
    let (senders, receivers): (Vec<_>, Vec<_>) = mine
        .iter()
        .map(|_| std::sync::mpsc::sync_channel::<Mirrored>(1))
        .unzip();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let repos = std::thread::scope(|scope| {
        let (cache, list, next, senders) = (&audit.cache, &mine, &next, &senders);
        for _ in 0..MIRROR_WORKERS.min(mine.len()) {
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(entry) = list.get(i) else { break };
                    let t = Instant::now();
                    let result = mirror_one(cache, entry);
                    // The receiver is gone only if the scan stopped; nothing to tell then.
                    let _ = senders[i].send((result, t.elapsed().as_secs_f64()));
                }
            });
        }
        let mut repos = Vec::new();
        for (i, entry) in mine.iter().enumerate() {
            let mirrored = receivers[i]
                .recv()
                .unwrap_or_else(|_| (Err("the mirroring thread stopped".into()), 0.0));
            let r = audit.repository(entry, mirrored);
            let line = match &r.error {
                Some(e) => format!("[{}/{}] {}: FAILED: {e}", i + 1, mine.len(), r.name),
                None => format!(
                    "[{}/{}] {}: {} ({} commits, {} new finding(s), {} archived) in {:.2} s",
                    i + 1,
                    mine.len(),
                    r.name,
                    r.status,
                    r.commits,
                    r.findings,
                    r.archived,
                    r.seconds
                ),
            };
            say(&line);
            repos.push(r);
        }
        repos
    });
    // Files the size cap skipped, over the whole shard (a cap never passes silently).
    crate::report::notes(&audit.detector.notes());
    let mut totals = Totals {
        repositories: repos.len(),
        seconds: started.elapsed().as_secs_f64(),
        ..Totals::default()
    };
    for r in &repos {
        match r.status {
            "failed" => totals.failed += 1,
            "unchanged" => totals.unchanged += 1,
            _ => totals.scanned += 1,
        }
        totals.commits += r.commits;
        totals.blobs += r.blobs.unwrap_or(0);
        totals.findings += r.findings;
        totals.archived += r.archived;
    }
    let mut code = 0;
    if totals.findings > 0 {
        code |= EXIT_FINDINGS;
    }
    if totals.failed > 0 {
        code |= EXIT_FAILURES;
    }
    let summary = Summary {
        tool: format!(
            "{} {}",
            crate::formats::IMPLEMENTATION,
            env!("CARGO_PKG_VERSION")
        ),
        shard: ShardInfo {
            index: shard.index,
            count: shard.count,
        },
        rules: &audit.rules,
        repositories: repos,
        totals,
        exit_code: code,
    };
    let mut bytes = serde_json::to_vec_pretty(&summary).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    let name = if shard.count == 1 {
        "summary.json".to_string()
    } else {
        format!("summary-{}-of-{}.json", shard.index, shard.count)
    };
    checkpoint::write_atomic(&audit.out_dir.join(name), &bytes)?;
    report::out(&bytes);
    Ok(code)
}

/// A mirror brought up to date (or why not), and the seconds it took.
type Mirrored = (Result<PathBuf, String>, f64);

/// Mirror `entry` into `cache` and keep only its audited refs.
fn mirror_one(cache: &Path, entry: &Entry) -> Result<PathBuf, String> {
    let path = mirror::update(cache, &entry.key(), &entry.url).map_err(|e| e.0)?;
    mirror::keep_refs(&path, &entry.ref_filter()?, &entry.url).map_err(|e| e.0)?;
    Ok(path)
}

/// The rule set's identity: a hash of everything that decides what is found (our version,
/// the patterns, allowed patterns, registries and their contents, the size cap). Another
/// identity means the checkpoints' tips no longer say what was scanned for.
fn rules_identity(ctx: &Context) -> Result<String, String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut part = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    part(env!("CARGO_PKG_VERSION").as_bytes());
    for p in crate::patterns::load(ctx)?.0 {
        part(b"pattern");
        part(&p.ere);
    }
    for key in ["allowed", "maxFileSize"] {
        for v in ctx.get_all("secrets", key) {
            part(key.as_bytes());
            part(&v);
        }
    }
    for spec in ctx.get_all("secrets", "registries") {
        let spec = spec.to_string();
        part(b"registry");
        part(spec.as_bytes());
        match crate::rules::BUILTIN_PACKS.iter().find(|(n, _)| *n == spec) {
            Some((_, files)) => {
                for (name, text) in files.iter() {
                    part(name.as_bytes());
                    part(text.as_bytes());
                }
            }
            None => part(&std::fs::read(&spec).unwrap_or_default()),
        }
    }
    let top = crate::config::toplevel(ctx).ok();
    for file in [".git-secrets.toml", ".gitallowed"] {
        if let Some(t) = &top {
            part(file.as_bytes());
            part(&std::fs::read(t.join(file)).unwrap_or_default());
        }
    }
    Ok(h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// What reports say about the audit of `repository`: account and region from the flags,
/// then the environment (as the other scans do). `redact` forces redaction (checkpoints).
fn report_context(
    flags: &Flags,
    repository: &str,
    redact: bool,
    key: &crate::fingerprint::FingerprintKey,
) -> ReportContext {
    ReportContext {
        tool_version: env!("CARGO_PKG_VERSION"),
        scan_mode: SCAN_MODE,
        repository: repository.to_string(),
        repository_path: None,
        generated_at: crate::ending::generated_now(),
        redact: redact || !flags.opts.no_redact,
        fingerprint_key: key.clone(),
        aws: crate::ending::aws_context(flags),
    }
}

fn extension(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Sarif => "sarif",
        Format::Asff => "asff.jsonl",
    }
}

/// The commits the audited refs of `repo` point at, sorted and unique.
fn tips(repo: &gix::Repository, entry: &Entry) -> Result<Vec<ObjectId>, String> {
    let filter = entry.ref_filter()?;
    let refs = repo
        .references()
        .map_err(|e| format!("cannot list refs: {e}"))?;
    let mut out = Vec::new();
    for r in refs.all().map_err(|e| format!("cannot list refs: {e}"))? {
        let mut r = r.map_err(|e| format!("cannot read a ref: {e}"))?;
        let name = r.name().as_bstr().to_string();
        if !filter.matches(&name) {
            continue;
        }
        // A ref whose object cannot be read fails the repository (skipping it would pass
        // its history silently); tags of trees or blobs have no history to audit.
        let id = r
            .peel_to_id()
            .map_err(|e| format!("cannot read {name}: {e}"))?
            .detach();
        let object = repo
            .find_header(id)
            .map_err(|e| format!("cannot read {name} ({id}): {e}"))?;
        if object.kind() == gix::object::Kind::Commit {
            out.push(id);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn hex(ids: &[ObjectId]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

type Key = (String, String);

/// An open finding seen at `paths` (at least one, sorted).
fn open_at(
    rule: &str,
    fingerprint: &str,
    paths: &[Vec<u8>],
    asff: Option<serde_json::Value>,
) -> Open {
    let mut o = Open::new(rule, fingerprint, &paths[0], asff);
    o.other_paths = paths[1..]
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect();
    o
}

fn key_of(f: &Finding, key: &crate::fingerprint::FingerprintKey) -> Key {
    (f.rule_id().to_string(), f.fingerprint(key))
}

impl Audit<'_> {
    /// Audit one repository whose mirroring gave `mirrored`; its time is the mirroring's
    /// plus the scan's.
    fn repository(&self, entry: &Entry, mirrored: Mirrored) -> RepoSummary {
        let started = Instant::now();
        let mut s = RepoSummary {
            name: entry.name.clone(),
            repository: crate::formats::display_repository(&entry.url),
            ..RepoSummary::default()
        };
        let (path, mirror_seconds) = mirrored;
        if let Err(e) = path.and_then(|p| self.audit_one(entry, &p, &mut s)) {
            s.status = "failed";
            s.error = Some(e);
        }
        s.seconds = mirror_seconds + started.elapsed().as_secs_f64();
        s
    }

    fn audit_one(&self, entry: &Entry, path: &Path, s: &mut RepoSummary) -> Result<(), String> {
        let key = entry.key();
        let path = path.to_path_buf();
        let repo = gix::open(&path).map_err(|e| format!("cannot open the mirror: {e}"))?;
        let tips = tips(&repo, entry)?;
        let previous = match &self.checkpoints {
            Some(dir) => checkpoint::read(dir, &key)?,
            None => None,
        };
        let same_rules = previous.as_ref().is_some_and(|c| c.rules == self.rules);
        let report_path = self
            .out_dir
            .join(format!("{key}.{}", extension(self.format)));
        if let Some(prev) = previous
            .as_ref()
            .filter(|c| same_rules && c.tips == hex(&tips))
        {
            // Nothing new. A report left by an interrupted run stays for the import step.
            s.status = "unchanged";
            s.open = prev.open.len();
            if !report_path.exists() {
                self.write_report(&report_path, &entry.url, &[], &[])?;
            }
            s.report = Some(report_path.display().to_string());
            return Ok(());
        }
        let hidden: Vec<ObjectId> = match previous.as_ref().filter(|_| same_rules) {
            Some(prev) => prev
                .tips
                .iter()
                .filter_map(|h| ObjectId::from_hex(h.as_bytes()).ok())
                // A tip the mirror no longer has (force-pushed and pruned) hides nothing.
                .filter(|id| {
                    repo.find_object(*id)
                        .is_ok_and(|o| o.kind == gix::object::Kind::Commit)
                })
                .collect(),
            None => Vec::new(),
        };
        s.mode = Some(if hidden.is_empty() {
            "full"
        } else {
            "incremental"
        });
        let engine_error = |e: EngineError| {
            e.message()
                .trim_end()
                .trim_start_matches("git-secrets: ")
                .to_string()
        };
        let scan = if hidden.is_empty() {
            // Everything: the history engine (one read per unique blob; the commit-set engine
            // keeps every commit's tree and took 1.7 GB on cargo's 23,815 commits).
            let history = mirror::open_for_history(&path, &self.cache)?;
            let scan = crate::history::scan_history(&history, &self.detector, true, true)
                .map_err(engine_error)?;
            // The engine's closing summary gives the blob count; the audit says one line per
            // repository itself, so that summary is not printed.
            let mut blobs = None;
            let notes: Vec<crate::note::Note> = scan
                .notes
                .into_iter()
                .filter(|n| match n {
                    crate::note::Note::HistorySummary { blobs: b, .. } => {
                        blobs = Some(*b);
                        false
                    }
                    _ => true,
                })
                .collect();
            crate::report::notes(&notes);
            let findings = scan.findings;
            let commits = crate::commits::walk(&Objects::new(&repo), &tips, &[])
                .map_err(engine_error)?
                .len();
            CommitSetScan {
                findings,
                commits,
                blobs,
            }
        } else {
            scan_commit_set(&repo, &self.detector, &tips, &hidden).map_err(engine_error)?
        };
        let findings: Vec<Finding> = scan
            .findings
            .into_iter()
            .filter(|f| !self.accepted.accepts(f))
            .filter(|f| !self.baseline.contains(&f.fingerprint(&self.key)))
            .collect();
        s.commits = scan.commits;
        s.blobs = scan.blobs;
        s.findings = findings.len();

        // Open at the tips: what was open before or is new, if its path at some tip still
        // holds it.
        let prev_open: Vec<Open> = previous.map(|c| c.open).unwrap_or_default();
        let mut candidates: Vec<(Key, Vec<u8>)> = prev_open
            .iter()
            .flat_map(|o| o.all_paths().into_iter().map(move |p| (o.key(), p)))
            .collect();
        candidates.extend(findings.iter().map(|f| {
            (
                key_of(f, &self.key),
                f.repo_path.clone().unwrap_or_default(),
            )
        }));
        let still = self.open_at_tips(&repo, &tips, &candidates)?;
        let records = self.asff_records(&entry.url, &findings)?;
        let mut open: BTreeMap<Key, Open> = BTreeMap::new();
        for f in &findings {
            let k = key_of(f, &self.key);
            if let Some(paths) = still.get(&k).filter(|_| !open.contains_key(&k)) {
                let record = records.get(&k).cloned();
                open.insert(k.clone(), open_at(&k.0, &k.1, paths, record));
            }
        }
        let mut archived = Vec::new();
        for o in prev_open {
            let k = o.key();
            if open.contains_key(&k) {
                continue;
            }
            match still.get(&k) {
                // Still there (perhaps only at another of its paths): keep its record.
                Some(paths) => {
                    let kept = open_at(&o.rule, &o.fingerprint, paths, o.asff.clone());
                    open.insert(k, kept);
                }
                None => archived.push(o),
            }
        }
        s.open = open.len();
        s.archived = archived.len();
        self.write_report(&report_path, &entry.url, &findings, &archived)?;
        s.report = Some(report_path.display().to_string());
        if let Some(dir) = &self.checkpoints {
            let c = Checkpoint::new(
                &entry.name,
                &self.rules,
                hex(&tips),
                open.into_values().collect(),
            );
            checkpoint::write(dir, &key, &c)?;
        }
        s.status = "scanned";
        Ok(())
    }

    /// Which of `candidates` (finding key, path) some tip still holds at that path, and at
    /// which of those paths (in byte order, so the checkpoint is deterministic).
    fn open_at_tips(
        &self,
        repo: &gix::Repository,
        tips: &[ObjectId],
        candidates: &[(Key, Vec<u8>)],
    ) -> Result<HashMap<Key, Vec<Vec<u8>>>, String> {
        let mut found: HashMap<Key, Vec<Vec<u8>>> = HashMap::new();
        if candidates.is_empty() {
            return Ok(found);
        }
        let paths: HashSet<&[u8]> = candidates.iter().map(|(_, p)| p.as_slice()).collect();
        let wanted: HashSet<&Key> = candidates.iter().map(|(k, _)| k).collect();
        let objects = Objects::new(repo);
        let mut trees = HashSet::new();
        let mut blobs: HashSet<(Vec<u8>, ObjectId)> = HashSet::new();
        for tip in tips {
            let tree = objects.commit(*tip)?.tree;
            if !trees.insert(tree) {
                continue;
            }
            // Look the few paths up instead of listing the trees: cargo's mirror has a
            // thousand tags, and listing their trees took 1.2 s of a 1.3 s incremental run.
            let tree = repo
                .find_tree(tree)
                .map_err(|e| format!("cannot read tree {tree}: {e}"))?;
            for path in &paths {
                let entry = tree
                    .lookup_entry(path.split(|&b| b == b'/'))
                    .map_err(|e| format!("cannot read a tree of {tip}: {e}"))?;
                if let Some(entry) = entry.filter(|e| e.mode().is_blob()) {
                    blobs.insert((path.to_vec(), entry.object_id()));
                }
            }
        }
        let mut scratch = self.detector.scratch();
        let mut blobs: Vec<(Vec<u8>, ObjectId)> = blobs.into_iter().collect();
        blobs.sort();
        for (path, blob) in blobs {
            let data = objects.blob(blob)?;
            let Some(data) = crate::text::scannable(&data) else {
                continue;
            };
            let mut hits = Vec::new();
            let target = Target {
                display: &path,
                repo_path: crate::rules::PathScope::At(&path),
                commit: None,
            };
            self.detector.scan(&mut scratch, &data, target, &mut hits);
            for f in hits.into_iter().filter(|f| !self.accepted.accepts(f)) {
                let k = key_of(&f, &self.key);
                if wanted.contains(&k) {
                    let paths = found.entry(k).or_default();
                    if !paths.contains(&path) {
                        paths.push(path.clone());
                    }
                }
            }
        }
        Ok(found)
    }

    /// The redacted ASFF record of each finding key, to archive it later under the same Id.
    fn asff_records(
        &self,
        url: &str,
        findings: &[Finding],
    ) -> Result<HashMap<Key, serde_json::Value>, String> {
        let mut out = HashMap::new();
        if self.format != Format::Asff || findings.is_empty() {
            return Ok(out);
        }
        let ctx = report_context(self.flags, url, true, &self.key);
        let mut buf = Vec::new();
        crate::formats::write(Format::Asff, &ctx, findings, &mut buf).map_err(|e| e.0)?;
        for line in buf.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let batch: Vec<serde_json::Value> =
                serde_json::from_slice(line).map_err(|e| e.to_string())?;
            for v in batch {
                let field = |k: &str| {
                    v["ProductFields"][format!("{}/{k}", crate::formats::TOOL_NAME)]
                        .as_str()
                        .map(str::to_string)
                };
                if let (Some(rule), Some(fp)) = (field("RuleId"), field("Fingerprint")) {
                    out.insert((rule, fp), v);
                }
            }
        }
        Ok(out)
    }

    /// The repository's report: its new findings, and for ASFF the archived ones.
    fn write_report(
        &self,
        path: &Path,
        url: &str,
        findings: &[Finding],
        archived: &[Open],
    ) -> Result<(), String> {
        let ctx = report_context(self.flags, url, false, &self.key);
        let mut buf = Vec::new();
        crate::formats::write(self.format, &ctx, findings, &mut buf).map_err(|e| e.0)?;
        if self.format == Format::Asff {
            let records: Vec<serde_json::Value> = archived
                .iter()
                .filter_map(|o| o.asff.clone())
                .map(|mut v| {
                    v["RecordState"] = "ARCHIVED".into();
                    v["UpdatedAt"] = ctx.generated_at.clone().into();
                    v
                })
                .collect();
            for batch in records.chunks(crate::formats::MAX_FINDINGS_PER_BATCH) {
                buf.extend(serde_json::to_vec(batch).map_err(|e| e.to_string())?);
                buf.push(b'\n');
            }
        }
        checkpoint::write_atomic(path, &buf)
    }
}

/// `--plan`: the assignment, each shard's load, and the manifest with the sizes the cache
/// knows (save it as the next manifest to balance by measured size).
fn print_plan(entries: &[Entry], p: &plan::Plan, cache: Option<&Path>) -> Result<(), String> {
    #[derive(Serialize)]
    struct ShardPlan<'a> {
        shard: usize,
        load: u64,
        repositories: Vec<&'a str>,
    }
    #[derive(Serialize)]
    struct SizedEntry<'a> {
        name: &'a str,
        url: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        size: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        refs: Option<serde_json::Value>,
    }
    #[derive(Serialize)]
    struct PlanOut<'a> {
        shards: usize,
        repositories: usize,
        total_load: u64,
        mean_load: f64,
        max_load: u64,
        /// No plan's largest load is below the largest repository.
        largest_repository: u64,
        balance: f64,
        assignment: Vec<ShardPlan<'a>>,
        manifest: Vec<SizedEntry<'a>>,
    }
    let count = p.loads.len();
    let total: u64 = p.loads.iter().sum();
    let mean = total as f64 / count as f64;
    let max = p.loads.iter().copied().max().unwrap_or(0);
    let mut assignment: Vec<ShardPlan> = (0..count)
        .map(|s| ShardPlan {
            shard: s,
            load: p.loads[s],
            repositories: Vec::new(),
        })
        .collect();
    for (e, &s) in entries.iter().zip(&p.shard_of) {
        assignment[s].repositories.push(&e.name);
    }
    let manifest = entries
        .iter()
        .map(|e| SizedEntry {
            name: &e.name,
            url: &e.url,
            size: e
                .size
                .or_else(|| cache.and_then(|c| mirror::size(c, &e.key()))),
            refs: (!e.include.is_empty() || !e.exclude.is_empty())
                .then(|| serde_json::json!({"include": e.include, "exclude": e.exclude})),
        })
        .collect();
    let out = PlanOut {
        shards: count,
        repositories: entries.len(),
        total_load: total,
        mean_load: mean,
        max_load: max,
        largest_repository: p.weight.iter().copied().max().unwrap_or(0),
        balance: if mean > 0.0 { max as f64 / mean } else { 1.0 },
        assignment,
        manifest,
    };
    let mut bytes = serde_json::to_vec_pretty(&out).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    report::out(&bytes);
    Ok(())
}
