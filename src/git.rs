//! Object access for range scans and push hooks, including objects that only exist in a
//! pre-receive quarantine.
//!
//! During `pre-receive`, git keeps the pushed objects in a quarantine directory
//! (`GIT_QUARANTINE_PATH`, also `GIT_OBJECT_DIRECTORY`) until the hook accepts them. gix
//! ignores those variables, so a repository opened normally cannot see the commits being
//! pushed. [`Objects`] looks in the quarantine first and then in the repository's own store,
//! and never writes anywhere.

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
}

/// Blobs of a tree by full path: `(path, blob, is_regular_file)`; symlinks have `false`.
pub type TreeBlobs = Vec<(Vec<u8>, ObjectId, bool)>;

impl Objects {
    /// The repository's objects, plus the quarantine when git announces one.
    pub fn new(repo: &gix::Repository) -> Objects {
        let incoming = std::env::var_os("GIT_QUARANTINE_PATH")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .and_then(|p| gix::odb::at(p, repo.object_hash()).ok());
        Objects {
            main: repo.objects.clone(),
            incoming,
        }
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
        Ok(CommitInfo {
            tree: commit.tree(),
            parents: commit.parents().collect(),
            author_name: author.name.to_string(),
            author_email: author.email.to_string(),
            author_time: author.time().map(|t| t.seconds).unwrap_or(0),
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

/// Sort `ids` by where their objects lie in the repository's packs: pack by pack, by
/// offset within a pack; objects in no pack (loose, quarantined) last, by id. Reading in
/// this order inflates each delta base about once (the pack keeps a base near the entries
/// built on it), where id order resolves delta chains again and again.
pub fn sort_by_pack_position(repo: &gix::Repository, ids: &mut [ObjectId]) {
    let mut indices: Vec<gix::odb::pack::index::File> = pack_files(repo)
        .into_iter()
        .filter_map(|(idx, _)| gix::odb::pack::index::File::at(idx, repo.object_hash()).ok())
        .collect();
    // The largest pack first: that is where most history is.
    indices.sort_by_key(|i| std::cmp::Reverse(i.num_objects()));
    let position = |id: &ObjectId| {
        indices
            .iter()
            .enumerate()
            .find_map(|(n, idx)| idx.lookup(id).map(|e| (n, idx.pack_offset_at_index(e))))
            .unwrap_or((usize::MAX, 0))
    };
    ids.sort_by_cached_key(|id| (position(id), *id));
}

/// A commit's committer time (seconds), parents and tree.
pub type CommitLinks = (i64, Vec<ObjectId>, ObjectId);

/// The pack files of the repository's object store: `(index, data)` paths.
fn pack_files(repo: &gix::Repository) -> Vec<(PathBuf, PathBuf)> {
    std::fs::read_dir(repo.objects.store_ref().path().join("pack"))
        .into_iter()
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

/// The links of every commit in the repository's packs, decoded in parallel. A history walk
/// then reads commits from memory instead of inflating each on the walk's single thread.
/// Commits this misses (loose, or in a pack that cannot be read) are for the caller to read
/// as usual.
pub fn packed_commits(repo: &gix::Repository) -> std::collections::HashMap<ObjectId, CommitLinks> {
    use gix::odb::pack::data::entry::Header;
    use rayon::prelude::*;
    let hash = repo.object_hash();
    let shared = repo.clone().into_sync();
    let mut out = std::collections::HashMap::new();
    for (idx, pack) in pack_files(repo) {
        let (Ok(index), Ok(data)) = (
            gix::odb::pack::index::File::at(&idx, hash),
            gix::odb::pack::data::File::at(&pack, hash),
        ) else {
            continue;
        };
        // By offset, a delta's base (at a lower offset) is classified before the delta.
        let mut entries: Vec<(u64, ObjectId)> =
            index.iter().map(|e| (e.pack_offset, e.oid)).collect();
        entries.sort_unstable_by_key(|(offset, _)| *offset);
        let mut commit_at = vec![false; entries.len()];
        let mut commits: Vec<(ObjectId, Option<gix::odb::pack::data::Entry>)> = Vec::new();
        for (i, (offset, id)) in entries.iter().enumerate() {
            let Ok(entry) = data.entry(*offset) else {
                continue;
            };
            let is_commit = match entry.header {
                Header::Commit => true,
                Header::OfsDelta { base_distance } => entries
                    .binary_search_by_key(&offset.saturating_sub(base_distance), |(o, _)| *o)
                    .is_ok_and(|b| commit_at[b]),
                _ => false,
            };
            if is_commit {
                commit_at[i] = true;
                let whole = (entry.header == Header::Commit).then_some(entry);
                commits.push((*id, whole));
            }
        }
        let decoded: Vec<(ObjectId, CommitLinks)> = commits
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
                            links.push((*id, l));
                        }
                    }
                    links
                },
            )
            .flatten()
            .collect();
        out.extend(decoded);
    }
    out
}

/// Committer time, parents and tree of a commit object's bytes.
fn commit_links(data: &[u8], hash: gix::hash::Kind) -> Option<CommitLinks> {
    let mut iter = gix::objs::CommitRefIter::from_bytes(data, hash);
    let tree = iter.tree_id().ok()?;
    let parents = iter.parent_ids().collect();
    let time = iter.committer().ok()?.time().ok()?.seconds;
    Some((time, parents, tree))
}

/// Line numbers (1-based) of `new` that are not carried over from `old`, by a histogram
/// line diff.
pub fn added_lines(old: &[u8], new: &[u8]) -> Vec<u32> {
    use gix::diff::blob::{Algorithm, Diff, InternedInput, sources::byte_lines};
    let input = InternedInput::new(byte_lines(old), byte_lines(new));
    let diff = Diff::compute(Algorithm::Histogram, &input);
    let mut out = Vec::new();
    for hunk in diff.hunks() {
        out.extend(hunk.after.clone().map(|i| i + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_are_new_file_line_numbers() {
        assert_eq!(added_lines(b"a\nb\nc\n", b"a\nX\nb\nc\nY\n"), vec![2, 5]);
        assert_eq!(added_lines(b"", b"a\nb\n"), vec![1, 2]);
        assert!(added_lines(b"a\nb\n", b"a\n").is_empty());
    }
}
