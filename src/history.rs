//! `--scan-history`, natively, with upstream's output contract.
//!
//! Upstream runs `git log --all -G<union> --pretty=%H` to list the commits whose diff adds or
//! removes a matching line, then `git grep -nwE <union> <each listed commit>`, which greps the
//! whole tree of every listed commit. That costs one full diff of history plus a full-tree grep
//! per listed commit. We keep the output (same commits, same order, same lines) but compute it
//! from per-blob results: each unique blob is read and matched once, whatever number of
//! commits and paths hold it.
//!
//! 1. Walk the commits in `git log --all` order (their links decoded in parallel straight from
//!    the packs, in one pass over the packs' entry headers that also maps the blobs' delta
//!    chains).
//! 2. Diff each commit's tree against its first parent's, descending only into subtrees whose
//!    ids differ (in parallel); this yields every blob history introduces.
//! 3. Scan each of those blobs once, in parallel, in delta-chain order so that each delta's
//!    base is still cached when it is read.
//! 4. A non-merge commit is listed when its diff touches a blob with a matching line (the
//!    `-G` test); listed commits' trees are walked only into subtrees that hold a blob with
//!    findings (memoised per tree id), to print upstream's `sha:path:line:text` lines.

use std::collections::{HashMap, HashSet};

use gix::ObjectId;
use rayon::prelude::*;

use crate::commits::{Change, Kind, Node, git_error, tree_entries};
use crate::detect::Detector;
use crate::git::Objects;
use crate::report::Trace;
use crate::scan::{EngineError, Finding, GitScan};

/// What one blob contributes, computed once.
#[derive(Default)]
struct BlobResult {
    binary: bool,
    /// Lines matching the union regex without `-w` (git log -G's test), with counts.
    pickaxe: HashMap<Vec<u8>, usize>,
    /// Findings with git grep's `-w` semantics and the registry rules (no path or commit yet).
    findings: Vec<Finding>,
}

/// The commits of `git log --all` (id, parents, tree) and the tips.
type LogAll = (Vec<(ObjectId, Vec<ObjectId>, ObjectId)>, Vec<ObjectId>);

/// Commits in `git log --all` order (and the tips: what the refs and HEAD peel to): tips (refs in name order, then HEAD) sorted by committer
/// date, newest first, then a date-ordered walk inserting parents after commits of the same
/// or a newer date (git's `commit_list_insert_by_date`). Commits found in `packed` (read ahead
/// from the packs) are not read again.
fn log_all_order(
    repo: &gix::Repository,
    mut packed: HashMap<ObjectId, crate::git::CommitLinks>,
) -> Result<LogAll, EngineError> {
    let mut tips: Vec<ObjectId> = Vec::new();
    // Like `git log --all`: a ref (or HEAD) naming a missing object is `fatal: bad object
    // <ref>`, not a ref to skip (issue 14, item 9); refs to blobs and trees have no history.
    let mut named = crate::refs::all(repo).map_err(git_error)?;
    named.extend(
        crate::refs::head(repo)
            .map_err(git_error)?
            .map(|id| ("HEAD".to_string(), id)),
    );
    for (name, id) in named {
        // A commit the pack pass decoded needs no reading: a GitHub mirror's refs are mostly
        // its pull requests' heads (9,426 of cargo's 9,640), each inflated here one after the
        // other before.
        if packed.contains_key(&id) {
            tips.push(id);
            continue;
        }
        let object = repo
            .find_object(id)
            .and_then(|o| o.peel_tags_to_end())
            .map_err(|_| git_error(format!("bad object {name}")))?;
        if object.kind == gix::object::Kind::Commit {
            tips.push(object.id);
        }
    }
    let tip_commits = tips.clone();
    let mut seen: HashSet<ObjectId> = HashSet::new();
    // A shallow clone's boundary commits have parents that are not here: like git, treat
    // them as roots, and say that older history is not scanned.
    let shallow: HashSet<ObjectId> = repo
        .shallow_commits()
        .ok()
        .flatten()
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut info = |id: ObjectId| -> Result<crate::git::CommitLinks, EngineError> {
        let (time, parents, tree) = match packed.remove(&id) {
            Some(links) => links,
            None => {
                let commit = repo
                    .find_commit(id)
                    .map_err(|e| git_error(format!("bad object {id}: {e}")))?;
                let time = commit.time().map(|t| t.seconds).unwrap_or(0);
                let parents = commit.parent_ids().map(|p| p.detach()).collect();
                let tree = commit.tree_id().map_err(git_error)?.detach();
                (time, parents, tree)
            }
        };
        let parents = if shallow.contains(&id) {
            Vec::new()
        } else {
            parents
        };
        Ok((time, parents, tree))
    };
    let mut queue: Vec<(i64, ObjectId)> = Vec::new();
    let mut details: HashMap<ObjectId, (Vec<ObjectId>, ObjectId)> = HashMap::new();
    for tip in tips {
        if seen.insert(tip) {
            let (time, parents, tree) = info(tip)?;
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
            details.insert(p, (pp, ptree));
            let pos = queue
                .iter()
                .position(|&(d, _)| d < time)
                .unwrap_or(queue.len());
            queue.insert(pos, (time, p));
        }
        out.push((id, parents, tree));
    }
    Ok((out, tip_commits))
}

/// What steps 2 to 4 of [`scan_history`] leave for the rest: each commit's changes against
/// its first parent, how many blobs and bytes were scanned, each blob's result, the blobs
/// with findings and what each commit introduces.
struct Files {
    changes: Vec<Vec<Change>>,
    blobs: usize,
    bytes: u64,
    results: HashMap<ObjectId, BlobResult>,
    found: crate::commits::BlobFindings,
    intros: Vec<crate::commits::Introduction>,
}

/// Steps 2 to 4 of [`scan_history`]: the tree diffs, every blob they name scanned once, and
/// what each commit introduces against every parent.
fn scan_files(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    layout: crate::git::PackLayout,
    nodes: &[Node],
    trees: &HashMap<ObjectId, ObjectId>,
    (trace, started): (&Trace, std::time::Instant),
) -> Result<Files, EngineError> {
    // 2. What each commit changes against its first parent.
    let changes = crate::commits::first_parent_changes(shared, nodes, trees)?;
    trace.phase("tree diffs", changes.iter().map(Vec::len).sum());

    // 3. Every blob history introduces or removes, scanned once.
    let mut blobs: Vec<ObjectId> = changes
        .iter()
        .flatten()
        .flat_map(|c| c.old.into_iter().chain(c.new))
        .collect();
    // Sorted on both cores, then ordered for reading beside the map of paths: between the
    // tree diffs and the blob scan, these ran on one core for 0.2 of cargo's 3 s.
    blobs.par_sort_unstable();
    blobs.dedup();
    // Path-limited rules run on a blob when one of the paths it is seen at selects them.
    let ((), paths) = rayon::join(|| layout.order_blobs(&mut blobs), || blob_paths(&changes));
    detector.prepare_for(blobs.len());
    let progress = crate::report::Progress::new(blobs.len() as u64, started);
    let bytes = std::sync::atomic::AtomicU64::new(0);
    let mut results: HashMap<ObjectId, BlobResult> = HashMap::new();
    // A store per chunk: see `fresh_store`.
    let readers = crate::commits::version_readers(&layout);
    let scratches = crate::per_thread::PerThread::new();
    for chunk in blobs.chunks(crate::commits::STORE_CHUNK) {
        let store = crate::commits::fresh_store(shared);
        readers
            .iter()
            .for_each(|r| r.lock().map_or((), |mut r| r.renew()));
        results.extend(scan_chunk(
            &store,
            detector,
            chunk,
            (&paths, &readers, &scratches),
            &progress,
            &bytes,
        )?);
    }

    progress.finish();
    trace.phase("blobs scanned", blobs.len());

    // 4. What each commit introduces against every parent: merges' own changes (an "evil"
    // merge) are history too, and machine formats report introductions.
    // Each introduction reports what a tree scan reports at its path (one finding per span
    // among the rules that apply there: `commits::at_path`), so that a secret's rule at a path
    // is the same whichever version of the file is earliest.
    let found: crate::commits::BlobFindings = results
        .iter()
        .filter(|(_, r)| !r.findings.is_empty())
        .map(|(id, r)| (*id, r.findings.clone()))
        .collect();
    let intros =
        crate::commits::introductions(shared, nodes, &changes, trees, &|b| found.contains_key(b))?;
    trace.phase("introductions", intros.len());
    Ok(Files {
        changes,
        blobs: blobs.len(),
        bytes: bytes.into_inner(),
        results,
        found,
        intros,
    })
}

/// Step 6 of [`scan_history`]: every commit's message, and those of the annotated tags the
/// refs name (tags of tags too).
fn scan_messages(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    nodes: &[Node],
    kept: &HashMap<ObjectId, Vec<u8>>,
) -> Result<Vec<Finding>, EngineError> {
    // 6. Every commit's message, as the push hooks read them (upstream's history did not): a
    // key pasted into a message is in history as much as one in a file.
    // On all cores: git/git's 85k messages took 2.2 s on one (3 % of its history scan).
    let messages = nodes
        .par_chunks(crate::commits::STORE_CHUNK)
        .map(|chunk| {
            let repo = shared.to_thread_local();
            let objects = Objects::new(&repo);
            let mut found =
                crate::messages::scan(&objects, detector, chunk, &[], kept).map_err(git_error)?;
            for f in &mut found {
                let id = f
                    .commit
                    .as_deref()
                    .map(|h| ObjectId::from_hex(h.as_bytes()));
                if let Some(Ok(id)) = id {
                    f.commit_meta = crate::commits::meta_of(&objects, id);
                }
            }
            Ok(found)
        })
        .collect::<Result<Vec<_>, EngineError>>()?
        .concat();
    // And the messages of the annotated tags the refs name (tags of tags too).
    let repo = shared.to_thread_local();
    let messages = {
        let objects = Objects::new(&repo);
        let mut tags = Vec::new();
        for (_, id) in crate::refs::all(&repo).map_err(git_error)? {
            tags.extend(crate::messages::tag_chain(&objects, id).map_err(git_error)?);
        }
        tags.sort_unstable();
        tags.dedup();
        let mut all = messages;
        all.extend(crate::messages::scan(&objects, detector, &[], &tags, kept).map_err(git_error)?);
        all
    };
    Ok(messages)
}

/// Regular files of a tree whose blob has findings: `(path, blob)` in tree order.
type FindingBlobs = std::sync::Arc<Vec<(Vec<u8>, ObjectId)>>;

/// The `--scan-history` findings in upstream's order.
///
/// `machine`: the findings for machine formats instead of upstream's listing: each (path,
/// rule, secret) once, with the earliest commit that introduced it there and its
/// [`HistoryFacts`](crate::detect::HistoryFacts).
pub fn scan_history(
    repo: &gix::Repository,
    detector: &Detector,
    verbose: bool,
    machine: bool,
) -> Result<crate::ending::Scan, EngineError> {
    let started = std::time::Instant::now();
    let mut notes = Vec::new();
    // A shallow clone's boundary: said, as data, with the findings.
    let boundaries = repo.shallow_commits().ok().flatten().map_or(0, |c| c.len());
    if boundaries > 0 {
        notes.push(crate::note::Note::Shallow { boundaries });
    }
    let trace = Trace::new();
    // One pass over the packs' entry headers, while nothing else of them is in memory: the
    // commits for the walk, the blobs' delta chains for the read order.
    let mut layout = crate::git::PackLayout::read(repo);
    let (commits, tips) = log_all_order(repo, std::mem::take(&mut layout.commits))?;
    trace.phase("commits", commits.len());
    let shared = repo.clone().into_sync();
    let trees: HashMap<ObjectId, ObjectId> =
        commits.iter().map(|(id, _, tree)| (*id, *tree)).collect();

    // The commits as the steps take them.
    let nodes: Vec<Node> = commits
        .iter()
        .map(|(id, parents, tree)| Node {
            id: *id,
            parents: parents.clone(),
            tree: *tree,
        })
        .collect();
    // Steps 2 to 4 beside step 6, on all cores at once: the messages fill the cores the tree
    // diffs and the blob scan leave idle at their ends (on cargo's history the messages'
    // 0.37 CPU s took 0.23 s when they ran after the blobs). The literal gate is built
    // first, for both.
    detector.prepare_for(nodes.len());
    let kept = std::mem::take(&mut layout.messages);
    let (files, messages) = rayon::join(
        || scan_files(&shared, detector, layout, &nodes, &trees, (&trace, started)),
        || scan_messages(&shared, detector, &nodes, &kept),
    );
    let Files {
        changes,
        blobs,
        bytes,
        results,
        found,
        intros,
    } = files?;
    let messages = messages?;
    let summary = |findings: usize| {
        verbose.then(|| crate::note::Note::HistorySummary {
            commits: commits.len(),
            blobs,
            bytes,
            seconds: started.elapsed().as_secs_f64(),
            findings,
        })
    };
    trace.phase("messages", nodes.len());
    if machine {
        let mut findings = history_facts(repo, detector, &nodes, &tips, &intros, &found)?;
        findings.extend(messages);
        notes.extend(summary(findings.len()));
        return Ok(crate::ending::Scan { findings, notes });
    }
    let mut evil: HashSet<usize> = HashSet::new();
    crate::commits::each_introduced(detector, &intros, &found, |i, _| {
        let commit = intros[i].commit;
        if nodes[commit].parents.len() > 1 {
            evil.insert(commit);
        }
    });

    // 5. The commits git log -G would list, in its order, and merges that bring findings no
    // parent had at the path (upstream's `git log` shows merges no diff and misses those).
    let empty = BlobResult::default();
    let result = |id: &ObjectId| results.get(id).unwrap_or(&empty);
    let listed: Vec<ObjectId> = commits
        .iter()
        .zip(&changes)
        .enumerate()
        .filter(|(i, ((_, parents, _), changes))| {
            (parents.len() <= 1 && diff_touches_match(changes, &result)) || evil.contains(i)
        })
        .map(|(_, ((id, _, _), _))| *id)
        .collect();
    let scan = GitScan::new(repo);
    if listed.is_empty() {
        // Upstream's `git grep` then ran with no revision: the work tree's tracked files.
        // A bare repository (a mirror, a server) has none, so its clean history is clean;
        // upstream failed there with git grep's "must be run in a work tree" (exit 128).
        if repo.workdir().is_none() {
            notes.extend(summary(0));
            return Ok(crate::ending::Scan {
                findings: Vec::new(),
                notes,
            });
        }
        let mut scan = scan?;
        let specs = scan.pathspecs(&[])?;
        notes.extend(summary(0));
        let mut findings = scan.tracked(detector, &specs, false)?;
        findings.extend(messages);
        return Ok(crate::ending::Scan { findings, notes });
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
    let objects = Objects::new(repo);
    let mut memo: HashMap<ObjectId, FindingBlobs> = HashMap::new();
    let mut findings = Vec::new();
    for id in listed {
        let hex = id.to_string();
        let meta = crate::commits::meta_of(&objects, id);
        let hits = blobs_with_findings(&objects, trees[&id], &results, &mut memo)?;
        for (path, blob) in hits.iter() {
            if !path.starts_with(&prefix) {
                continue;
            }
            let shown = display(path);
            for f in &result(blob).findings {
                if !crate::commits::applies_at(detector, f, path) {
                    continue;
                }
                findings.push(Finding {
                    commit: Some(hex.clone()),
                    blob: Some(blob.to_string()),
                    path: shown.clone(),
                    repo_path: Some(path.clone()),
                    commit_meta: meta.clone(),
                    ..f.clone()
                });
            }
        }
    }
    findings.extend(messages);
    notes.extend(summary(findings.len()));
    Ok(crate::ending::Scan { findings, notes })
}

/// Machine formats' history: each (path, rule, secret) once, with the earliest commit that
/// introduced it at the path, how many commits did and how many blobs of the path hold it, and
/// whether a tip still holds it there. Ordered by that earliest commit (newest first, as `git
/// log`), then path and line.
fn history_facts(
    repo: &gix::Repository,
    detector: &Detector,
    nodes: &[Node],
    tips: &[ObjectId],
    intros: &[crate::commits::Introduction],
    found: &crate::commits::BlobFindings,
) -> Result<Vec<Finding>, EngineError> {
    struct Group {
        earliest: usize,
        finding: Finding,
        /// The blob the earliest commit brought.
        blob: ObjectId,
        commits: HashSet<usize>,
        blobs: HashSet<ObjectId>,
    }
    type Key<'r> = (&'r [u8], Option<String>, Vec<u8>);
    let mut groups: HashMap<Key<'_>, Group> = HashMap::new();
    crate::commits::each_introduced(detector, intros, found, |i, f| {
        let (rule, secret) = crate::commits::identity(f);
        let intro = &intros[i];
        let key = (&intro.path[..], rule.map(str::to_owned), secret.to_vec());
        let g = groups.entry(key).or_insert_with(|| Group {
            earliest: intro.commit,
            finding: f.clone(),
            blob: intro.blob,
            commits: HashSet::new(),
            blobs: HashSet::new(),
        });
        // Nodes are newest first: a higher index is an older commit.
        if intro.commit > g.earliest {
            (g.earliest, g.finding, g.blob) = (intro.commit, f.clone(), intro.blob);
        }
        g.commits.insert(intro.commit);
        g.blobs.insert(intro.blob);
    });
    let objects = Objects::new(repo);
    let tip_trees: Vec<ObjectId> = tips
        .iter()
        .filter_map(|t| objects.commit(*t).ok().map(|c| c.tree))
        .collect();
    let quote_path = repo
        .config_snapshot()
        .boolean("core.quotePath")
        .unwrap_or(true);
    let mut buf = Vec::new();
    let mut out = Vec::with_capacity(groups.len());
    for ((path, rule, secret), g) in groups {
        let mut present = false;
        for tree in &tip_trees {
            let Some((blob, _)) = crate::commits::entry_at(&objects, *tree, path, &mut buf)? else {
                continue;
            };
            present = found.get(&blob).is_some_and(|fs| {
                crate::commits::at_path(detector, fs, path)
                    .iter()
                    .any(|f| crate::commits::identity(f) == (rule.as_deref(), &secret[..]))
            });
            if present {
                break;
            }
        }
        let node = &nodes[g.earliest];
        let meta = crate::commits::meta_of(&objects, node.id);
        out.push((
            g.earliest,
            Finding {
                commit: Some(node.id.to_string()),
                blob: Some(g.blob.to_string()),
                path: crate::quote::c_style(path, quote_path),
                repo_path: Some(path.to_vec()),
                commit_meta: meta,
                history: Some(crate::detect::HistoryFacts {
                    introduced_by: g.commits.len(),
                    blobs: g.blobs.len(),
                    present_at_tips: present,
                }),
                ..g.finding.clone()
            },
        ));
    }
    out.sort_by(|(a, fa), (b, fb)| {
        a.cmp(b)
            .then_with(|| fa.repo_path.cmp(&fb.repo_path))
            .then_with(|| fa.line.cmp(&fb.line))
    });
    Ok(out.into_iter().map(|(_, f)| f).collect())
}

/// The paths each blob of `changes` is seen at, on either side.
fn blob_paths(changes: &[Vec<Change>]) -> crate::commits::BlobPaths {
    let mut paths = crate::commits::BlobPaths::new();
    // One shared copy of each path: cargo's 200 k changes name 9 k paths.
    let mut interned: HashMap<&[u8], std::sync::Arc<[u8]>> = HashMap::new();
    for c in changes.iter().flatten() {
        let path = interned
            .entry(c.path.as_slice())
            .or_insert_with(|| std::sync::Arc::from(c.path.as_slice()));
        for blob in c.old.iter().chain(&c.new) {
            let seen = paths.entry(*blob).or_default();
            if !seen.iter().any(|p| std::sync::Arc::ptr_eq(p, path)) {
                seen.push(path.clone());
            }
        }
    }
    paths
}

/// Regular files of tree `id` whose blob has findings, by path in tree order; subtrees without
/// any are skipped, and every tree's answer is remembered.
fn blobs_with_findings(
    objects: &Objects,
    id: ObjectId,
    results: &HashMap<ObjectId, BlobResult>,
    memo: &mut HashMap<ObjectId, FindingBlobs>,
) -> Result<FindingBlobs, EngineError> {
    if let Some(hit) = memo.get(&id) {
        return Ok(hit.clone());
    }
    let mut out = Vec::new();
    for (name, oid, kind) in tree_entries(objects, id)? {
        match kind {
            Kind::Tree => {
                let sub = blobs_with_findings(objects, oid, results, memo)?;
                for (path, blob) in sub.iter() {
                    let mut full = name.clone();
                    full.push(b'/');
                    full.extend_from_slice(path);
                    out.push((full, *blob));
                }
            }
            // A symlink's target is stored text too (the push hooks scan it).
            Kind::File | Kind::Link => {
                if results.get(&oid).is_some_and(|r| !r.findings.is_empty()) {
                    out.push((name, oid));
                }
            }
        }
    }
    let out = std::sync::Arc::new(out);
    memo.insert(id, out.clone());
    Ok(out)
}

/// git log -G: does a commit's diff add or remove a line that matches? A blob deleted at one
/// path and added unchanged at another is an exact rename and shows no lines (git log detects
/// renames by default).
fn diff_touches_match<'a>(
    changes: &[Change],
    result: &impl Fn(&ObjectId) -> &'a BlobResult,
) -> bool {
    let added: Vec<ObjectId> = changes
        .iter()
        .filter(|c| c.old.is_none())
        .filter_map(|c| c.new)
        .collect();
    let deleted: Vec<ObjectId> = changes
        .iter()
        .filter(|c| c.new.is_none())
        .filter_map(|c| c.old)
        .collect();
    let renamed = |id: &ObjectId, other: &[ObjectId]| other.contains(id);
    let whole = |id: &ObjectId| !result(id).pickaxe.is_empty();
    // git log -G skips a pair when either side is binary.
    let binary = |id: &Option<ObjectId>| id.as_ref().is_some_and(|i| result(i).binary);
    for c in changes {
        if binary(&c.old) || binary(&c.new) {
            continue;
        }
        match (c.old, c.new) {
            (None, Some(n)) if !renamed(&n, &deleted) && whole(&n) => return true,
            (Some(o), None) if !renamed(&o, &added) && whole(&o) => return true,
            (Some(o), Some(n)) => {
                let (a, b) = (result(&o), result(&n));
                if a.pickaxe != b.pickaxe {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Scan one chunk of history's blobs through `shared`'s store: each blob's findings, the
/// lines with a prohibited pattern (upstream's pickaxe), or that it is binary.
fn scan_chunk(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    blobs: &[ObjectId],
    (paths, readers, scratches): (
        &crate::commits::BlobPaths,
        &crate::commits::VersionReaders<'_>,
        &crate::commits::Scratches,
    ),
    progress: &crate::report::Progress,
    bytes: &std::sync::atomic::AtomicU64,
) -> Result<Vec<(ObjectId, BlobResult)>, EngineError> {
    let objects = crate::per_thread::PerThread::new();
    Ok(blobs
        .par_iter()
        .with_min_len(16)
        .inspect(|_| progress.tick())
        .map(|id| {
            crate::commits::with_thread_state(
                shared,
                detector,
                &objects,
                scratches,
                |objects, scratch, buf| {
                    scan_blob(
                        (objects, scratch, buf),
                        id,
                        detector,
                        (paths, readers),
                        bytes,
                    )
                },
            )
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// [`scan_chunk`] of one blob.
fn scan_blob(
    state: (
        &mut Objects,
        &mut crate::detect::DetectScratch,
        &mut Vec<u8>,
    ),
    id: &ObjectId,
    detector: &Detector,
    paths: (
        &crate::commits::BlobPaths,
        &crate::commits::VersionReaders<'_>,
    ),
    bytes: &std::sync::atomic::AtomicU64,
) -> Result<Option<(ObjectId, BlobResult)>, EngineError> {
    let mut result = BlobResult::default();
    let pickaxe = &mut result.pickaxe;
    let scan =
        crate::commits::scan_blob(state, id, detector, paths, &mut result.findings, |line| {
            *pickaxe.entry(line.to_vec()).or_default() += 1
        })?;
    bytes.fetch_add(scan.bytes as u64, std::sync::atomic::Ordering::Relaxed);
    result.binary = scan.binary;
    let keep = result.binary || !result.pickaxe.is_empty() || !result.findings.is_empty();
    Ok(keep.then_some((*id, result)))
}
