//! Range scans and push hooks: only the lines that new commits add.
//!
//! * `--scan-range <range>`: the commits of a `git rev-list` range (`origin/main..HEAD`);
//! * the pre-push hook: the commits the remote lacks, per pushed ref;
//! * the pre-receive hook: the commits a push brings that no existing ref reaches, read from
//!   git's quarantine, under a time budget.
//!
//! Each commit is compared with its parent (a merge with every parent: only lines no parent
//! had count), and the detector runs on the new blob; a finding counts when its line is one
//! the commit added. Blobs are read once per (commit, path) and scanned in parallel.

use std::collections::{HashMap, HashSet};
use std::ffi::OsString;
use std::io::Read;
use std::time::{Duration, Instant};

use bstr::ByteSlice;
use gix::ObjectId;
use rayon::prelude::*;

use crate::cli::Flags;
use crate::config::Context;
use crate::detect::{CommitMeta, Detector, Finding, Target};
use crate::git::{Objects, TreeBlobs, added_lines};
use crate::report;
use crate::scan::{EngineError, git_is_binary};

/// One file a commit added lines to.
pub(crate) struct Change {
    commit: ObjectId,
    meta: std::sync::Arc<CommitMeta>,
    path: Vec<u8>,
    pub(crate) blob: ObjectId,
    /// Added line numbers, sorted; `None`: every line (a new file).
    lines: Option<Vec<u32>>,
}

fn fatal(message: String) -> EngineError {
    EngineError {
        message: format!("git-secrets: {message}\n"),
        code: 2,
    }
}

/// Commits reachable from `tips` and not from `hidden`, newest first.
pub(crate) fn new_commits(
    objects: &Objects,
    tips: &[ObjectId],
    hidden: &[ObjectId],
) -> Result<Vec<ObjectId>, EngineError> {
    if tips.is_empty() {
        return Ok(Vec::new());
    }
    let walk = gix::traverse::commit::Simple::new(tips.iter().copied(), objects)
        .sorting(gix::traverse::commit::simple::Sorting::ByCommitTime(
            Default::default(),
        ))
        .and_then(|w| w.hide(hidden.iter().copied()))
        .map_err(|e| fatal(format!("cannot walk the commits: {e}")))?;
    let mut out = Vec::new();
    for info in walk {
        let info = info.map_err(|e| fatal(format!("cannot walk the commits: {e}")))?;
        out.push(info.id);
    }
    Ok(out)
}

/// What `commits` add, file by file.
pub(crate) fn changes(
    objects: &Objects,
    commits: &[ObjectId],
    deadline: Option<Instant>,
) -> Result<(Vec<Change>, bool), EngineError> {
    let mut trees: HashMap<ObjectId, std::sync::Arc<TreeBlobs>> = HashMap::new();
    let mut tree = |id: ObjectId| -> Result<std::sync::Arc<TreeBlobs>, EngineError> {
        if let Some(t) = trees.get(&id) {
            return Ok(t.clone());
        }
        let t = std::sync::Arc::new(objects.tree_blobs(id).map_err(fatal)?);
        trees.insert(id, t.clone());
        Ok(t)
    };
    let mut out = Vec::new();
    for &id in commits {
        if deadline.is_some_and(|d| Instant::now() > d) {
            return Ok((out, true));
        }
        let info = objects.commit(id).map_err(fatal)?;
        let meta = std::sync::Arc::new(CommitMeta {
            author_name: info.author_name.clone(),
            author_email: info.author_email.clone(),
            author_time: info.author_time,
        });
        let new = tree(info.tree)?;
        let mut parents = Vec::new();
        for p in &info.parents {
            let ptree = objects.commit(*p).map_err(fatal)?.tree;
            parents.push(tree(ptree)?);
        }
        let empty = std::sync::Arc::new(Vec::new());
        if parents.is_empty() {
            parents.push(empty);
        }
        let parent_maps: Vec<HashMap<&[u8], ObjectId>> = parents
            .iter()
            .map(|t| t.iter().map(|(p, id, _)| (p.as_slice(), *id)).collect())
            .collect();
        let parent_blobs: HashSet<ObjectId> = parents
            .iter()
            .flat_map(|t| t.iter().map(|(_, id, _)| *id))
            .collect();
        for (path, blob, _) in new.iter() {
            // Unchanged against some parent, or moved unchanged (an exact rename): nothing added.
            if parent_maps
                .iter()
                .any(|m| m.get(path.as_slice()) == Some(blob))
                || parent_blobs.contains(blob)
            {
                continue;
            }
            let mut lines: Option<Vec<u32>> = None;
            let new_data = objects.blob(*blob).map_err(fatal)?;
            for m in &parent_maps {
                let Some(old) = m.get(path.as_slice()) else {
                    // New in this parent's view: every line, unless another parent had it.
                    continue;
                };
                let old_data = objects.blob(*old).map_err(fatal)?;
                let added = added_lines(&old_data, &new_data);
                lines = Some(match lines {
                    None => added,
                    Some(prev) => prev.into_iter().filter(|l| added.contains(l)).collect(),
                });
            }
            if lines.as_ref().is_some_and(Vec::is_empty) {
                continue;
            }
            out.push(Change {
                commit: id,
                meta: meta.clone(),
                path: path.clone(),
                blob: *blob,
                lines,
            });
        }
    }
    Ok((out, false))
}

/// Scan what `changes` add; findings ordered by commit (as given), path, line.
pub(crate) fn scan_changes(
    repo: &gix::Repository,
    detector: &Detector,
    changes: &[Change],
) -> Result<Vec<Finding>, EngineError> {
    let shared = repo.clone().into_sync();
    let quote_path = repo
        .config_snapshot()
        .boolean("core.quotePath")
        .unwrap_or(true);
    let per_change: Vec<Result<Vec<Finding>, EngineError>> = changes
        .par_iter()
        .map_init(
            || {
                let local = shared.to_thread_local();
                let objects = Objects::new(&local);
                (objects, detector.scratch())
            },
            |(objects, scratch), change| {
                let data = objects.blob(change.blob).map_err(fatal)?;
                let mut found = Vec::new();
                if git_is_binary(&data) {
                    return Ok(found);
                }
                let display = crate::quote::c_style(&change.path, quote_path);
                let hex = change.commit.to_string();
                let target = Target {
                    display: &display,
                    repo_path: &change.path,
                    commit: Some(&hex),
                };
                detector.scan(scratch, &data, target, &mut found);
                found.retain(|f| {
                    change
                        .lines
                        .as_ref()
                        .is_none_or(|lines| lines.binary_search(&(f.line as u32)).is_ok())
                });
                for f in &mut found {
                    f.commit_meta = Some(change.meta.clone());
                }
                Ok(found)
            },
        )
        .collect();
    let mut findings = Vec::new();
    for r in per_change {
        findings.extend(r?);
    }
    Ok(findings)
}

fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, EngineError> {
    repo.rev_parse_single(spec)
        .map_err(|e| fatal(format!("bad revision '{spec}': {e}")))?
        .object()
        .map_err(|e| fatal(format!("bad revision '{spec}': {e}")))?
        .peel_to_kind(gix::object::Kind::Commit)
        .map(|c| c.id)
        .map_err(|e| fatal(format!("'{spec}' is not a commit: {e}")))
}

/// Tips and hidden commits of a `git rev-list`-style range: `A..B`, `A...B` (both sides
/// minus their merge base), `^A B` words, or a single revision (everything reachable from it).
fn parse_range(
    repo: &gix::Repository,
    range: &str,
) -> Result<(Vec<ObjectId>, Vec<ObjectId>), EngineError> {
    let mut tips = Vec::new();
    let mut hidden = Vec::new();
    for word in range.split_whitespace() {
        if let Some((a, b)) = word.split_once("...") {
            let a = resolve(repo, if a.is_empty() { "HEAD" } else { a })?;
            let b = resolve(repo, if b.is_empty() { "HEAD" } else { b })?;
            tips.extend([a, b]);
            let base = repo
                .merge_base(a, b)
                .map_err(|e| fatal(format!("no merge base for '{word}': {e}")))?;
            if let Some(base) = base {
                hidden.push(base.detach());
            }
        } else if let Some((a, b)) = word.split_once("..") {
            hidden.push(resolve(repo, if a.is_empty() { "HEAD" } else { a })?);
            tips.push(resolve(repo, if b.is_empty() { "HEAD" } else { b })?);
        } else if let Some(a) = word.strip_prefix('^') {
            hidden.push(resolve(repo, a)?);
        } else {
            tips.push(resolve(repo, word)?);
        }
    }
    Ok((tips, hidden))
}

/// The repository and detector of a range or push scan; `what` prefixes the error.
fn repo_and_detector<'c>(
    ctx: &'c Context,
    what: &str,
) -> Result<(&'c gix::Repository, Detector), EngineError> {
    let repo = ctx
        .repo
        .as_ref()
        .ok_or_else(|| fatal(format!("{what}not a git repository")))?;
    let detector = crate::app::detector_for(ctx, crate::matcher::WordMode::GitGrep)?;
    Ok((repo, detector))
}

/// Findings in the lines `commits` add (no time budget).
fn scan_commits(
    repo: &gix::Repository,
    objects: &Objects,
    detector: &Detector,
    commits: &[ObjectId],
) -> Result<Vec<Finding>, EngineError> {
    let (changes, _) = changes(objects, commits, None)?;
    scan_changes(repo, detector, &changes)
}

/// `--scan-range <range>`.
pub fn scan_range_command(flags: &Flags) -> u8 {
    let ctx = Context::discover();
    let range = flags
        .ext_value("scan-range")
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = (|| {
        let (repo, detector) = repo_and_detector(&ctx, "")?;
        if detector.is_empty() {
            return Ok(Vec::new());
        }
        let (tips, hidden) = parse_range(repo, &range)?;
        let objects = Objects::new(repo);
        let commits = new_commits(&objects, &tips, &hidden)?;
        scan_commits(repo, &objects, &detector, &commits)
    })();
    crate::app::finish_scan(&ctx, flags, "scan-range", result)
}

const ZERO: &str = "0000000000000000000000000000000000000000";

/// The non-blank lines of a hook's standard input, split into words, with 0-based numbers.
fn hook_lines(input: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    input
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n, l.split_whitespace().collect()))
}

/// One line of the pre-push hook's standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    /// What is pushed; `None` for a deletion.
    pub local: Option<ObjectId>,
    /// What the remote has; `None` for a new ref.
    pub remote: Option<ObjectId>,
}

/// Parse pre-push's `<local ref> <local sha> <remote ref> <remote sha>` lines (blank lines
/// are ignored). The error names the line, never echoes it.
pub fn parse_push_lines(input: &str) -> Result<Vec<PushLine>, String> {
    let mut out = Vec::new();
    for (n, words) in hook_lines(input) {
        let [_, local, _, remote] = words[..] else {
            return Err(format!(
                "pre-push: line {} of standard input is not '<local ref> <local sha> <remote ref> <remote sha>'",
                n + 1
            ));
        };
        out.push(PushLine {
            local: object_id(local, "pre-push", n)?,
            remote: object_id(remote, "pre-push", n)?,
        });
    }
    Ok(out)
}

/// One line of the pre-receive hook's standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiveLine {
    /// The new value of the ref; `None` for a deletion.
    pub new: Option<ObjectId>,
    /// The ref's name.
    pub refname: String,
}

/// Parse pre-receive's `<old> <new> <ref>` lines (blank lines are ignored).
pub fn parse_receive_lines(input: &str) -> Result<Vec<ReceiveLine>, String> {
    let mut out = Vec::new();
    for (n, words) in hook_lines(input) {
        let [old, new, refname] = words[..] else {
            return Err(format!(
                "pre-receive: line {} of standard input is not '<old> <new> <ref>'",
                n + 1
            ));
        };
        object_id(old, "pre-receive", n)?;
        out.push(ReceiveLine {
            new: object_id(new, "pre-receive", n)?,
            refname: refname.to_string(),
        });
    }
    Ok(out)
}

/// A hex object id (SHA-1 or SHA-256); `None` for git's all-zero id.
fn object_id(hex: &str, hook: &str, n: usize) -> Result<Option<ObjectId>, String> {
    if is_zero(hex) && (hex.len() == 40 || hex.len() == 64) {
        return Ok(None);
    }
    ObjectId::from_hex(hex.as_bytes()).map(Some).map_err(|_| {
        format!(
            "{hook}: line {}: the object id is not 40 or 64 hex digits",
            n + 1
        )
    })
}

fn is_zero(hex: &str) -> bool {
    !hex.is_empty() && hex.bytes().all(|b| b == b'0')
}

fn read_stdin() -> Result<String, EngineError> {
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| fatal(format!("cannot read the hook's standard input: {e}")))?;
    String::from_utf8(input).map_err(|_| fatal("the hook's standard input is not text".into()))
}

/// Refs under `prefix`, peeled to commits.
fn ref_commits(repo: &gix::Repository, prefix: Option<&str>) -> Vec<ObjectId> {
    let Ok(refs) = repo.references() else {
        return Vec::new();
    };
    let iter = match prefix {
        Some(p) => refs.prefixed(p).ok(),
        None => refs.all().ok(),
    };
    let mut out = Vec::new();
    for mut r in iter.into_iter().flatten().flatten() {
        if let Ok(obj) = r.peel_to_kind(gix::object::Kind::Commit) {
            out.push(obj.id);
        }
    }
    out
}

/// The pre-push hook: `$1` is the remote name; stdin has
/// `<local ref> <local sha> <remote ref> <remote sha>` per ref. Scans the commits the remote
/// lacks: `<local sha> ^<remote sha>`, or for a new branch `<local sha> --not --remotes=<remote>`.
pub fn pre_push_hook(flags: &Flags, args: &[OsString]) -> u8 {
    let ctx = Context::discover();
    let remote = args
        .first()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = (|| {
        let (repo, detector) = repo_and_detector(&ctx, "pre-push: ")?;
        let input = read_stdin()?;
        if detector.is_empty() {
            return Ok(Vec::new());
        }
        let objects = Objects::new(repo);
        let mut commits: Vec<ObjectId> = Vec::new();
        let mut seen = HashSet::new();
        for line in parse_push_lines(&input).map_err(fatal)? {
            let Some(tip) = line.local else {
                continue; // a deletion adds nothing
            };
            let hidden = match line.remote {
                Some(id) if repo.find_object(id).is_ok() => vec![id],
                // A new branch, or a remote tip we do not have: whatever no remote-tracking
                // branch of this remote has.
                _ => ref_commits(repo, Some(&format!("refs/remotes/{remote}/"))),
            };
            for c in new_commits(&objects, &[tip], &hidden)? {
                if seen.insert(c) {
                    commits.push(c);
                }
            }
        }
        scan_commits(repo, &objects, &detector, &commits)
    })();
    let code = crate::app::finish_scan(&ctx, flags, "pre-push", result);
    if code > 1 {
        report::err(b"git-secrets: the pre-push check could not run, so the push is refused (git push --no-verify bypasses it deliberately)\n");
    }
    code
}

/// Server-side settings of the pre-receive hook (git config of the bare repository).
struct ReceivePolicy {
    budget: Duration,
    accept_over_budget: bool,
    allow_bypass: bool,
    audit_log: Option<std::path::PathBuf>,
}

impl ReceivePolicy {
    fn load(ctx: &Context, repo: &gix::Repository) -> ReceivePolicy {
        let last = |name: &str| {
            ctx.get_all("secrets", name)
                .pop()
                .map(|v| v.to_str_lossy().trim().to_ascii_lowercase())
        };
        let budget = last("preReceiveBudget")
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|s| *s > 0.0)
            .map_or(Duration::from_secs(4), Duration::from_secs_f64);
        ReceivePolicy {
            budget,
            accept_over_budget: last("preReceiveOverBudget").as_deref() == Some("accept"),
            allow_bypass: matches!(
                last("allowBypass").as_deref(),
                Some("true" | "yes" | "on" | "1")
            ),
            audit_log: ctx
                .get_all("secrets", "auditLog")
                .pop()
                .map(|v| std::path::PathBuf::from(v.to_str_lossy().into_owned()))
                .or_else(|| Some(repo.git_dir().join("git-secrets-audit.log"))),
        }
    }
}

fn push_options() -> Vec<String> {
    let count = std::env::var("GIT_PUSH_OPTION_COUNT")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(0);
    (0..count)
        .filter_map(|i| std::env::var(format!("GIT_PUSH_OPTION_{i}")).ok())
        .collect()
}

/// Messages to the pusher; GitLab shows lines prefixed with `GL-HOOK-ERR: `.
fn say(lines: &str) {
    let gitlab =
        std::env::var_os("GL_ID").is_some() || std::env::var_os("GL_PROJECT_PATH").is_some();
    let mut out = String::new();
    for line in lines.lines() {
        if gitlab {
            out.push_str("GL-HOOK-ERR: ");
        }
        out.push_str(line);
        out.push('\n');
    }
    report::err(out.as_bytes());
}

/// The pre-receive hook: stdin has `<old> <new> <ref>` per updated ref.
pub fn pre_receive_hook(_flags: &Flags) -> u8 {
    let started = Instant::now();
    let ctx = Context::discover();
    let Some(repo) = ctx.repo.as_ref() else {
        say("git-secrets: pre-receive: not a git repository; push refused");
        return 2;
    };
    let policy = ReceivePolicy::load(&ctx, repo);
    let deadline = started + policy.budget;
    let outcome = (|| {
        let input = read_stdin()?;
        let detector = crate::app::detector_for(&ctx, crate::matcher::WordMode::GitGrep)?;
        let mut tips = Vec::new();
        let mut refs = Vec::new();
        for line in parse_receive_lines(&input).map_err(fatal)? {
            refs.push(line.refname);
            tips.extend(line.new);
        }
        if detector.is_empty() || tips.is_empty() {
            return Ok((Vec::new(), false, refs));
        }
        let objects = Objects::new(repo);
        // Tags may point at non-commits; only commits carry changes.
        let mut commit_tips = Vec::new();
        for t in tips {
            let mut buf = Vec::new();
            match gix::objs::FindExt::find(&objects, &t, &mut buf) {
                Ok(obj) if obj.kind == gix::object::Kind::Commit => commit_tips.push(t),
                Ok(obj) if obj.kind == gix::object::Kind::Tag => {
                    if let Ok(tag) = gix::objs::TagRef::from_bytes(obj.data, repo.object_hash())
                        && tag.target_kind == gix::object::Kind::Commit
                    {
                        commit_tips.push(tag.target());
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    return Err(fatal(format!(
                        "pre-receive: cannot read pushed object {t}: {e}"
                    )));
                }
            }
        }
        let hidden = ref_commits(repo, None);
        let commits = new_commits(&objects, &commit_tips, &hidden)?;
        let (changes, over_budget) = changes(&objects, &commits, Some(deadline))?;
        if over_budget {
            return Ok((Vec::new(), true, refs));
        }
        let findings = scan_changes(repo, &detector, &changes)?;
        Ok((findings, Instant::now() > deadline, refs))
    })();
    let (findings, over_budget, refs) = match outcome {
        Ok(v) => v,
        Err(e) => {
            say(&format!(
                "{}git-secrets: the secret scan could not run, so the push is refused",
                e.message
            ));
            return 2;
        }
    };
    let bypass = push_options()
        .iter()
        .any(|o| o == "secrets.bypass" || o == "git-secrets.bypass");
    if over_budget {
        if policy.accept_over_budget {
            say(&format!(
                "git-secrets: the scan exceeded its {:.1} s budget; push accepted by server policy (secrets.preReceiveOverBudget=accept)",
                policy.budget.as_secs_f64()
            ));
            return 0;
        }
        say(&format!(
            "git-secrets: the scan exceeded its {:.1} s budget, so the push is refused; push fewer commits at a time, or ask an administrator to raise secrets.preReceiveBudget",
            policy.budget.as_secs_f64()
        ));
        return 1;
    }
    let findings = crate::app::allowed_findings(&ctx, findings);
    if findings.is_empty() {
        return 0;
    }
    let mut text = String::new();
    for f in &findings {
        text.push_str(&format!(
            "{}:{}:{}: {} {}\n",
            f.commit.as_deref().unwrap_or(ZERO),
            f.path.to_str_lossy(),
            f.line,
            f.rule_id(),
            f.redacted_secret()
        ));
    }
    if bypass && policy.allow_bypass {
        let who = ["GL_USERNAME", "GITHUB_USER_LOGIN", "REMOTE_USER", "USER"]
            .iter()
            .find_map(|k| std::env::var(k).ok())
            .unwrap_or_else(|| "unknown".into());
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64);
        let mut entry = format!(
            "{} bypass by {who} refs={} findings={}",
            crate::formats::rfc3339_utc(now),
            refs.join(","),
            findings.len()
        );
        for f in &findings {
            entry.push_str(&format!(" {}:{}", f.rule_id(), &f.fingerprint()[..16]));
        }
        entry.push('\n');
        if let Some(log) = &policy.audit_log {
            use std::io::Write;
            let written = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .and_then(|mut f| f.write_all(entry.as_bytes()));
            if let Err(e) = written {
                say(&format!(
                    "git-secrets: bypass requested but the audit log {} cannot be written ({e}); push refused",
                    log.display()
                ));
                return 1;
            }
        }
        say(&format!(
            "{text}git-secrets: {} finding(s) accepted by push option secrets.bypass; recorded in the audit log",
            findings.len()
        ));
        return 0;
    }
    let hint = if policy.allow_bypass {
        "- If this is deliberate, push again with: git push -o secrets.bypass (recorded)\n"
    } else {
        ""
    };
    say(&format!(
        "{text}\n[ERROR] Matched one or more prohibited patterns\n\nThe push adds secrets; it is refused.\n- Remove them from the commits (rewrite them) and push again.\n{hint}"
    ));
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "1111111111111111111111111111111111111111";

    #[test]
    fn push_lines() {
        let lines = parse_push_lines(&format!(
            "refs/heads/x {A} refs/heads/x {ZERO}\n\nrefs/heads/y {ZERO} refs/heads/y {A}\n"
        ))
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].local.is_some(), lines[0].remote), (true, None));
        assert_eq!((lines[1].local, lines[1].remote.is_some()), (None, true));
        assert_eq!(
            parse_push_lines("refs/heads/x deadbeef refs/heads/x\n").unwrap_err(),
            "pre-push: line 1 of standard input is not '<local ref> <local sha> <remote ref> <remote sha>'"
        );
        assert_eq!(
            parse_push_lines(&format!("a zz{} b {A}", &A[2..])).unwrap_err(),
            "pre-push: line 1: the object id is not 40 or 64 hex digits"
        );
    }

    #[test]
    fn receive_lines() {
        let lines = parse_receive_lines(&format!(
            "{ZERO} {A} refs/heads/new\n{A} {ZERO} refs/tags/gone\n"
        ))
        .unwrap();
        assert_eq!(lines[0].refname, "refs/heads/new");
        assert!(lines[0].new.is_some() && lines[1].new.is_none());
        assert!(parse_receive_lines("").unwrap().is_empty());
        assert!(parse_receive_lines(&format!("{A} {A}")).is_err());
        let sha256_zero = "0".repeat(64);
        assert_eq!(
            parse_receive_lines(&format!("{A} {sha256_zero} r")).unwrap()[0].new,
            None
        );
    }
}
