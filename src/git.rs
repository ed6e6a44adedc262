//! Object access for range scans and push hooks, including objects that only exist in a
//! pre-receive quarantine.
//!
//! During `pre-receive`, git keeps the pushed objects in a quarantine directory
//! (`GIT_QUARANTINE_PATH`, also `GIT_OBJECT_DIRECTORY`) until the hook accepts them. gix
//! ignores those variables, so a repository opened normally cannot see the commits being
//! pushed. [`Objects`] looks in the quarantine first and then in the repository's own store,
//! and never writes anywhere.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use gix::ObjectId;
use gix::objs::{Find, FindExt};

/// The object stores to read from.
pub struct Objects {
    main: gix::OdbHandle,
    incoming: Option<gix::odb::Handle>,
}

/// A commit's tree, parents and author.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub tree: ObjectId,
    pub parents: Vec<ObjectId>,
    pub author_name: String,
    pub author_email: String,
    pub author_time: i64,
    /// Seconds since the epoch, as `git rev-list` orders commits.
    pub committer_time: i64,
}

/// Blobs of a tree by full path: `(path, blob, is_regular_file)`; symlinks have `false`.
pub type TreeBlobs = Vec<(Vec<u8>, ObjectId, bool)>;

impl Objects {
    /// The repository's objects, plus the quarantine when git announces one.
    pub fn new(repo: &gix::Repository) -> Objects {
        let incoming = quarantine_path()
            .and_then(|p| gix::odb::at(p, repo.object_hash()).ok())
            .map(|mut odb| {
                // Most lookups ask the quarantine first for an object it lacks (anything
                // older than the push): by default each such miss re-reads its directories for
                // new packs (statx/getdents under realpath: ~45 % of a 35 s hook on a real
                // push of 3,321 commits). Nothing is added to it while the hook runs.
                odb.refresh_never();
                // A push arrives as one pack of deltas: without a cache of recent bases each
                // object would resolve its whole chain again.
                odb.set_pack_cache(|| {
                    Box::<gix::odb::pack::cache::lru::StaticLinkedList<64>>::default()
                });
                odb
            });
        let mut main = repo.objects.clone();
        // A miss in the repository's own store (an object of the quarantine, looked up
        // there by a reader that does not know it) must not re-scan its directories either.
        if incoming.is_some() {
            main.refresh_never();
        }
        Objects { main, incoming }
    }

    /// Whether objects are read from a quarantine as well.
    pub fn has_quarantine(&self) -> bool {
        self.incoming.is_some()
    }

    /// Read commit `id`.
    pub fn commit(&self, id: ObjectId) -> Result<CommitInfo, String> {
        let mut buf = Vec::new();
        let commit = self
            .find_commit(&id, &mut buf)
            .map_err(|e| format!("cannot read commit {id}: {e}"))?;
        let author = commit.author().map_err(|e| format!("commit {id}: {e}"))?;
        let committer = commit
            .committer()
            .map_err(|e| format!("commit {id}: {e}"))?;
        Ok(CommitInfo {
            tree: commit.tree(),
            parents: commit.parents().collect(),
            author_name: author.name.to_string(),
            author_email: author.email.to_string(),
            author_time: author.time().map(|t| t.seconds).unwrap_or(0),
            committer_time: committer.time().map(|t| t.seconds).unwrap_or(0),
        })
    }

    /// Read blob `id`.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>, String> {
        let mut buf = Vec::new();
        self.find_blob(&id, &mut buf)
            .map(|b| b.data.to_vec())
            .map_err(|e| format!("cannot read blob {id}: {e}"))
    }

    /// Call `f` with blob `id`'s data, decoded into `buf` (reused between calls, so scanning
    /// many blobs does not allocate for each).
    pub fn with_blob<R>(
        &self,
        id: ObjectId,
        buf: &mut Vec<u8>,
        f: impl FnOnce(&[u8]) -> R,
    ) -> Result<R, String> {
        self.find_blob(&id, buf)
            .map(|blob| f(blob.data))
            .map_err(|e| format!("cannot read blob {id}: {e}"))
    }

    /// Every regular-file and symlink blob under tree `id`, in path order. Submodules are
    /// skipped.
    pub fn tree_blobs(&self, id: ObjectId) -> Result<TreeBlobs, String> {
        let mut out = Vec::new();
        self.walk(id, &mut Vec::new(), &mut out)?;
        Ok(out)
    }

    fn walk(&self, id: ObjectId, prefix: &mut Vec<u8>, out: &mut TreeBlobs) -> Result<(), String> {
        let mut buf = Vec::new();
        let tree = self
            .find_tree_iter(&id, &mut buf)
            .map_err(|e| format!("cannot read tree {id}: {e}"))?;
        let entries: Vec<(Vec<u8>, gix::objs::tree::EntryMode, ObjectId)> = tree
            .filter_map(Result::ok)
            .map(|e| (e.filename.to_vec(), e.mode, e.oid.to_owned()))
            .collect();
        for (name, mode, oid) in entries {
            let len = prefix.len();
            prefix.extend_from_slice(&name);
            if mode.is_tree() {
                prefix.push(b'/');
                self.walk(oid, prefix, out)?;
            } else if mode.is_blob() || mode.is_link() {
                out.push((prefix.clone(), oid, !mode.is_link()));
            }
            prefix.truncate(len);
        }
        Ok(())
    }
}

impl Find for Objects {
    fn try_find<'a>(
        &self,
        id: &gix::oid,
        buffer: &'a mut Vec<u8>,
    ) -> gix::Result<Option<gix::objs::Data<'a>>> {
        if let Some(incoming) = &self.incoming
            && gix::objs::Exists::exists(incoming, id)
        {
            return incoming.try_find(id, buffer);
        }
        self.main.try_find(id, buffer)
    }
}

/// A commit's committer time (seconds), parents and tree.
pub type CommitLinks = (i64, Vec<ObjectId>, ObjectId);

/// The pre-receive quarantine, when git announces one.
fn quarantine_path() -> Option<PathBuf> {
    std::env::var_os("GIT_QUARANTINE_PATH")
        .map(PathBuf::from)
        .filter(|p| p.is_dir())
}

/// The pack files of the repository's object store: `(index, data)` paths.
/// During pre-receive, the quarantine's packs (what the push brings) come first.
fn pack_files(repo: &gix::Repository) -> Vec<(PathBuf, PathBuf)> {
    let quarantine = quarantine_path().map(|q| q.join("pack"));
    quarantine
        .into_iter()
        .chain(std::iter::once(
            repo.objects.store_ref().path().join("pack"),
        ))
        .flat_map(std::fs::read_dir)
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "idx"))
        .map(|idx| {
            let pack = idx.with_extension("pack");
            (idx, pack)
        })
        .filter(|(_, pack)| pack.is_file())
        .collect()
}

/// Bytes of a pack read through one mapping in [`PackLayout::read`]'s pass over its headers.
const HEADER_WINDOW: u64 = 32 << 20;

/// What a history scan learns from one pass over the entry headers of the repository's packs.
pub struct PackLayout {
    /// The links of every commit in the packs, decoded in parallel: a history walk then reads
    /// commits from memory instead of inflating each on the walk's single thread. Commits
    /// missing here (loose, or in a pack that cannot be read) are for the walk to read.
    pub commits: HashMap<ObjectId, CommitLinks>,
    /// The messages of those commits, as many as 64 MB hold: a history's
    /// scan of messages then inflates no commit a second time (on cargo's history, reading
    /// its 34,473 commits again was 5 % of the instructions).
    pub messages: HashMap<ObjectId, Vec<u8>>,
    /// The packs read, their data files mapped by [`Versions`] for each chunk of blobs.
    packs: Packs,
    /// Per pack (in `packs`' order), the delta chains its blobs form.
    blob_chains: Vec<BlobChains>,
}

/// The blobs of one pack as a forest: each delta hangs under its base.
struct BlobChains {
    /// Blob deltas: offset, and its base's offset.
    base_of: OffsetMap<u64>,
    /// The offsets that are some blob delta's base: the versions worth keeping.
    bases: OffsetSet,
}

/// Pack offsets (distinct per pack) hashed by [`crate::hashing::MixHasher`].
type OffsetMap<V> = HashMap<u64, V, crate::hashing::Mix>;
type OffsetSet = HashSet<u64, crate::hashing::Mix>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Commit,
    Blob,
    Other,
}

impl PackLayout {
    /// Read the layout of the repository's packs (the largest first: that is where most
    /// history is). Entries are classified in offset order, so a delta's base (at a lower
    /// offset) is classified before the delta.
    pub fn read(repo: &gix::Repository) -> PackLayout {
        Self::read_with(repo, true, None)
    }

    /// The blobs' delta chains only, of the packs that hold one of `wanted`: a range scan
    /// reads its few commits itself rather than decoding every commit of the packs, and a
    /// push's blobs are all in the quarantine's pack (reading the headers of cargo's 233,478
    /// objects for nothing took 0.12 s of a 3,321-commit push).
    pub fn read_blobs(repo: &gix::Repository, wanted: &[ObjectId]) -> PackLayout {
        Self::read_with(repo, false, Some(wanted))
    }

    fn read_with(
        repo: &gix::Repository,
        with_commits: bool,
        wanted: Option<&[ObjectId]>,
    ) -> PackLayout {
        use gix::odb::pack::data::entry::Header;
        let hash = repo.object_hash();
        let mut packs: Vec<_> = pack_files(repo)
            .into_iter()
            .filter_map(|(idx, pack)| {
                Some((
                    gix::odb::pack::index::File::at(idx, hash).ok()?,
                    gix::odb::pack::data::File::at(pack, hash).ok()?,
                ))
            })
            .filter(|(index, _)| {
                wanted.is_none_or(|w| w.iter().any(|id| index.lookup(id).is_some()))
            })
            .collect();
        packs.sort_by_key(|(index, _)| std::cmp::Reverse(index.num_objects()));
        let mut layout = PackLayout {
            commits: HashMap::new(),
            messages: HashMap::new(),
            packs: Packs { list: Vec::new() },
            blob_chains: Vec::new(),
        };
        let shared = repo.clone().into_sync();
        let budget = std::sync::atomic::AtomicUsize::new(KEPT_MESSAGES);
        for (index, data) in packs {
            let mut entries: Vec<(u64, ObjectId)> =
                index.iter().map(|e| (e.pack_offset, e.oid)).collect();
            {
                use rayon::slice::ParallelSliceMut;
                entries.par_sort_unstable_by_key(|(offset, _)| *offset);
            }
            let mut kinds = vec![EntryKind::Other; entries.len()];
            let mut commits: Vec<(ObjectId, Option<gix::odb::pack::data::Entry>)> = Vec::new();
            let mut base_of = OffsetMap::default();
            // Headers are read through a mapping of the pack renewed every HEADER_WINDOW
            // bytes: every page read through one mapping stays resident until it is dropped,
            // and this pass touches them all (git/git: 520 MB, the scan's peak).
            let mut window: Option<(u64, gix::odb::pack::data::File)> = None;
            for (i, (offset, id)) in entries.iter().enumerate() {
                if window
                    .as_ref()
                    .is_none_or(|(start, _)| offset - start > HEADER_WINDOW)
                {
                    window = gix::odb::pack::data::File::at(data.path(), hash)
                        .ok()
                        .map(|f| (*offset, f));
                }
                let Some((_, view)) = &window else { continue };
                let Ok(entry) = view.entry(*offset) else {
                    continue;
                };
                let (kind, base) = match entry.header {
                    Header::Commit => (EntryKind::Commit, None),
                    Header::Blob => (EntryKind::Blob, None),
                    Header::OfsDelta { base_distance } => {
                        let base = offset.saturating_sub(base_distance);
                        let kind = entries
                            .binary_search_by_key(&base, |(o, _)| *o)
                            .map_or(EntryKind::Other, |b| kinds[b]);
                        (kind, Some(base))
                    }
                    _ => (EntryKind::Other, None),
                };
                kinds[i] = kind;
                match kind {
                    EntryKind::Commit => commits.push((*id, base.is_none().then_some(entry))),
                    EntryKind::Blob => {
                        if let Some(base) = base {
                            base_of.insert(*offset, base);
                        }
                    }
                    EntryKind::Other => {}
                }
            }
            if with_commits {
                for (id, links, message) in decode_commits(&shared, &data, &commits, hash, &budget)
                {
                    layout.commits.insert(id, links);
                    if let Some(message) = message {
                        layout.messages.insert(id, message);
                    }
                }
            }
            let bases = base_of.values().copied().collect();
            layout.packs.list.push((index, data.path().to_owned()));
            layout.blob_chains.push(BlobChains { base_of, bases });
        }
        layout
    }

    /// Order `ids` so that reading them in turn resolves each delta from a base read just
    /// before: pack by pack, every delta chain is walked from its whole blob through the
    /// deltas built on it, depth first, and the wanted blobs are listed in that visiting
    /// order. A reader with a small cache of recent objects then inflates each delta about
    /// once (cargo's history: 9.5 CPU s instead of 11-13 in plain pack order, where the base
    /// is often long evicted). Objects in no pack (loose, quarantined) come last, by id.
    pub fn order_blobs(&self, ids: &mut Vec<ObjectId>) {
        let mut rest = std::mem::take(ids);
        let mut ordered = Vec::with_capacity(rest.len());
        for ((index, _), chains) in self.packs.list.iter().zip(&self.blob_chains) {
            let mut wanted: OffsetMap<ObjectId> = OffsetMap::default();
            rest.retain(|id| match index.lookup(id) {
                Some(e) => {
                    wanted.insert(index.pack_offset_at_index(e), *id);
                    false
                }
                None => true,
            });
            // The wanted blobs and the bases their chains go through.
            let mut children: OffsetMap<Vec<u64>> = OffsetMap::default();
            let mut roots = Vec::new();
            let mut seen = OffsetSet::default();
            let mut pending: Vec<u64> = wanted.keys().copied().collect();
            while let Some(offset) = pending.pop() {
                if !seen.insert(offset) {
                    continue;
                }
                match chains.base_of.get(&offset) {
                    Some(&base) => {
                        children.entry(base).or_default().push(offset);
                        pending.push(base);
                    }
                    None => roots.push(offset),
                }
            }
            roots.sort_unstable();
            children.values_mut().for_each(|c| c.sort_unstable());
            let mut visited = OffsetSet::with_capacity_and_hasher(seen.len(), Default::default());
            let mut stack: Vec<u64> = roots.into_iter().rev().collect();
            while let Some(offset) = stack.pop() {
                if !visited.insert(offset) {
                    continue;
                }
                ordered.extend(wanted.get(&offset));
                if let Some(kids) = children.get(&offset) {
                    stack.extend(kids.iter().rev());
                }
            }
            // Whatever no root leads to (a damaged pack) is still read, and fails there
            // naming itself.
            let mut unvisited: Vec<(u64, ObjectId)> = wanted
                .into_iter()
                .filter(|(offset, _)| !visited.contains(offset))
                .collect();
            unvisited.sort_unstable();
            ordered.extend(unvisited.into_iter().map(|(_, id)| id));
        }
        rest.sort_unstable();
        ordered.extend(rest);
        *ids = ordered;
    }
}

/// Bytes of blob versions a [`Versions`] keeps for the deltas still to come. In delta-chain
/// order a base is mostly read just before its deltas: cargo's history took the same time
/// with 2 MB as with 32 MB a thread, whose peak memory grew from 162 MB to 240 MB; git/git's
/// was fastest at 4 MB (14.2 s, 367 MB; 16 MB: 14.8 s, 398 MB).
const KEPT_BYTES: usize = 4 << 20;

/// A blob version kept as the base of deltas still to read.
struct Kept {
    pack: usize,
    offset: u64,
    data: Vec<u8>,
    /// What the scan found in it (when the literal gate searched it).
    found: Option<crate::delta::Found>,
    used: u64,
}

/// One thread's reader of blob versions in [`PackLayout::order_blobs`]'s order. It applies a
/// delta to a base it kept itself, so the scan of the version can inherit what it found in
/// the base (`crate::delta`); anything else (whole blobs aside) is read through the object
/// store as before.
pub struct Versions<'l> {
    layout: &'l PackLayout,
    /// Each pack's data, mapped anew for each chunk of blobs (see [`Versions::renew`]).
    packs: Vec<Option<gix::odb::pack::data::File>>,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
    copies: Vec<crate::delta::Copy>,
    kept: Vec<Kept>,
    kept_bytes: usize,
    clock: u64,
}

impl<'l> Versions<'l> {
    pub fn new(layout: &'l PackLayout) -> Versions<'l> {
        Versions {
            layout,
            packs: Vec::new(),
            inflate: Default::default(),
            delta: Vec::new(),
            copies: Vec::new(),
            kept: Vec::new(),
            kept_bytes: 0,
            clock: 0,
        }
    }

    /// Drop the packs' mappings: every page read through one stays resident until it is
    /// dropped (see `crate::commits::fresh_store`); the next read maps the pack again.
    pub fn renew(&mut self) {
        self.packs.clear();
    }

    /// Call `f(data, inherited, keep)` with blob `id`: `inherited` is there when the blob
    /// is a delta of a version this reader kept, and `keep` says that deltas still to come
    /// are built on it, so `f` should return what the gate found in it (or `None`).
    pub fn with_version<R>(
        &mut self,
        objects: &Objects,
        id: ObjectId,
        buf: &mut Vec<u8>,
        f: impl FnOnce(
            &[u8],
            Option<crate::delta::Inherited<'_>>,
            bool,
        ) -> (R, Option<crate::delta::Found>),
    ) -> Result<R, String> {
        let Some((pack, offset)) = self.layout.packs.locate(&id) else {
            return objects.with_blob(id, buf, |data| f(data, None, false).0);
        };
        let keep = self.layout.blob_chains[pack].bases.contains(&offset);
        let base = match self.read_direct(pack, offset, buf) {
            Some(base) => base,
            None => {
                // Through the object store, which resolves the whole chain itself.
                let (r, found) = objects.with_blob(id, buf, |data| f(data, None, keep))?;
                if keep {
                    self.keep(pack, offset, buf, found);
                }
                return Ok(r);
            }
        };
        let inherited = base.and_then(|k| {
            self.kept[k]
                .found
                .as_ref()
                .map(|found| crate::delta::Inherited {
                    occurrences: &found.occurrences,
                    hits: &found.hits,
                    copies: &self.copies,
                })
        });
        let (r, found) = f(buf, inherited, keep);
        if keep {
            self.keep(pack, offset, buf, found);
        }
        Ok(r)
    }

    /// Decode the entry at `offset` of `pack` into `buf` when it is a whole blob (`Some(None)`)
    /// or a delta of a kept version (`Some(Some(kept index))`, its runs in `self.copies`);
    /// `None` when the object store must read it.
    fn read_direct(
        &mut self,
        pack: usize,
        offset: u64,
        buf: &mut Vec<u8>,
    ) -> Option<Option<usize>> {
        use gix::odb::pack::data::entry::Header;
        if self.packs.is_empty() {
            self.packs = self.layout.packs.map_data();
        }
        let data = self.packs[pack].as_ref()?;
        let entry = data.entry(offset).ok()?;
        let size = usize::try_from(entry.decompressed_size).ok()?;
        match entry.header {
            Header::Blob => {
                buf.resize(size, 0);
                data.decompress_entry(&entry, &mut self.inflate, buf).ok()?;
                Some(None)
            }
            Header::OfsDelta { base_distance } => {
                let base_offset = offset.checked_sub(base_distance)?;
                let k = self
                    .kept
                    .iter()
                    .position(|k| k.pack == pack && k.offset == base_offset)?;
                self.delta.resize(size, 0);
                data.decompress_entry(&entry, &mut self.inflate, &mut self.delta)
                    .ok()?;
                crate::delta::apply(&self.kept[k].data, &self.delta, buf, &mut self.copies).ok()?;
                self.clock += 1;
                self.kept[k].used = self.clock;
                Some(Some(k))
            }
            _ => None,
        }
    }

    /// Keep `data` for the deltas built on it, dropping the least recently used versions
    /// beyond [`KEPT_BYTES`].
    fn keep(&mut self, pack: usize, offset: u64, data: &[u8], found: Option<crate::delta::Found>) {
        if data.len() > KEPT_BYTES / 4 {
            return;
        }
        self.clock += 1;
        self.kept_bytes += data.len();
        self.kept.push(Kept {
            pack,
            offset,
            data: data.to_vec(),
            found,
            used: self.clock,
        });
        while self.kept_bytes > KEPT_BYTES {
            let Some(oldest) = (0..self.kept.len()).min_by_key(|&i| self.kept[i].used) else {
                break;
            };
            let gone = self.kept.swap_remove(oldest);
            self.kept_bytes -= gone.data.len();
        }
    }
}

/// Bytes of commit messages a [`PackLayout`] keeps: cargo's 34,473 messages are 7 MB; a
/// history of millions of commits reads the rest again.
const KEPT_MESSAGES: usize = 64 << 20;

/// Decode `commits` of a pack (whole entries inflated directly, deltas resolved through the
/// object store) in parallel, with their messages while `budget` bytes are left.
fn decode_commits(
    shared: &gix::ThreadSafeRepository,
    data: &gix::odb::pack::data::File,
    commits: &[(ObjectId, Option<gix::odb::pack::data::Entry>)],
    hash: gix::hash::Kind,
    budget: &std::sync::atomic::AtomicUsize,
) -> Vec<(ObjectId, CommitLinks, Option<Vec<u8>>)> {
    use rayon::prelude::*;
    commits
        .par_chunks(256)
        .map_init(
            || (gix::zlib::Inflate::default(), Vec::new(), None),
            |(inflate, buf, objects), chunk| {
                let mut links = Vec::new();
                for (id, whole) in chunk {
                    let bytes = match whole {
                        Some(entry) => {
                            let Ok(size) = usize::try_from(entry.decompressed_size) else {
                                continue;
                            };
                            buf.resize(size, 0);
                            if data.decompress_entry(entry, inflate, buf).is_err() {
                                continue;
                            }
                            &buf[..]
                        }
                        None => {
                            let objects = objects
                                .get_or_insert_with(|| Objects::new(&shared.to_thread_local()));
                            match objects.try_find(id, buf) {
                                Ok(Some(o)) if o.kind == gix::object::Kind::Commit => o.data,
                                _ => continue,
                            }
                        }
                    };
                    if let Some(l) = commit_links(bytes, hash) {
                        links.push((*id, l, kept_message(bytes, hash, budget)));
                    }
                }
                links
            },
        )
        .flatten()
        .collect()
}

/// A commit's message (as [`gix::objs::CommitRef`] reads it) while `budget` has room for it.
fn kept_message(
    data: &[u8],
    hash: gix::hash::Kind,
    budget: &std::sync::atomic::AtomicUsize,
) -> Option<Vec<u8>> {
    use std::sync::atomic::Ordering::Relaxed;
    let message = gix::objs::CommitRef::from_bytes(data, hash).ok()?.message;
    budget
        .fetch_update(Relaxed, Relaxed, |left| left.checked_sub(message.len()))
        .ok()?;
    Some(message.to_vec())
}

/// Committer time, parents and tree of a commit object's bytes.
fn commit_links(data: &[u8], hash: gix::hash::Kind) -> Option<CommitLinks> {
    let mut iter = gix::objs::CommitRefIter::from_bytes(data, hash);
    let tree = iter.tree_id().ok()?;
    let parents = iter.parent_ids().collect();
    let time = iter.committer().ok()?.time().ok()?.seconds;
    Some((time, parents, tree))
}

/// The repository's packs (the quarantine's first), their indexes opened once, for readers
/// that resolve deltas themselves.
pub struct Packs {
    list: Vec<(gix::odb::pack::index::File, PathBuf)>,
}

impl Packs {
    pub fn open(repo: &gix::Repository) -> Packs {
        let hash = repo.object_hash();
        let list = pack_files(repo)
            .into_iter()
            .filter_map(|(idx, pack)| {
                Some((gix::odb::pack::index::File::at(idx, hash).ok()?, pack))
            })
            .collect();
        Packs { list }
    }

    /// Each pack's data, mapped anew (`None` for one that cannot be mapped).
    fn map_data(&self) -> Vec<Option<gix::odb::pack::data::File>> {
        self.list
            .iter()
            .map(|(index, path)| gix::odb::pack::data::File::at(path, index.object_hash()).ok())
            .collect()
    }

    /// The pack (its position in the list) and offset of `id`, when a pack holds it.
    fn locate(&self, id: &ObjectId) -> Option<(usize, u64)> {
        self.list.iter().enumerate().find_map(|(i, (index, _))| {
            let e = index.lookup(id)?;
            Some((i, index.pack_offset_at_index(e)))
        })
    }
}

/// Bytes of resolved trees one [`TreeReader`] keeps. A tree's delta base is another version
/// of the same directory of similar size (git packs by name and size, chains up to 50 deep,
/// git/git's trees 12 deep on average), seldom one of the last few read.
const TREES_KEPT_BYTES: usize = 16 << 20;

/// The longest delta chain a [`TreeReader`] follows before leaving the object to the object
/// store (git's default `pack.depth` is 50; 4095 is its maximum).
const MAX_CHAIN: usize = 4096;

/// One thread's reader of trees straight from the packs. It keeps every tree it resolves,
/// the bases along a delta chain included, where gix's pack cache keeps only the object asked
/// for: reading git/git's 167,745 trees for its 85,361 tree diffs, gix inflated 750,000
/// entries, 4.5 for each tree in the packs, and inflating was 80 % of reading trees. Anything
/// a pack does not hold as a tree or a chain of offset deltas to one is left to the object
/// store (`None`).
pub struct TreeReader<'p> {
    packs: &'p Packs,
    files: Vec<Option<gix::odb::pack::data::File>>,
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
    spare: Vec<u8>,
    copies: Vec<crate::delta::Copy>,
    chain: Vec<(u64, gix::odb::pack::data::Entry)>,
    kept: KeptTrees,
}

/// Resolved trees by pack and offset, the least recently used dropped first.
#[derive(Default)]
struct KeptTrees {
    trees: HashMap<(usize, u64), (Vec<u8>, u64)>,
    order: std::collections::BTreeMap<u64, (usize, u64)>,
    bytes: usize,
    clock: u64,
}

impl<'p> TreeReader<'p> {
    pub fn new(packs: &'p Packs) -> TreeReader<'p> {
        TreeReader {
            packs,
            files: Vec::new(),
            inflate: Default::default(),
            delta: Vec::new(),
            spare: Vec::new(),
            copies: Vec::new(),
            chain: Vec::new(),
            kept: KeptTrees::default(),
        }
    }

    /// Tree `id`'s bytes into `buf`, when a pack holds it in a form this reader resolves.
    pub fn read(&mut self, id: &ObjectId, buf: &mut Vec<u8>) -> Option<()> {
        use gix::odb::pack::data::entry::Header;
        let (pack, offset) = self.packs.locate(id)?;
        if self.files.is_empty() {
            self.files = self.packs.map_data();
        }
        let file = self.files[pack].as_ref()?;
        // Back along the chain to a tree kept or stored whole.
        self.chain.clear();
        let mut at = offset;
        loop {
            if self.kept.copy(pack, at, buf) {
                break;
            }
            let entry = file.entry(at).ok()?;
            match entry.header {
                Header::Tree => {
                    buf.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
                    file.decompress_entry(&entry, &mut self.inflate, buf).ok()?;
                    self.kept.keep(pack, at, buf);
                    break;
                }
                Header::OfsDelta { base_distance } if self.chain.len() < MAX_CHAIN => {
                    let base = at.checked_sub(base_distance)?;
                    self.chain.push((at, entry));
                    at = base;
                }
                _ => return None,
            }
        }
        // Forward again, applying each delta to the tree before it.
        while let Some((at, entry)) = self.chain.pop() {
            self.delta
                .resize(usize::try_from(entry.decompressed_size).ok()?, 0);
            file.decompress_entry(&entry, &mut self.inflate, &mut self.delta)
                .ok()?;
            crate::delta::apply(buf, &self.delta, &mut self.spare, &mut self.copies).ok()?;
            std::mem::swap(buf, &mut self.spare);
            self.kept.keep(pack, at, buf);
        }
        Some(())
    }
}

impl KeptTrees {
    /// The tree kept at `offset` of `pack` into `buf`, when there is one.
    fn copy(&mut self, pack: usize, offset: u64, buf: &mut Vec<u8>) -> bool {
        let Some((data, used)) = self.trees.get_mut(&(pack, offset)) else {
            return false;
        };
        buf.clear();
        buf.extend_from_slice(data);
        self.clock += 1;
        self.order.remove(used);
        *used = self.clock;
        self.order.insert(self.clock, (pack, offset));
        true
    }

    /// Keep `data`, dropping the least recently used trees beyond [`TREES_KEPT_BYTES`].
    fn keep(&mut self, pack: usize, offset: u64, data: &[u8]) {
        if data.len() > TREES_KEPT_BYTES / 4 {
            return;
        }
        self.clock += 1;
        self.bytes += data.len();
        if let Some((old, used)) = self
            .trees
            .insert((pack, offset), (data.to_vec(), self.clock))
        {
            self.bytes -= old.len();
            self.order.remove(&used);
        }
        self.order.insert(self.clock, (pack, offset));
        while self.bytes > TREES_KEPT_BYTES {
            let Some((_, key)) = self.order.pop_first() else {
                break;
            };
            if let Some((gone, _)) = self.trees.remove(&key) {
                self.bytes -= gone.len();
            }
        }
    }
}
