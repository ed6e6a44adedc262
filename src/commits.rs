//! The commit-set engine: what a set of commits introduces, read and matched once.
//!
//! Full history, `--scan-range`, pre-push and pre-receive differ only in the commits they hand
//! to it and in how they report what comes back:
//!
//! 1. Enumerate the commit set ([`walk`]: tips minus what hidden commits reach; history brings
//!    its own `git log --all` order).
//! 2. Diff each commit's tree against its first parent's with [`TreeDiff`], in parallel: both
//!    trees walked side by side in git's order, descending only into subtrees whose ids differ.
//! 3. [`introductions`]: a changed path's new blob is introduced by the commit unless some
//!    parent holds that very blob at that path (a merge taking a side). The parents' blobs at
//!    the path are kept as the "parent side". A file moved unchanged is introduced at its new
//!    path: "new" is judged per path, as the property tests define it (history = the union of
//!    the commits' trees; a range = what is in a commit's tree at a path and in no parent's
//!    tree at that path).
//! 4. [`scan_blobs`]: every introduced blob once, in pack/delta order, on all cores, with every
//!    rule: path-limited rules too, since a blob has no path of its own (the path is checked
//!    per introduction). Then the parent-side blobs of the introductions that have findings.
//! 5. [`attribute`]: a finding of an introduced blob counts when its rule applies to the
//!    path, no path-limited allowlist entry accepts it there, and no parent-side blob of the
//!    path holds the same (rule, secret). A multi-line finding (a private key) therefore counts
//!    when any of its lines is new: the parent side holds no complete key.

use crate::per_thread::PerThread;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use gix::ObjectId;
use rayon::prelude::*;

use crate::detect::{CommitMeta, Detector, Finding, Target};
use crate::git::{Objects, PackLayout, Packs, TreeReader, Versions};
use crate::rules::PathScope;
use crate::scan::EngineError;

pub(crate) fn git_error(msg: impl std::fmt::Display) -> EngineError {
    EngineError::Said {
        message: format!("fatal: {msg}\n"),
        code: 128,
    }
}

/// One commit of a set: id, parents, tree.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
    pub tree: ObjectId,
}

/// One changed path of a commit against its first parent.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    /// Repository-relative path.
    pub path: Vec<u8>,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// Entries of a tree that can hold text: `(name, id, kind)`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(crate) enum Kind {
    Tree,
    File,
    Link,
}

/// A tree's entries: `(name, id, kind)`, submodules left out.
pub(crate) type Entries = Vec<(Vec<u8>, ObjectId, Kind)>;

pub(crate) fn tree_entries(objects: &Objects, id: ObjectId) -> Result<Entries, EngineError> {
    use gix::objs::FindExt;
    let mut buf = Vec::new();
    let iter = objects
        .find_tree_iter(&id, &mut buf)
        .map_err(|e| git_error(format!("bad tree {id}: {e}")))?;
    let mut out = Vec::new();
    for entry in iter {
        let entry = entry.map_err(|e| git_error(format!("bad tree {id}: {e}")))?;
        if let Some((oid, kind)) = entry_side(&entry) {
            out.push((entry.filename.to_vec(), oid, kind));
        }
    }
    Ok(out)
}

/// The entry at `path` (slash-separated) under tree `root`, if any.
pub(crate) fn entry_at(
    objects: &Objects,
    root: ObjectId,
    path: &[u8],
    buf: &mut Vec<u8>,
) -> Result<Option<(ObjectId, Kind)>, EngineError> {
    use gix::objs::FindExt;
    let mut tree = root;
    let mut parts = path.split(|&b| b == b'/').peekable();
    while let Some(name) = parts.next() {
        let iter = objects
            .find_tree_iter(&tree, buf)
            .map_err(|e| git_error(format!("bad tree {tree}: {e}")))?;
        let mut found = None;
        for entry in iter {
            let entry = entry.map_err(|e| git_error(format!("bad tree {tree}: {e}")))?;
            if entry.filename == name {
                found = entry_side(&entry);
                break;
            }
        }
        match (found, parts.peek().is_some()) {
            (None, _) => return Ok(None),
            (Some((id, Kind::Tree)), true) => tree = id,
            (Some(_), true) => return Ok(None),
            (Some(side), false) => return Ok(Some(side)),
        }
    }
    Ok(None)
}

/// A tree entry that can hold text, as the diff sees it; submodules are `None`.
pub(crate) fn entry_side(entry: &gix::objs::tree::EntryRef<'_>) -> Option<(ObjectId, Kind)> {
    let kind = if entry.mode.is_tree() {
        Kind::Tree
    } else if entry.mode.is_link() {
        Kind::Link
    } else if entry.mode.is_blob() {
        Kind::File
    } else {
        return None;
    };
    Some((entry.oid.to_owned(), kind))
}

/// One entry of a tree object as stored: `mode SP name NUL hash`.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    mode: u32,
    name: &'a [u8],
    oid: &'a [u8],
}

impl RawEntry<'_> {
    fn is_tree(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }

    /// The entry as the diff sees it (git's `S_ISDIR`, `S_ISLNK`, `S_ISREG`); submodules
    /// are `None`.
    fn side(&self) -> Option<(ObjectId, Kind)> {
        let kind = match self.mode & 0o170000 {
            0o040000 => Kind::Tree,
            0o120000 => Kind::Link,
            0o100000 => Kind::File,
            _ => return None,
        };
        Some((ObjectId::from_bytes_or_panic(self.oid), kind))
    }
}

/// A tree object whose entries do not parse.
struct Malformed;

/// The entry of tree `buf` at `at` and where the next one starts; `None` at the end.
fn raw_entry(
    buf: &[u8],
    at: usize,
    hash_len: usize,
) -> Result<Option<(RawEntry<'_>, usize)>, Malformed> {
    let rest = &buf[at..];
    if rest.is_empty() {
        return Ok(None);
    }
    let space = memchr::memchr(b' ', rest).ok_or(Malformed)?;
    let mode = rest[..space].iter().try_fold(0u32, |m, &d| match d {
        b'0'..=b'7' if m < 1 << 24 => Ok(m << 3 | u32::from(d - b'0')),
        _ => Err(Malformed),
    })?;
    let nul = space + 1 + memchr::memchr(0, &rest[space + 1..]).ok_or(Malformed)?;
    let oid = rest.get(nul + 1..nul + 1 + hash_len).ok_or(Malformed)?;
    if space == 0 || nul == space + 1 {
        return Err(Malformed);
    }
    let entry = RawEntry {
        mode,
        name: &rest[space + 1..nul],
        oid,
    };
    Ok(Some((entry, at + nul + 1 + hash_len)))
}

/// Git's tree order: names compared as bytes, a subtree's name as if it ended in `/`.
fn tree_order(a: &RawEntry<'_>, b: &RawEntry<'_>) -> std::cmp::Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        let end = |name: &[u8], tree: bool| {
            name.get(common)
                .copied()
                .or(tree.then_some(b'/'))
                .unwrap_or(0)
        };
        end(a.name, a.is_tree()).cmp(&end(b.name, b.is_tree()))
    })
}

/// How many bytes `a` and `b` share at their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    // 32 bytes at a time (one vector compare each), then bytewise in the first that differs.
    let chunks = a[..n].chunks_exact(32).zip(b[..n].chunks_exact(32));
    let same = chunks.take_while(|(x, y)| x == y).count() * 32;
    same + a[same..n]
        .iter()
        .zip(&b[same..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (a, b) = (&a[a.len() - n..], &b[b.len() - n..]);
    let chunks = a.rchunks_exact(32).zip(b.rchunks_exact(32));
    let same = chunks.take_while(|(x, y)| x == y).count() * 32;
    same + a[..n - same]
        .iter()
        .rev()
        .zip(b[..n - same].iter().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Finds the blobs that differ between two trees, walking both in git's order side by side
/// (as git's own tree diff does) and descending only into subtrees whose ids differ. The
/// entries the two trees share at their start and end are skipped unparsed but for their
/// boundaries: a commit changes a few entries of a tree of hundreds (git/git's `t/` holds
/// over a thousand), and comparing every entry was half of git/git's tree-diff time. Tree
/// buffers are kept per depth and reused, so diffing a commit allocates next to nothing but
/// the changed paths.
#[derive(Default)]
pub(crate) struct TreeDiff {
    buffers: Vec<(Vec<u8>, Vec<u8>)>,
    path: Vec<u8>,
}

impl TreeDiff {
    pub(crate) fn diff(
        &mut self,
        source: &mut TreeSource<'_>,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<Change>,
    ) -> Result<(), EngineError> {
        self.path.clear();
        self.diff_at(0, source, old, new, out)
    }

    fn diff_at(
        &mut self,
        depth: usize,
        source: &mut TreeSource<'_>,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        out: &mut Vec<Change>,
    ) -> Result<(), EngineError> {
        if old == new {
            return Ok(());
        }
        if self.buffers.len() <= depth {
            self.buffers.resize_with(depth + 1, Default::default);
        }
        let (mut old_buf, mut new_buf) = std::mem::take(&mut self.buffers[depth]);
        read_tree(source, old, &mut old_buf)?;
        read_tree(source, new, &mut new_buf)?;
        let hash_len = old.or(new).map_or(20, |id| id.kind().len_in_bytes());
        let mut changed = Vec::new();
        diff_entries(&old_buf, &new_buf, hash_len, |name, o, n| {
            changed.push((name, o, n));
        })
        .map_err(|side| {
            let id = if side == Side::Old { old } else { new };
            git_error(format!(
                "bad tree {}: malformed entry",
                id.expect("entries come from a tree")
            ))
        })?;
        for (name, o, n) in changed {
            let len = self.path.len();
            self.path.extend_from_slice(name);
            self.visit(depth, source, o, n, out)?;
            self.path.truncate(len);
        }
        self.buffers[depth] = (old_buf, new_buf);
        Ok(())
    }

    /// One path's old and new side: recurse into trees, record blobs that changed.
    fn visit(
        &mut self,
        depth: usize,
        source: &mut TreeSource<'_>,
        o: Option<(ObjectId, Kind)>,
        n: Option<(ObjectId, Kind)>,
        out: &mut Vec<Change>,
    ) -> Result<(), EngineError> {
        let side = |s: Option<(ObjectId, Kind)>, tree: bool| {
            s.filter(|(_, k)| (*k == Kind::Tree) == tree)
                .map(|(id, _)| id)
        };
        let (old_tree, new_tree) = (side(o, true), side(n, true));
        if old_tree.is_some() || new_tree.is_some() {
            let len = self.path.len();
            self.path.push(b'/');
            self.diff_at(depth + 1, source, old_tree, new_tree, out)?;
            self.path.truncate(len);
        }
        let (old_blob, new_blob) = (side(o, false), side(n, false));
        if old_blob != new_blob {
            out.push(Change {
                path: self.path.clone(),
                old: old_blob,
                new: new_blob,
            });
        }
        Ok(())
    }
}

/// Which tree of a diff.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Old,
    New,
}

/// Calls `f(name, old, new)` for each name whose entry differs between trees `o` and `n`
/// (their bytes), in git's order; a name that is a tree on one side and not on the other
/// comes twice, once per side. The entries wholly inside the bytes both trees start with, or
/// end with, are the same and are skipped unparsed but for the start's boundaries. Fails
/// naming the side whose entries do not parse.
fn diff_entries<'a>(
    o: &'a [u8],
    n: &'a [u8],
    hash_len: usize,
    mut f: impl FnMut(&'a [u8], Option<(ObjectId, Kind)>, Option<(ObjectId, Kind)>),
) -> Result<(), Side> {
    let old = |at| raw_entry(o, at, hash_len).map_err(|Malformed| Side::Old);
    let new = |at| raw_entry(n, at, hash_len).map_err(|Malformed| Side::New);
    let prefix = common_prefix(o, n);
    let mut start = 0;
    while let Some((_, next)) = new(start)? {
        if next > prefix {
            break;
        }
        start = next;
    }
    let suffix = common_suffix(&o[start..], &n[start..]);
    let (mut i, mut j) = (start, start);
    let (mut a, mut b) = (old(i)?, new(j)?);
    while a.is_some() || b.is_some() {
        // Both sides at an entry boundary with the same bytes left: the same entries.
        if o.len() - i == n.len() - j && o.len() - i <= suffix {
            break;
        }
        let order = match (&a, &b) {
            (Some(x), Some(y)) => tree_order(&x.0, &y.0),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, _) => std::cmp::Ordering::Greater,
        };
        let x = a.filter(|_| order.is_le());
        let y = b.filter(|_| order.is_ge());
        let (os, ns) = (x.and_then(|e| e.0.side()), y.and_then(|e| e.0.side()));
        if os != ns {
            f(x.or(y).map_or(&b""[..], |e| e.0.name), os, ns);
        }
        if let Some((_, next)) = x {
            i = next;
            a = old(i)?;
        }
        if let Some((_, next)) = y {
            j = next;
            b = new(j)?;
        }
    }
    Ok(())
}

/// Where [`TreeDiff`] reads trees: straight from the packs where it can, else through the
/// object store.
pub(crate) struct TreeSource<'p> {
    pub objects: Objects,
    pub packs: TreeReader<'p>,
}

/// Tree `id`'s bytes into `buf`; empty for no tree.
fn read_tree(
    source: &mut TreeSource<'_>,
    id: Option<ObjectId>,
    buf: &mut Vec<u8>,
) -> Result<(), EngineError> {
    use gix::objs::Find;
    let Some(id) = id else {
        buf.clear();
        return Ok(());
    };
    if source.packs.read(&id, buf).is_some() {
        return Ok(());
    }
    let (kind, at, len) = match source.objects.try_find(&id, buf) {
        Ok(Some(data)) => (data.kind, data.data.as_ptr() as usize, data.data.len()),
        Ok(None) => return Err(git_error(format!("bad tree {id}: not found"))),
        Err(e) => return Err(git_error(format!("bad tree {id}: {e}"))),
    };
    if kind != gix::object::Kind::Tree {
        return Err(git_error(format!("bad tree {id}: it is a {kind}")));
    }
    // The object is `buf`'s bytes (it borrows `buf`); move it to the start should it sit
    // further in.
    let offset = at.wrapping_sub(buf.as_ptr() as usize);
    if len > 0 && offset != 0 {
        if offset.checked_add(len).is_none_or(|end| end > buf.len()) {
            return Err(git_error(format!("bad tree {id}: unreadable")));
        }
        buf.copy_within(offset..offset + len, 0);
    }
    buf.truncate(len);
    Ok(())
}

/// Decoded trees kept per thread while diffing commits, for the trees read through the object
/// store (those [`TreeReader`] leaves to it: loose, quarantined without a pack, ref deltas):
/// walk order puts a commit next to its parent, so the tree one diff reads as new, the next
/// reads as old.
pub(crate) const TREE_CACHE_BYTES: usize = 4 << 20;

/// Delta bases kept per thread for the trees read through the object store, by size rather
/// than gix's default 64 entries: a root tree's delta base is a root tree of similar size (git
/// packs by name and size), seldom one of the last few read. git/git's tree diffs, two
/// alternating runs: 6.5 and 6.9 s with the default, 5.6 and 5.9 s with 16 MiB (peak RSS 460
/// -> 495 MB; 32 and 64 MiB were no faster).
const TREE_DELTA_CACHE_BYTES: usize = 16 << 20;

/// Commits reachable from `tips` and from none of `hidden`, newest first (by commit time), with
/// their parents and trees. Every listed commit must be readable: a missing one is an error
/// naming it.
pub(crate) fn walk(
    objects: &Objects,
    tips: &[ObjectId],
    hidden: &[ObjectId],
) -> Result<Vec<Node>, EngineError> {
    if tips.is_empty() {
        return Ok(Vec::new());
    }
    let walk = gix::traverse::commit::Simple::new(tips.iter().copied(), objects)
        .sorting(gix::traverse::commit::simple::Sorting::ByCommitTime(
            Default::default(),
        ))
        .and_then(|w| w.hide(hidden.iter().copied()))
        .map_err(|e| git_error(format!("cannot walk the commits: {e}")))?;
    let mut out = Vec::new();
    let mut oldest = i64::MAX;
    for info in walk {
        let info = info.map_err(|e| git_error(format!("cannot walk the commits: {e}")))?;
        let commit = objects.commit(info.id).map_err(git_error)?;
        oldest = oldest.min(commit.committer_time);
        out.push(Node {
            id: info.id,
            parents: commit.parents,
            tree: commit.tree,
        });
    }
    let hidden_ones = reachable_among(objects, hidden, &out, oldest.saturating_sub(SKEW))?;
    out.retain(|n| !hidden_ones.contains(&n.id));
    Ok(out)
}

/// How far (seconds) a commit's time may lie before its child's for [`reachable_among`]:
/// clocks of machines that commit are off by minutes, seldom by a day.
const SKEW: i64 = 24 * 60 * 60;

/// The commits of `nodes` that are ancestors of (or are) one of `hidden`, as far as a walk
/// down from `hidden` that goes no further than commits older than `cutoff` finds them.
///
/// gix's hiding paints down from both sides in commit-time order and stops once every
/// queued commit is known to both; when times are equal or skewed, it can stop before the
/// hidden side's paint reaches a commit the visible side has already passed, and the walk
/// then lists it (the agreement test's seed 174: a merge of a branch whose base is also an
/// ancestor of the hidden tip by a longer path, every commit at the same second; `git
/// rev-list` left it out). Such a commit is found here and taken out. What this leaves in
/// is listed too much, never too little: a hook refuses, at worst, what the server held.
fn reachable_among(
    objects: &Objects,
    hidden: &[ObjectId],
    nodes: &[Node],
    cutoff: i64,
) -> Result<HashSet<ObjectId>, EngineError> {
    let listed: HashSet<ObjectId> = nodes.iter().map(|n| n.id).collect();
    let mut found = HashSet::new();
    if listed.is_empty() {
        return Ok(found);
    }
    let mut seen: HashSet<ObjectId> = hidden.iter().copied().collect();
    let mut stack: Vec<ObjectId> = hidden.to_vec();
    while let Some(id) = stack.pop() {
        if listed.contains(&id) {
            found.insert(id);
        }
        // A hidden tip that is not a commit (a tag of a tree, say) hides nothing more.
        let Ok(commit) = objects.commit(id) else {
            continue;
        };
        if commit.committer_time < cutoff {
            continue;
        }
        for p in commit.parents {
            if seen.insert(p) {
                stack.push(p);
            }
        }
    }
    Ok(found)
}

/// The tree of each parent of `nodes` (the nodes' own trees included), reading the commits the
/// set does not hold.
fn parent_trees(
    objects: &Objects,
    nodes: &[Node],
) -> Result<HashMap<ObjectId, ObjectId>, EngineError> {
    let mut trees: HashMap<ObjectId, ObjectId> = nodes.iter().map(|n| (n.id, n.tree)).collect();
    for n in nodes {
        for p in &n.parents {
            if !trees.contains_key(p) {
                let tree = objects.commit(*p).map_err(git_error)?.tree;
                trees.insert(*p, tree);
            }
        }
    }
    Ok(trees)
}

/// How many blobs one store reads before it is dropped (see [`fresh_store`]). git/git's
/// history with both packs: at 1,024, 17.3 s and 444 MB peak; at 4,096, 15.7 s and 492 MB
/// (every store starts cold); unchunked, 768 MB.
pub(crate) const STORE_CHUNK: usize = 4096;

/// How many commits' tree diffs one store reads before it is dropped: each store starts with
/// cold caches, and at 1,024 commits git/git's tree diffs took twice as long.
pub(crate) const DIFF_CHUNK: usize = 16384;

/// A new object store for the repository of `shared`. Pack pages that a gix store has read
/// stay mapped, and count in the process's resident memory, until the store is dropped:
/// git/git's full history held 414 MB of its 496 MB pack that way at the end. Long passes
/// read each [`STORE_CHUNK`] items through a store of their own, so only the current
/// chunk's pages count. The pages stay in the page cache, so a chunk re-reads what an
/// earlier one touched without I/O. Falls back to `shared`'s store if the repository cannot
/// be opened again.
pub(crate) fn fresh_store(shared: &gix::ThreadSafeRepository) -> gix::ThreadSafeRepository {
    let local = shared.to_thread_local();
    gix::ThreadSafeRepository::open_opts(local.git_dir(), local.open_options().clone())
        .unwrap_or_else(|_| shared.clone())
}

/// Each node's changes against its first parent (in parallel), in node order.
pub(crate) fn first_parent_changes(
    shared: &gix::ThreadSafeRepository,
    nodes: &[Node],
    trees: &HashMap<ObjectId, ObjectId>,
) -> Result<Vec<Vec<Change>>, EngineError> {
    let mut out = Vec::with_capacity(nodes.len());
    let packs = Packs::open(&shared.to_thread_local());
    for chunk in nodes.chunks(DIFF_CHUNK) {
        let store = fresh_store(shared);
        for changes in chunk_changes(&store, &packs, chunk, trees) {
            out.push(changes?);
        }
    }
    Ok(out)
}

/// [`first_parent_changes`] of one chunk, through `shared`'s store.
fn chunk_changes(
    shared: &gix::ThreadSafeRepository,
    packs: &Packs,
    nodes: &[Node],
    trees: &HashMap<ObjectId, ObjectId>,
) -> Vec<Result<Vec<Change>, EngineError>> {
    nodes
        .par_iter()
        .map_init(
            || {
                let mut repo = shared.to_thread_local();
                repo.object_cache_size(TREE_CACHE_BYTES);
                if !delta_cache_configured(&repo) {
                    repo.objects.set_pack_cache(|| {
                        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                            TREE_DELTA_CACHE_BYTES,
                        ))
                    });
                }
                let source = TreeSource {
                    objects: Objects::new(&repo),
                    packs: TreeReader::new(packs),
                };
                (source, TreeDiff::default())
            },
            |(source, tree_diff), node| {
                let parent_tree = match node.parents.first() {
                    None => None,
                    Some(p) => match trees.get(p) {
                        Some(t) => Some(*t),
                        None => Some(source.objects.commit(*p).map_err(git_error)?.tree),
                    },
                };
                let mut out = Vec::new();
                tree_diff.diff(source, parent_tree, Some(node.tree), &mut out)?;
                Ok(out)
            },
        )
        .collect()
}

/// A blob a commit brings to a path that none of its parents had there.
#[derive(Debug, Clone)]
pub(crate) struct Introduction {
    /// Index of the commit in the node list.
    pub commit: usize,
    pub path: Arc<[u8]>,
    pub blob: ObjectId,
    /// The parents' blobs at the same path (the parent side).
    pub parent_side: Vec<ObjectId>,
}

/// Step 3: the introductions of every node, given its first-parent changes. `wanted` decides
/// which new blobs matter (history, which has scanned every blob already, asks only for those
/// with findings; a range asks for all).
pub(crate) fn introductions(
    shared: &gix::ThreadSafeRepository,
    nodes: &[Node],
    changes: &[Vec<Change>],
    trees: &HashMap<ObjectId, ObjectId>,
    wanted: &(dyn Fn(&ObjectId) -> bool + Sync),
) -> Result<Vec<Introduction>, EngineError> {
    let per_commit: Vec<Result<Vec<Introduction>, EngineError>> = nodes
        .par_iter()
        .zip(changes)
        .enumerate()
        .map_init(
            || {
                let mut repo = shared.to_thread_local();
                repo.object_cache_size(TREE_CACHE_BYTES);
                (Objects::new(&repo), Vec::new())
            },
            |(objects, buf), (i, (node, changes))| {
                let mut out = Vec::new();
                'change: for c in changes {
                    let Some(new) = c.new else { continue };
                    if !wanted(&new) {
                        continue;
                    }
                    let mut parent_side: Vec<ObjectId> = c.old.into_iter().collect();
                    if node.parents.len() > 1 {
                        for p in &node.parents[1..] {
                            let tree = trees[p];
                            match entry_at(objects, tree, &c.path, buf)? {
                                Some((id, _)) if id == new => continue 'change,
                                Some((id, Kind::File | Kind::Link)) => parent_side.push(id),
                                _ => {}
                            }
                        }
                    }
                    out.push(Introduction {
                        commit: i,
                        path: Arc::from(c.path.as_slice()),
                        blob: new,
                        parent_side,
                    });
                }
                Ok(out)
            },
        )
        .collect();
    let mut out = Vec::new();
    for r in per_commit {
        out.extend(r?);
    }
    Ok(out)
}

/// The findings of each blob that has any (no path or commit filled in yet).
pub(crate) type BlobFindings = HashMap<ObjectId, Vec<Finding>>;

/// Delta bases kept per thread while reading blobs in delta-chain order: gix's default (96 MiB a
/// thread) took cargo's history to 254 MiB of peak RSS for no measurable speed; 8 MiB gave
/// 234 MiB at the same speed. A `core.deltaBaseCacheLimit` or
/// `gitoxide.core.deltaBaseCacheLimit` in git config still decides.
const DELTA_BASE_CACHE_BYTES: usize = 8 << 20;

/// Whether git config sizes the delta base cache (`core.deltaBaseCacheLimit` or
/// `gitoxide.core.deltaBaseCacheLimit`): then it decides, not the sizes chosen here.
fn delta_cache_configured(repo: &gix::Repository) -> bool {
    [
        "core.deltaBaseCacheLimit",
        "gitoxide.core.deltaBaseCacheLimit",
    ]
    .iter()
    .any(|key| repo.config_snapshot().string(*key).is_some())
}

/// A repository handle for one blob-reading thread.
pub(crate) fn blob_reader(shared: &gix::ThreadSafeRepository) -> gix::Repository {
    let mut repo = shared.to_thread_local();
    if !delta_cache_configured(&repo) {
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::StaticLinkedList::<64>::new(
                DELTA_BASE_CACHE_BYTES,
            ))
        });
    }
    repo
}

/// One blob-version reader per thread of the pool (see [`Versions`]), each used by its
/// thread only: a reader's kept versions are the bases of the deltas that thread reads next.
pub(crate) type VersionReaders<'l> = Vec<std::sync::Mutex<Versions<'l>>>;

/// A reader for every thread of the pool.
pub(crate) fn version_readers(layout: &PackLayout) -> VersionReaders<'_> {
    (0..rayon::current_num_threads())
        .map(|_| std::sync::Mutex::new(Versions::new(layout)))
        .collect()
}

/// The calling thread's reader (never contended: a thread holds only its own).
pub(crate) fn this_threads<'a, 'l>(
    readers: &'a VersionReaders<'l>,
) -> std::sync::MutexGuard<'a, Versions<'l>> {
    let i = rayon::current_thread_index().unwrap_or(0) % readers.len();
    readers[i]
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The paths each blob is seen at (path-limited rules run on a blob when one of its paths
/// selects them).
pub(crate) type BlobPaths = HashMap<ObjectId, Vec<Arc<[u8]>>>;

/// Step 4: scan `blobs` (each once) with `detector`, in the order `layout` gives, on all cores.
/// Only blobs with findings are kept.
pub(crate) fn scan_blobs(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    mut blobs: Vec<ObjectId>,
    paths: &BlobPaths,
    layout: &PackLayout,
) -> Result<BlobFindings, EngineError> {
    blobs.sort_unstable();
    blobs.dedup();
    detector.prepare_for(blobs.len());
    layout.order_blobs(&mut blobs);
    let mut out = HashMap::new();
    let readers = version_readers(layout);
    let scratches = PerThread::new();
    for chunk in blobs.chunks(STORE_CHUNK) {
        let store = fresh_store(shared);
        readers
            .iter()
            .for_each(|r| r.lock().map_or((), |mut r| r.renew()));
        for r in chunk_findings(&store, detector, chunk, paths, &readers, &scratches) {
            if let Some((id, f)) = r? {
                out.insert(id, f);
            }
        }
    }
    Ok(out)
}

type Scanned = Result<Option<(ObjectId, Vec<Finding>)>, EngineError>;

/// [`scan_blobs`] of one chunk, through `shared`'s store.
fn chunk_findings(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    blobs: &[ObjectId],
    paths: &BlobPaths,
    readers: &VersionReaders<'_>,
    scratches: &Scratches,
) -> Vec<Scanned> {
    let objects = PerThread::new();
    blobs
        .par_iter()
        .with_min_len(16)
        .map(|id| {
            with_thread_state(
                shared,
                detector,
                &objects,
                scratches,
                |objects, scratch, buf| {
                    let mut found = Vec::new();
                    let state = (objects, scratch, buf);
                    scan_blob(state, id, detector, (paths, readers), &mut found, |_| {})?;
                    Ok((!found.is_empty()).then_some((*id, found)))
                },
            )
        })
        .collect()
}

/// Each thread's detector scratch and read buffer, kept across a scan's store chunks.
pub(crate) type Scratches = PerThread<(crate::detect::DetectScratch, Vec<u8>)>;

/// `f` with this thread's reader of `shared`'s store (from `objects`, made for one chunk's
/// store) and its scratch (from `scratches`, kept across chunks): one of each per thread, see
/// [`crate::per_thread`].
pub(crate) fn with_thread_state<R>(
    shared: &gix::ThreadSafeRepository,
    detector: &Detector,
    objects: &PerThread<Objects>,
    scratches: &Scratches,
    f: impl FnOnce(&mut Objects, &mut crate::detect::DetectScratch, &mut Vec<u8>) -> R,
) -> R {
    objects.with(
        || Objects::new(&blob_reader(shared)),
        |objects| {
            scratches.with(
                || (detector.scratch(), Vec::new()),
                |(scratch, buf)| f(objects, scratch, buf),
            )
        },
    )
}

/// What scanning one blob told beyond its findings: whether git calls it binary, and its
/// size in bytes.
pub(crate) struct BlobScan {
    pub(crate) binary: bool,
    pub(crate) bytes: usize,
}

/// Scan blob `id` through this thread's version reader ([`this_threads`]: what the gate
/// found in its base is inherited, what it finds kept for its deltas), for the paths `paths`
/// gives it, with one thread's reader, scratch and read buffer: its findings go to `out`, the
/// lines git log -G would count to `pickaxe`. Both the commit-set and the history scans
/// read their blobs so.
pub(crate) fn scan_blob(
    (objects, scratch, buf): (
        &mut Objects,
        &mut crate::detect::DetectScratch,
        &mut Vec<u8>,
    ),
    id: &ObjectId,
    detector: &Detector,
    (paths, readers): (&BlobPaths, &VersionReaders<'_>),
    out: &mut Vec<Finding>,
    pickaxe: impl FnMut(&[u8]),
) -> Result<BlobScan, EngineError> {
    let mut reader = this_threads(readers);
    reader
        .with_version(objects, *id, buf, |data, inherited, keep| {
            let target = Target {
                display: b"",
                repo_path: PathScope::AnyOf(paths.get(id).map_or(&[][..], Vec::as_slice)),
                commit: None,
            };
            let kept = scan_version(
                detector,
                scratch,
                (data, inherited, keep),
                target,
                out,
                pickaxe,
            );
            let scan = BlobScan {
                binary: kept.is_none(),
                bytes: data.len(),
            };
            (scan, kept.flatten())
        })
        .map_err(git_error)
}

/// Scan one blob version from a [`Versions`] reader (`data`, what it inherits, whether to
/// keep what the gate finds): `None` when git calls it binary, else what the gate found when
/// `keep` asks for it.
fn scan_version(
    detector: &Detector,
    scratch: &mut crate::detect::DetectScratch,
    (data, inherited, keep): (&[u8], Option<crate::delta::Inherited<'_>>, bool),
    target: Target<'_>,
    out: &mut Vec<Finding>,
    pickaxe: impl FnMut(&[u8]),
) -> Option<Option<crate::delta::Found>> {
    let text = crate::text::scannable(data)?;
    // Positions inherited from a base, or kept for a delta, are those of the bytes as stored:
    // not of a UTF-16 blob's decoding.
    let as_stored = matches!(text, std::borrow::Cow::Borrowed(_));
    detector.scan_version(
        scratch,
        &text,
        inherited.filter(|_| as_stored),
        target,
        out,
        pickaxe,
    );
    Some((keep && as_stored).then(|| scratch.found()).flatten())
}

/// Whether `f` counts at `path`: its rule applies there and no path-limited allowlist entry
/// of its registry accepts it there.
pub(crate) fn applies_at(detector: &Detector, f: &Finding, path: &[u8]) -> bool {
    match (&f.rule, &detector.rules) {
        (Some(rule), Some(rules)) => {
            rule.applies_to(path) && !rules.allowed_at(rule, f.secret_bytes(), path)
        }
        _ => true,
    }
}

/// What a tree scan reports at `path` of a blob whose findings (every rule that applies at
/// any of its paths) are `found`: those whose rule applies at `path` and that no path-limited
/// allowlist entry accepts there, one per span. Deduplicating before the path's rules are
/// chosen, or after the parent side is compared, can give a span another rule than the tree
/// scan gives it (a line that both `aws.access-key-id` and `generic.dotenv-secret` match).
pub(crate) fn at_path(detector: &Detector, found: &[Finding], path: &[u8]) -> Vec<Finding> {
    crate::dedupe::one_per_span(
        found
            .iter()
            .filter(|f| applies_at(detector, f, path))
            .cloned()
            .collect(),
    )
}

/// Step 5: call `each(i, finding)` for every finding introduction `intros[i]` brings: the
/// blob's findings at the path ([`at_path`]) whose (rule, secret) no parent-side blob of the
/// path holds there.
pub(crate) fn each_introduced(
    detector: &Detector,
    intros: &[Introduction],
    results: &BlobFindings,
    mut each: impl FnMut(usize, &Finding),
) {
    for (i, intro) in intros.iter().enumerate() {
        let Some(found) = results.get(&intro.blob) else {
            continue;
        };
        let path: &[u8] = &intro.path;
        let parent_side: Vec<Finding> = intro
            .parent_side
            .iter()
            .filter_map(|b| results.get(b))
            .flat_map(|found| at_path(detector, found, path))
            .collect();
        let before: HashSet<(Option<&str>, &[u8])> = parent_side.iter().map(identity).collect();
        for f in at_path(detector, found, path) {
            if !before.contains(&identity(&f)) {
                each(i, &f);
            }
        }
    }
}

/// The findings each introduction brings ([`each_introduced`]), in introduction order, with
/// path, commit and author filled in. `display` renders a repository path as printed.
pub(crate) fn attribute(
    detector: &Detector,
    nodes: &[Node],
    meta: &dyn Fn(usize) -> Option<Arc<CommitMeta>>,
    intros: &[Introduction],
    results: &BlobFindings,
    display: &dyn Fn(&[u8]) -> Vec<u8>,
) -> Vec<Finding> {
    let mut out = Vec::new();
    each_introduced(detector, intros, results, |i, f| {
        let intro = &intros[i];
        out.push(Finding {
            commit: Some(nodes[intro.commit].id.to_string()),
            blob: Some(intro.blob.to_string()),
            path: display(&intro.path),
            repo_path: Some(intro.path.to_vec()),
            commit_meta: meta(intro.commit),
            ..f.clone()
        });
    });
    out
}

/// The identity of a finding across blobs: rule and secret.
pub(crate) fn identity(f: &Finding) -> (Option<&str>, &[u8]) {
    (f.rule.as_ref().map(|r| r.id.as_str()), f.secret_bytes())
}

/// Author and date of commit `id` (for machine formats); `None` when it cannot be read.
pub(crate) fn meta_of(objects: &Objects, id: ObjectId) -> Option<Arc<CommitMeta>> {
    objects.commit(id).ok().map(|c| {
        Arc::new(CommitMeta {
            author_name: c.author_name,
            author_email: c.author_email,
            author_time: c.author_time,
        })
    })
}

/// What a commit set adds.
pub(crate) struct Added {
    /// Findings, ordered by commit, then path (tree order) and line.
    pub findings: Vec<Finding>,
    /// Distinct blobs the commits introduce (each read and matched once).
    pub blobs: usize,
}

/// What a range or push adds: the findings of `nodes`' introductions that no parent side
/// already held, ordered by commit (as given), then path in tree order and line. `deadline`: `Ok(None)` when it
/// passes before the scan ends.
pub(crate) fn scan_added(
    repo: &gix::Repository,
    objects: &Objects,
    detector: &Detector,
    nodes: &[Node],
    deadline: Option<std::time::Instant>,
) -> Result<Option<Added>, EngineError> {
    if nodes.is_empty() {
        return Ok(Some(Added {
            findings: Vec::new(),
            blobs: 0,
        }));
    }
    let over = || deadline.is_some_and(|d| std::time::Instant::now() > d);
    let trace = crate::report::Trace::new();
    trace.phase("commits", nodes.len());
    let shared = repo.clone().into_sync();
    let trees = parent_trees(objects, nodes)?;
    trace.phase("parent trees", trees.len());
    let changes = first_parent_changes(&shared, nodes, &trees)?;
    trace.phase("tree diffs", changes.iter().map(Vec::len).sum());
    if over() {
        return Ok(None);
    }
    let intros = introductions(&shared, nodes, &changes, &trees, &|_| true)?;
    trace.phase("introductions", intros.len());
    let new: Vec<ObjectId> = intros.iter().map(|i| i.blob).collect();
    let layout = PackLayout::read_blobs(repo, &new);
    trace.phase("pack layout", 0);
    let mut paths: BlobPaths = HashMap::new();
    for i in &intros {
        for blob in std::iter::once(&i.blob).chain(&i.parent_side) {
            let seen = paths.entry(*blob).or_default();
            if !seen.contains(&i.path) {
                seen.push(i.path.clone());
            }
        }
    }
    let blobs = new.iter().collect::<HashSet<_>>().len();
    let mut results = scan_blobs(&shared, detector, new, &paths, &layout)?;
    trace.phase("blobs scanned", blobs);
    if over() {
        return Ok(None);
    }
    // The parent side matters only where the new side found something.
    let parents: Vec<ObjectId> = intros
        .iter()
        .filter(|i| results.contains_key(&i.blob))
        .flat_map(|i| i.parent_side.iter().copied())
        .filter(|b| !results.contains_key(b))
        .collect();
    results.extend(scan_blobs(&shared, detector, parents, &paths, &layout)?);
    let quote_path = repo
        .config_snapshot()
        .boolean("core.quotePath")
        .unwrap_or(true);
    trace.phase("parent sides scanned", results.len());
    // Authors are read for the commits with findings only: a clean push of 3,321 commits
    // would otherwise read every commit once more.
    let display = |p: &[u8]| crate::quote::c_style(p, quote_path);
    let meta = |i: usize| meta_of(objects, nodes[i].id);
    let findings = attribute(detector, nodes, &meta, &intros, &results, &display);
    Ok((!over()).then_some(Added { findings, blobs }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A tree object's bytes from `(mode, name, oid)` entries, sorted in git's order.
    fn tree_bytes(entries: &mut [(u32, Vec<u8>, [u8; 20])]) -> Vec<u8> {
        entries.sort_by(|a, b| {
            let raw = |e: &(u32, Vec<u8>, [u8; 20])| (e.0, e.1.clone());
            let (x, y) = (raw(a), raw(b));
            tree_order(
                &RawEntry {
                    mode: x.0,
                    name: &x.1,
                    oid: &[],
                },
                &RawEntry {
                    mode: y.0,
                    name: &y.1,
                    oid: &[],
                },
            )
        });
        let mut out = Vec::new();
        for (mode, name, oid) in entries.iter() {
            out.extend(format!("{mode:o} ").bytes());
            out.extend(name);
            out.push(0);
            out.extend(oid);
        }
        out
    }

    type Entry = Option<(ObjectId, Kind)>;

    /// The differing entries by brute force: by name and whether it is a tree.
    fn naive(
        o: &[(u32, Vec<u8>, [u8; 20])],
        n: &[(u32, Vec<u8>, [u8; 20])],
    ) -> Vec<(Vec<u8>, Entry, Entry)> {
        let side = |e: &(u32, Vec<u8>, [u8; 20])| {
            RawEntry {
                mode: e.0,
                name: &e.1,
                oid: &e.2,
            }
            .side()
        };
        let key = |e: &(u32, Vec<u8>, [u8; 20])| (e.1.clone(), e.0 & 0o170000 == 0o040000);
        let mut keys: Vec<(Vec<u8>, bool)> = o.iter().chain(n).map(key).collect();
        keys.sort();
        keys.dedup();
        let mut out = Vec::new();
        for k in keys {
            let os = o.iter().find(|e| key(e) == k).and_then(side);
            let ns = n.iter().find(|e| key(e) == k).and_then(side);
            if os != ns {
                out.push((k.0, os, ns));
            }
        }
        out.sort();
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        /// Skipping the bytes both trees start and end with loses no change and invents
        /// none, whatever bytes the ids hold (spaces and NULs included), for files, links,
        /// subtrees and submodules, changed, added, removed or turned from file to tree.
        #[test]
        fn a_tree_diff_finds_exactly_the_changed_entries(
            names in proptest::collection::btree_set(proptest::collection::vec(proptest::sample::select(b"ab.-_/x".to_vec()).prop_filter("no slash", |b| *b != b'/'), 1..4), 0..40),
            modes in proptest::collection::vec(proptest::sample::select(vec![0o100644u32, 0o100755, 0o120000, 0o40000, 0o160000]), 40),
            oids in proptest::collection::vec(proptest::array::uniform20(proptest::sample::select(vec![0u8, b' ', 1, 7])), 40),
            edits in proptest::collection::vec((0usize..40, 0usize..5, proptest::array::uniform20(proptest::sample::select(vec![0u8, b' ', 2])), 0usize..20), 0..6),
        ) {
            let mut old: Vec<(u32, Vec<u8>, [u8; 20])> = names
                .iter()
                .enumerate()
                .map(|(i, name)| (modes[i], name.clone(), oids[i]))
                .collect();
            let mut new = old.clone();
            for (at, what, oid, byte) in edits {
                if new.is_empty() {
                    new.push((0o100644, b"new".to_vec(), oid));
                    continue;
                }
                let at = at % new.len();
                match what {
                    0 => new[at].2 = oid,
                    // One byte of an id, anywhere in it.
                    4 => new[at].2[byte] ^= 0x20,
                    1 => {
                        new.remove(at);
                    }
                    2 => new[at].0 = if new[at].0 == 0o40000 { 0o100644 } else { 0o40000 },
                    _ => {
                        let mut name = new[at].1.clone();
                        name.push(b'z');
                        if !new.iter().any(|e| e.1 == name) {
                            new.push((0o100644, name, oid));
                        }
                    }
                }
            }
            let (o, n) = (tree_bytes(&mut old), tree_bytes(&mut new));
            let mut got = Vec::new();
            diff_entries(&o, &n, 20, |name, a, b| got.push((name.to_vec(), a, b))).unwrap();
            got.sort();
            prop_assert_eq!(got, naive(&old, &new));
        }
    }

    #[test]
    fn a_malformed_tree_names_its_side() {
        let good = b"100644 a\0aaaaaaaaaaaaaaaaaaaa".to_vec();
        let cut = b"100644 b\0aaaa".to_vec();
        let nomode = b" a\0aaaaaaaaaaaaaaaaaaaa".to_vec();
        let badmode = b"10z644 a\0aaaaaaaaaaaaaaaaaaaa".to_vec();
        assert_eq!(diff_entries(&good, &cut, 20, |_, _, _| {}), Err(Side::New));
        assert_eq!(
            diff_entries(&nomode, &good, 20, |_, _, _| {}),
            Err(Side::Old)
        );
        assert_eq!(
            diff_entries(&good, &badmode, 20, |_, _, _| {}),
            Err(Side::New)
        );
        assert_eq!(diff_entries(&good, &good, 20, |_, _, _| {}), Ok(()));
    }
}
