//! `--scan-history`, natively, with upstream's output contract.
//!
//! Upstream runs `git log --all -G<union> --pretty=%H` to list the commits whose diff adds or
//! removes a matching line, then `git grep -nwE <union> <each listed commit>`, which greps the
//! whole tree of every listed commit. That costs one full diff of history plus a full-tree grep
//! per listed commit. We keep the output (same commits, same order, same lines) but compute it
//! from per-blob results: each unique blob is read and matched once, whatever number of
//! commits and paths hold it.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use rayon::prelude::*;

use crate::detect::{Detector, Target};
use crate::scan::{EngineError, Finding, GitScan, git_is_binary};

/// The regular-file (`true`) and symlink (`false`) blobs of a tree by full path, shared between
/// commits with the same tree.
type TreeBlobs = std::sync::Arc<Vec<(Vec<u8>, ObjectId, bool)>>;

/// What one blob contributes, computed once.
#[derive(Default)]
struct BlobResult {
    binary: bool,
    /// Lines matching the union regex without `-w` (git log -G's test), with counts.
    pickaxe: HashMap<Vec<u8>, usize>,
    /// Findings with git grep's `-w` semantics and the registry rules (no path or commit yet).
    findings: Vec<Finding>,
}

fn git_error(msg: impl std::fmt::Display) -> EngineError {
    EngineError {
        message: format!("fatal: {msg}\n"),
        code: 128,
    }
}

/// Commits in `git log --all` order: tips (refs in name order, then HEAD) sorted by committer
/// date, newest first, then a date-ordered walk inserting parents after commits of the same
/// or a newer date (git's `commit_list_insert_by_date`).
fn log_all_order(
    repo: &gix::Repository,
) -> Result<Vec<(ObjectId, Vec<ObjectId>, ObjectId)>, EngineError> {
    let mut tips: Vec<ObjectId> = Vec::new();
    let refs = repo.references().map_err(git_error)?;
    for r in refs.all().map_err(git_error)? {
        let Ok(mut r) = r else { continue };
        if let Ok(obj) = r.peel_to_kind(gix::object::Kind::Commit) {
            tips.push(obj.id);
        }
    }
    if let Ok(head) = repo.head_commit() {
        tips.push(head.id);
    }
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut date_of: HashMap<ObjectId, i64> = HashMap::new();
    let info = |id: ObjectId| -> Result<(i64, Vec<ObjectId>, ObjectId), EngineError> {
        let commit = repo
            .find_commit(id)
            .map_err(|e| git_error(format!("bad object {id}: {e}")))?;
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        let parents = commit.parent_ids().map(|p| p.detach()).collect();
        let tree = commit.tree_id().map_err(git_error)?.detach();
        Ok((time, parents, tree))
    };
    let mut queue: Vec<(i64, ObjectId)> = Vec::new();
    let mut details: HashMap<ObjectId, (Vec<ObjectId>, ObjectId)> = HashMap::new();
    for tip in tips {
        if seen.insert(tip) {
            let (time, parents, tree) = info(tip)?;
            date_of.insert(tip, time);
            details.insert(tip, (parents, tree));
            queue.push((time, tip));
        }
    }
    // Stable sort, newest first.
    queue.sort_by_key(|&(date, _)| std::cmp::Reverse(date));
    let mut queue: std::collections::VecDeque<(i64, ObjectId)> = queue.into();
    let mut out = Vec::new();
    while let Some((_, id)) = queue.pop_front() {
        let Some((parents, tree)) = details.remove(&id) else {
            continue;
        };
        for &p in &parents {
            if !seen.insert(p) {
                continue;
            }
            let (time, pp, ptree) = info(p)?;
            date_of.insert(p, time);
            details.insert(p, (pp, ptree));
            let pos = queue
                .iter()
                .position(|&(d, _)| d < time)
                .unwrap_or(queue.len());
            queue.insert(pos, (time, p));
        }
        out.push((id, parents, tree));
    }
    Ok(out)
}

/// Regular-file and symlink blobs of a tree, by full path, in tree (= path) order.
fn tree_blobs(
    repo: &gix::Repository,
    tree: ObjectId,
    cache: &mut HashMap<ObjectId, TreeBlobs>,
) -> Result<TreeBlobs, EngineError> {
    if let Some(hit) = cache.get(&tree) {
        return Ok(hit.clone());
    }
    let t = repo
        .find_tree(tree)
        .map_err(|e| git_error(format!("bad tree {tree}: {e}")))?;
    let mut out = Vec::new();
    let entries: Vec<(Vec<u8>, gix::objs::tree::EntryMode, ObjectId)> = t
        .iter()
        .filter_map(Result::ok)
        .map(|e| (e.filename().to_vec(), e.mode(), e.oid().to_owned()))
        .collect();
    for (name, mode, oid) in entries {
        if mode.is_tree() {
            let sub = tree_blobs(repo, oid, cache)?;
            for (path, id, regular) in sub.iter() {
                let mut full = name.clone();
                full.push(b'/');
                full.extend_from_slice(path);
                out.push((full, *id, *regular));
            }
        } else if mode.is_blob() || mode.is_link() {
            out.push((name, oid, !mode.is_link()));
        }
    }
    let out = std::sync::Arc::new(out);
    cache.insert(tree, out.clone());
    Ok(out)
}

/// The `--scan-history` findings in upstream's order.
pub fn scan_history(
    repo: &gix::Repository,
    detector: &Detector,
) -> Result<Vec<Finding>, EngineError> {
    let commits = log_all_order(repo)?;
    let mut trees = HashMap::new();
    // Every blob that any commit's diff or tree can reach.
    let mut per_commit = Vec::with_capacity(commits.len());
    let mut blobs: HashSet<ObjectId> = HashSet::new();
    for (id, parents, tree) in &commits {
        let new = tree_blobs(repo, *tree, &mut trees)?;
        let old = match parents.first() {
            Some(p) if parents.len() == 1 => {
                let ptree = repo
                    .find_commit(*p)
                    .map_err(git_error)?
                    .tree_id()
                    .map_err(git_error)?
                    .detach();
                Some(tree_blobs(repo, ptree, &mut trees)?)
            }
            Some(_) => None, // merge: not diffed by git log
            None => Some(std::sync::Arc::new(Vec::new())),
        };
        for (_, b, _) in new.iter() {
            blobs.insert(*b);
        }
        if let Some(old) = &old {
            for (_, b, _) in old.iter() {
                blobs.insert(*b);
            }
        }
        per_commit.push((*id, new, old));
    }
    let shared = repo.clone().into_sync();
    let blobs: Vec<ObjectId> = blobs.into_iter().collect();
    let results: HashMap<ObjectId, BlobResult> = blobs
        .par_iter()
        .with_min_len(16)
        .map_init(
            || (shared.to_thread_local(), detector.scratch()),
            |(repo, scratch), id| {
                let data = repo
                    .find_blob(*id)
                    .map(|mut b| b.take_data())
                    .unwrap_or_default();
                let mut r = BlobResult {
                    binary: git_is_binary(&data),
                    ..Default::default()
                };
                if !r.binary {
                    if let Some(m) = &detector.compat {
                        m.for_each_pickaxe_line(&data, |line| {
                            *r.pickaxe.entry(line.to_vec()).or_default() += 1;
                        });
                    }
                    if !r.pickaxe.is_empty() || detector.rules.is_some() {
                        let target = Target {
                            display: b"",
                            repo_path: b"",
                            commit: None,
                        };
                        detector.scan(scratch, &data, target, &mut r.findings);
                        // A rule hit's line counts for git log -G as a matching line does.
                        for f in r.findings.iter().filter(|f| f.rule.is_some()) {
                            *r.pickaxe.entry(f.text.clone()).or_default() += 1;
                        }
                    }
                }
                (*id, r)
            },
        )
        .collect();
    let empty = BlobResult::default();
    let result = |id: &ObjectId| results.get(id).unwrap_or(&empty);
    let mut listed = Vec::new();
    for (id, new, old) in &per_commit {
        let Some(old) = old else { continue };
        if diff_touches_match(old, new, &result) {
            listed.push((*id, new.clone()));
        }
    }
    let scan = GitScan::new(repo);
    if listed.is_empty() {
        // Upstream's `git grep` then ran with no revision: the work tree's tracked files.
        let mut scan = scan?;
        let specs = scan.pathspecs(&[])?;
        return scan.tracked(detector, &specs, false);
    }
    let display = |rela: &[u8]| -> Vec<u8> {
        match &scan {
            Ok(s) => s.display(rela),
            Err(_) => crate::quote::c_style(rela, true),
        }
    };
    let prefix = match &scan {
        Ok(s) => s.prefix().to_vec(),
        Err(_) => Vec::new(),
    };
    let mut findings = Vec::new();
    for (id, tree) in listed {
        let hex = id.to_string();
        let meta = commit_meta(repo, id);
        for (path, blob, regular) in tree.iter() {
            if !regular || !path.starts_with(&prefix) {
                continue;
            }
            let r = result(blob);
            if r.binary {
                continue;
            }
            let shown = display(path);
            for f in &r.findings {
                if f.rule.as_ref().is_some_and(|rule| !rule.applies_to(path)) {
                    continue;
                }
                findings.push(Finding {
                    commit: Some(hex.clone()),
                    path: shown.clone(),
                    repo_path: path.clone(),
                    commit_meta: meta.clone(),
                    ..f.clone()
                });
            }
        }
    }
    Ok(findings)
}

/// Author and author date of a commit.
fn commit_meta(
    repo: &gix::Repository,
    id: ObjectId,
) -> Option<std::sync::Arc<crate::detect::CommitMeta>> {
    let commit = repo.find_commit(id).ok()?;
    let author = commit.author().ok()?;
    let time = author.time().map(|t| t.seconds).unwrap_or(0);
    Some(std::sync::Arc::new(crate::detect::CommitMeta {
        author_name: author.name.to_string(),
        author_email: author.email.to_string(),
        author_time: time,
    }))
}

/// git log -G: does the diff between two trees add or remove a line that matches? Pairs are
/// matched by path; a blob deleted at one path and added unchanged at another is an exact
/// rename and shows no lines (git log detects renames by default).
fn diff_touches_match<'a>(
    old: &[(Vec<u8>, ObjectId, bool)],
    new: &[(Vec<u8>, ObjectId, bool)],
    result: &impl Fn(&ObjectId) -> &'a BlobResult,
) -> bool {
    let old_by_path: HashMap<&[u8], &ObjectId> =
        old.iter().map(|(p, id, _)| (p.as_slice(), id)).collect();
    let new_by_path: HashMap<&[u8], &ObjectId> =
        new.iter().map(|(p, id, _)| (p.as_slice(), id)).collect();
    let deleted: Vec<&ObjectId> = old
        .iter()
        .filter(|(p, _, _)| !new_by_path.contains_key(p.as_slice()))
        .map(|(_, id, _)| id)
        .collect();
    let mut added: Vec<&ObjectId> = new
        .iter()
        .filter(|(p, _, _)| !old_by_path.contains_key(p.as_slice()))
        .map(|(_, id, _)| id)
        .collect();
    let mut deleted_left = Vec::new();
    for d in deleted {
        match added.iter().position(|a| *a == d) {
            Some(i) => {
                added.remove(i);
            }
            None => deleted_left.push(d),
        }
    }
    let whole = |id: &ObjectId| {
        let r = result(id);
        !r.binary && !r.pickaxe.is_empty()
    };
    if added.iter().any(|id| whole(id)) || deleted_left.iter().any(|id| whole(id)) {
        return true;
    }
    for (path, id, _) in new {
        if let Some(old_id) = old_by_path.get(path.as_slice())
            && *old_id != id
        {
            let (a, b) = (result(old_id), result(id));
            if a.binary || b.binary {
                continue;
            }
            if a.pickaxe != b.pickaxe {
                return true;
            }
        }
    }
    false
}
