//! Sources of content and the scans upstream runs over them.
//!
//! * file mode (`--scan FILE...`): upstream's `grep -d skip|recurse -nwHEI`;
//! * git mode (`--scan`, `--cached`, `--untracked`, `--no-index`, the pre-commit hook):
//!   upstream's `git grep -nwHEI`, read natively from the index, the object store and the
//!   work tree.
//!
//! Each produces [`Finding`]s in the engine's order, or an [`EngineError`] carrying the text
//! and exit code grep or git would have produced.

use std::ffi::OsString;
use std::io::Read;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use bstr::{BStr, ByteSlice};

pub use crate::detect::Finding;
use crate::detect::{DetectScratch, Detector, Target};
use crate::quote;

/// A scan that could not run. The report layer prints [`EngineError::message`] and the
/// process exits with [`EngineError::code`]; what a caller must tell apart is a variant, set
/// where the error is made, never read back out of the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineError {
    /// The message grep, git or we print (each line ends in a newline), and the exit code.
    Said { message: String, code: u8 },
    /// `git grep` refused the prohibited patterns: it names their `|`-joined list and glibc's
    /// reason, and exits 128.
    GitPatterns {
        joined: bstr::BString,
        reason: String,
    },
    /// Upstream's `--scan-history` ran `git log -G` first, which refuses the same list with
    /// its own line before `git grep`'s.
    LogPatterns {
        joined: bstr::BString,
        reason: String,
    },
}

impl EngineError {
    fn git(message: String) -> EngineError {
        EngineError::Said { message, code: 128 }
    }

    /// The text for stderr, every line ending in a newline.
    pub fn message(&self) -> String {
        match self {
            EngineError::Said { message, .. } => message.clone(),
            EngineError::GitPatterns { joined, reason } => {
                format!("fatal: command line, '{joined}': {reason}\n")
            }
            EngineError::LogPatterns { joined, reason } => format!(
                "fatal: invalid regex: {reason}\nfatal: command line, '{joined}': {reason}\n"
            ),
        }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            EngineError::Said { code, .. } => *code,
            EngineError::GitPatterns { .. } | EngineError::LogPatterns { .. } => 128,
        }
    }

    /// The error as `--scan-history` reports it: `git log -G` complains before `git grep`.
    pub fn in_history(self) -> EngineError {
        match self {
            EngineError::GitPatterns { joined, reason } => {
                EngineError::LogPatterns { joined, reason }
            }
            other => other,
        }
    }
}

/// GNU grep reads 96 KiB first and skips the file as binary (`-I`) when that holds a NUL.
const GREP_FIRST_BUFFER: usize = 96 * 1024;

pub use crate::text::git_is_binary;

/// File mode: `grep -d skip|recurse -nwHEI <patterns> <files...>` in the C locale.
///
/// Returns the findings and whether any file counted as matching; errors are printed as grep
/// would print them and turn the result into exit status 2 (upstream then shows no findings).
pub fn file_mode(
    detector: &Detector,
    files: &[OsString],
    recursive: bool,
) -> Result<Vec<Finding>, EngineError> {
    let mut scratch = detector.scratch();
    let mut findings = Vec::new();
    let mut errors = String::new();
    for file in files {
        if file.as_bytes() == b"-" {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
                errors.push_str(&format!("grep: (standard input): {}\n", io_message(&e)));
                continue;
            }
            grep_buffer(
                detector,
                &mut scratch,
                &buf,
                b"(standard input)",
                &mut findings,
            );
            continue;
        }
        let path = Path::new(file);
        match std::fs::metadata(path) {
            Err(e) => errors.push_str(&format!("grep: {}: {}\n", path.display(), io_message(&e))),
            Ok(meta) if meta.is_dir() => {
                if recursive {
                    walk_readdir(
                        detector,
                        &mut scratch,
                        path.as_os_str().as_bytes(),
                        &mut findings,
                        &mut errors,
                    );
                }
            }
            Ok(_) => grep_file(
                detector,
                &mut scratch,
                path,
                file.as_bytes(),
                &mut findings,
                &mut errors,
            ),
        }
    }
    if errors.is_empty() {
        Ok(findings)
    } else {
        Err(EngineError::Said {
            message: errors,
            code: 2,
        })
    }
}

/// `grep -r`: directories in readdir order (as GNU grep's fts walk does), symlinks met on the
/// way not followed, `.git` directories pruned (upstream reported `.git/config` lines).
fn walk_readdir(
    detector: &Detector,
    scratch: &mut DetectScratch,
    dir: &[u8],
    findings: &mut Vec<Finding>,
    errors: &mut String,
) {
    let entries = match std::fs::read_dir(Path::new(std::ffi::OsStr::from_bytes(dir))) {
        Ok(e) => e,
        Err(e) => {
            errors.push_str(&format!("grep: {}: {}\n", dir.as_bstr(), io_message(&e)));
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let mut display = dir.to_vec();
        if !display.ends_with(b"/") {
            display.push(b'/');
        }
        display.extend_from_slice(name.as_bytes());
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            if name.as_bytes() == b".git" {
                continue;
            }
            walk_readdir(detector, scratch, &display, findings, errors);
        } else if kind.is_file() {
            let path = PathBuf::from(OsString::from_vec(display.clone()));
            grep_file(detector, scratch, &path, &display, findings, errors);
        }
    }
}

fn grep_file(
    detector: &Detector,
    scratch: &mut DetectScratch,
    path: &Path,
    display: &[u8],
    findings: &mut Vec<Finding>,
    errors: &mut String,
) {
    match std::fs::read(path) {
        Ok(buf) => grep_buffer(detector, scratch, &buf, display, findings),
        Err(e) => errors.push_str(&format!(
            "grep: {}: {}\n",
            display.as_bstr(),
            io_message(&e)
        )),
    }
}

/// GNU grep's `-I`: a NUL in the first buffer skips the file; a later NUL ends the file's
/// output there (lines before it in earlier buffers were already printed).
fn grep_buffer(
    detector: &Detector,
    scratch: &mut DetectScratch,
    buf: &[u8],
    display: &[u8],
    findings: &mut Vec<Finding>,
) {
    // UTF-16 text is decoded (crate::text) and scanned whole: a U+0000 in it is a character,
    // not grep's sign of a binary file, as in git's modes.
    let decoded = crate::text::decode_utf16(buf);
    let searchable = match (&decoded, memchr::memchr(0, buf)) {
        (Some(text), _) => text.as_slice(),
        (None, Some(nul)) if nul < GREP_FIRST_BUFFER => return,
        (None, Some(nul)) => &buf[..nul - nul % GREP_FIRST_BUFFER],
        (None, None) => buf,
    };
    let target = Target {
        display,
        repo_path: crate::rules::PathScope::At(display),
        commit: None,
    };
    detector.scan(scratch, searchable, target, findings);
}

pub use crate::note::io_message;

/// Which content git mode reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitSource {
    /// Tracked files, work-tree content (plain `git grep`).
    Worktree,
    /// Index blobs (`--cached`).
    Cached,
    /// Tracked and untracked, not ignored (`--untracked`).
    Untracked,
    /// Every file under the current directory, ignored ones too (`--no-index`).
    NoIndex,
}

/// Git-mode state shared by the work-tree, index and pre-commit scans.
pub struct GitScan<'r> {
    /// `None` for `--no-index` outside a repository.
    repo: Option<&'r gix::Repository>,
    workdir: PathBuf,
    /// The current directory relative to the work tree root, `/`-terminated or empty.
    prefix: Vec<u8>,
    quote_path: bool,
    /// `.gitattributes` apply to paths relative to the work tree root (not in `--no-index`).
    use_attributes: bool,
    attributes: Option<gix::AttributeStack<'r>>,
}

impl<'r> GitScan<'r> {
    /// Prepare a git-mode scan; fails as `git grep` does outside a work tree.
    pub fn new(repo: &'r gix::Repository) -> Result<GitScan<'r>, EngineError> {
        let workdir = repo
            .workdir()
            .ok_or_else(|| {
                EngineError::git("fatal: this operation must be run in a work tree\n".into())
            })?
            .to_path_buf();
        let prefix = match repo.prefix() {
            Ok(Some(p)) if !p.as_os_str().is_empty() => {
                let mut v = p.as_os_str().as_bytes().to_vec();
                if !v.ends_with(b"/") {
                    v.push(b'/');
                }
                v
            }
            _ => Vec::new(),
        };
        let quote_path = repo
            .config_snapshot()
            .boolean("core.quotePath")
            .unwrap_or(true);
        Ok(GitScan {
            repo: Some(repo),
            workdir,
            prefix,
            quote_path,
            use_attributes: true,
            attributes: None,
        })
    }

    /// `git grep --no-index`: the current directory is the root, with or without a repository.
    pub fn no_index(repo: Option<&'r gix::Repository>) -> Result<GitScan<'r>, EngineError> {
        let cwd = std::env::current_dir().map_err(|e| {
            EngineError::git(format!(
                "fatal: unable to get current working directory: {e}\n"
            ))
        })?;
        let quote_path = repo
            .and_then(|r| r.config_snapshot().boolean("core.quotePath"))
            .unwrap_or(true);
        Ok(GitScan {
            repo,
            workdir: cwd,
            prefix: Vec::new(),
            quote_path,
            use_attributes: false,
            attributes: None,
        })
    }

    fn repo(&self) -> Result<&'r gix::Repository, EngineError> {
        self.repo.ok_or_else(|| {
            EngineError::git(
                "fatal: not a git repository (or any of the parent directories): .git\n".into(),
            )
        })
    }

    /// The current directory relative to the work tree root (`/`-terminated, or empty).
    pub fn prefix(&self) -> &[u8] {
        &self.prefix
    }

    /// The path as git grep prints it: relative to the current directory, quoted.
    pub fn display(&self, rela: &[u8]) -> Vec<u8> {
        display_path(&self.prefix, rela, self.quote_path)
    }

    /// The index, or an empty one when there is none. Like git (since 2.13), its trailing
    /// checksum is not verified on every read: hashing a large index cost a hook more than
    /// the rest of reading it.
    fn index(&self) -> Result<gix::worktree::Index, EngineError> {
        let repo = self.repo()?;
        let path = repo.index_path();
        let file = if path.exists() {
            gix::index::File::at(&path, repo.object_hash(), true, Default::default())
                .map_err(|e| EngineError::git(format!("fatal: index file corrupt: {e}\n")))?
        } else {
            gix::index::File::from_state(gix::index::State::new(repo.object_hash()), path)
        };
        Ok(gix::worktree::Index::new(gix::fs::FileSnapshot::new(file)))
    }

    /// Whether `.gitattributes` make git grep treat `rela` as binary (`binary`, `-diff`); the
    /// other half of git's test, a NUL in the first 8000 bytes, needs the content.
    fn binary_by_attributes(&mut self, index: &gix::index::State, rela: &[u8]) -> bool {
        let Some(repo) = self.repo.filter(|_| self.use_attributes) else {
            return false;
        };
        if self.attributes.is_none() {
            let source = gix::worktree::stack::state::attributes::Source::WorktreeThenIdMapping;
            match repo.attributes_only(index, source) {
                Ok(stack) => self.attributes = Some(stack),
                Err(_) => return false,
            }
        }
        let Some(stack) = self.attributes.as_mut() else {
            return false;
        };
        let mut outcome = stack.selected_attribute_matches(["diff"]);
        match stack.at_entry(rela.as_bstr(), None) {
            Ok(platform) => {
                platform.matching_attributes(&mut outcome);
                outcome
                    .iter_selected()
                    .any(|m| m.assignment.state == gix::attrs::StateRef::Unset)
            }
            Err(_) => false,
        }
    }

    /// Read and match `items` in parallel; findings come back in `items` order.
    ///
    /// An item that `.gitattributes` make binary is not reported, but its attributes are
    /// looked up only for the items with something to report (findings, an error, a size cap
    /// that skipped it), after the scan: looked up for every item before it, they were ~10 ms
    /// of a `--scan` of git/git's work tree (4,847 files) on one thread before any file was
    /// read. Reading and matching such a file for nothing costs less where there are few.
    fn scan_items(
        &mut self,
        detector: &Detector,
        index: &gix::index::State,
        items: Vec<Item>,
    ) -> Result<Vec<Finding>, EngineError> {
        let per_item = self.scan_in_parallel(detector, &items);
        let mut findings = Vec::new();
        for (item, outcome) in items.iter().zip(per_item) {
            match outcome {
                Ok(ItemOutcome::Found(found)) if found.is_empty() => {}
                _ if self.binary_by_attributes(index, &item.rela) => {}
                Ok(ItemOutcome::Found(found)) => findings.extend(found),
                Ok(ItemOutcome::OverSizeCap) => detector.count_skipped(),
                Err(e) => return Err(e),
            }
        }
        Ok(findings)
    }

    /// Each item read and matched on rayon's threads, in `items` order, once the literal gate
    /// is built (itself on rayon's threads: a scan waiting for it there would leave none to
    /// build it).
    fn scan_in_parallel(
        &self,
        detector: &Detector,
        items: &[Item],
    ) -> Vec<Result<ItemOutcome, EngineError>> {
        use rayon::prelude::*;
        let count = items.len();
        let (prefix, quote_path) = (&self.prefix[..], self.quote_path);
        let shared = self.repo.map(|r| r.clone().into_sync());
        // One scratch per thread for the whole loop (see crate::per_thread).
        let per_thread = crate::per_thread::PerThread::new();
        detector.prepare_for(count);
        items
            .par_iter()
            .map(|item| {
                per_thread.with(
                    || {
                        (
                            shared.as_ref().map(|s| s.to_thread_local()),
                            detector.scratch(),
                            Vec::new(),
                        )
                    },
                    |(repo, scratch, file_buf)| {
                        let display = || display_path(prefix, &item.rela, quote_path);
                        scan_item(detector, repo.as_ref(), scratch, file_buf, item, display)
                    },
                )
            })
            .collect()
    }

    /// Resolve command-line pathspecs (relative to the current directory) to repository paths.
    pub fn pathspecs(&self, args: &[OsString]) -> Result<Vec<Pathspec>, EngineError> {
        if args.is_empty() {
            return Ok(vec![Pathspec::new(self.prefix.clone())]);
        }
        args.iter()
            .map(|a| {
                resolve_pathspec(&self.workdir, &self.prefix, a.as_bytes())
                    .map(Pathspec::new)
                    .ok_or_else(|| {
                        EngineError::git(format!(
                            "fatal: {0}: '{0}' is outside repository at '{1}'\n",
                            a.as_bytes().as_bstr(),
                            self.workdir.display()
                        ))
                    })
            })
            .collect()
    }

    /// Plain `git grep` (work tree) or `git grep --cached` (index).
    pub fn tracked(
        &mut self,
        detector: &Detector,
        specs: &[Pathspec],
        cached: bool,
    ) -> Result<Vec<Finding>, EngineError> {
        let index = self.index()?;
        let mut items = Vec::new();
        let mut last_path: Option<&BStr> = None;
        for entry in index.entries() {
            let rela = entry.path(&index);
            if last_path == Some(rela) {
                continue; // other stages of an unmerged path
            }
            last_path = Some(rela);
            if !is_regular(entry.mode) || !specs.iter().any(|s| s.matches(rela)) {
                continue;
            }
            let flags = entry.flags;
            let content = if cached {
                if entry.stage_raw() != 0 || flags.contains(gix::index::entry::Flags::INTENT_TO_ADD)
                {
                    continue;
                }
                Content::Blob(entry.id)
            } else {
                if flags.contains(gix::index::entry::Flags::SKIP_WORKTREE) {
                    continue;
                }
                Content::File(self.workdir.join(rela.to_path_lossy()))
            };
            items.push(Item {
                rela: rela.to_vec(),
                content,
            });
        }
        self.scan_items(detector, &index, items)
    }

    /// `git grep --untracked` (`no_index == false`) or `git grep --no-index`: files on disk,
    /// sorted by path, symlinks skipped.
    pub fn on_disk(
        &mut self,
        detector: &Detector,
        specs: &[Pathspec],
        no_index: bool,
    ) -> Result<Vec<Finding>, EngineError> {
        let index = match self.repo {
            Some(_) if !no_index => self.index()?,
            _ => gix::worktree::Index::new(
                gix::index::File::from_state(
                    gix::index::State::new(gix::hash::Kind::Sha1),
                    PathBuf::new(),
                )
                .into(),
            ),
        };
        let tracked: std::collections::HashSet<&BStr> =
            index.entries().iter().map(|e| e.path(&index)).collect();
        let mut paths: Vec<Vec<u8>> = Vec::new();
        let mut walker = ignore::WalkBuilder::new(&self.workdir);
        walker
            .hidden(false)
            .parents(false)
            .ignore(false)
            .git_global(!no_index)
            .git_ignore(!no_index)
            .git_exclude(!no_index)
            .require_git(false)
            .follow_links(false)
            .filter_entry(|e| e.file_name() != ".git");
        for entry in walker.build().flatten() {
            let Some(kind) = entry.file_type() else {
                continue;
            };
            if !kind.is_file() {
                continue;
            }
            if let Ok(rel) = entry.path().strip_prefix(&self.workdir) {
                paths.push(rel.as_os_str().as_bytes().to_vec());
            }
        }
        if !no_index {
            // Tracked files are searched even when an ignore rule matches them.
            let on_disk: std::collections::HashSet<Vec<u8>> = paths.iter().cloned().collect();
            paths.extend(
                tracked
                    .iter()
                    .filter(|t| !on_disk.contains(t.as_bytes()))
                    .map(|t| t.to_vec()),
            );
        }
        paths.sort();
        paths.dedup();
        let items = paths
            .into_iter()
            .filter(|rela| specs.iter().any(|s| s.matches(rela.as_bstr())))
            .map(|rela| Item {
                content: Content::File(
                    self.workdir
                        .join(Path::new(std::ffi::OsStr::from_bytes(&rela))),
                ),
                rela,
            })
            .collect();
        self.scan_items(detector, &index, items)
    }

    /// The pre-commit hook: staged blobs of paths added, copied, modified or unmerged against
    /// `HEAD` (or the empty tree), in index order.
    ///
    /// Fixed upstream quirks: a commit that stages no such path scans nothing (upstream then
    /// scanned the whole index), and paths with non-ASCII or quoted names are scanned
    /// (upstream passed git's C-quoted names back as pathspecs, which matched nothing), and
    /// `.gitattributes` do not make files binary here: a committed `* binary` (or `-diff`)
    /// line silenced the hook for every file, while the push hooks scanned them.
    ///
    /// This scans what [`GitScan::staged`] read (possibly through another handle of the same
    /// repository, on another thread).
    pub fn scan_staged(
        &mut self,
        detector: &Detector,
        staged: Staged,
    ) -> Result<Vec<Finding>, EngineError> {
        self.use_attributes = false;
        self.scan_items(detector, &staged.index, staged.items)
    }

    /// The first half of [`GitScan::scan_staged`]: the index, `HEAD`'s tree and the paths
    /// that differ, read without the rules.
    pub fn staged(&mut self) -> Result<Staged, EngineError> {
        let index = self.index()?;
        let repo = self.repo()?;
        let head_tree = head_tree_id(repo)
            .map_err(|e| EngineError::git(format!("fatal: cannot read HEAD: {e}\n")))?;
        let staged = StagedDiff {
            objects: &repo.objects,
            index: &index,
        };
        let mut changed = Vec::new();
        let head_tree = (!head_tree.is_empty_tree()).then(|| head_tree.detach());
        staged
            .directory(
                0..index.entries().len(),
                0,
                head_tree,
                index.tree(),
                &mut changed,
            )
            .map_err(|e| EngineError::git(format!("fatal: cannot read HEAD tree: {e}\n")))?;
        let mut items = Vec::new();
        let mut last_path: Option<&BStr> = None;
        for entry in changed.into_iter().map(|i| &index.entries()[i]) {
            let rela = entry.path(&index);
            if last_path == Some(rela) {
                continue;
            }
            last_path = Some(rela);
            // Unmerged paths are listed by diff-index but `git grep --cached` skips them. A
            // symlink's blob is its target, which is stored and pushed like a file's text:
            // `ln -s "$KEY" name` was committed (git grep skips symlinks; push hooks refused it).
            let symlink = entry.mode == gix::index::entry::Mode::SYMLINK;
            if entry.stage_raw() != 0 || !(is_regular(entry.mode) || symlink) {
                continue;
            }
            if entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
            {
                continue;
            }
            items.push(Item {
                rela: rela.to_vec(),
                content: Content::Blob(entry.id),
            });
        }
        Ok(Staged { index, items })
    }
}

/// The staged paths of a pre-commit hook and the index they come from.
pub struct Staged {
    index: gix::worktree::Index,
    items: Vec<Item>,
}

impl Staged {
    /// Read the staged blobs now when they come to `cap` bytes at most (a hook's usual
    /// commit), so that the caller learns what they hold before it loads the rules; the scan
    /// then reads them from memory. `None`, and nothing kept, for more, or for a blob that
    /// cannot be read (the scan reports it).
    pub fn preload(&mut self, repo: &gix::Repository, cap: u64) -> Option<Vec<&[u8]>> {
        let mut total = 0u64;
        for item in &self.items {
            if let Content::Blob(id) = &item.content {
                total += repo.find_header(*id).ok()?.size();
                if total > cap {
                    return None;
                }
            }
        }
        let mut read = Vec::with_capacity(self.items.len());
        for item in &self.items {
            read.push(match &item.content {
                Content::Blob(id) => Some(repo.find_blob(*id).ok()?.take_data()),
                _ => None,
            });
        }
        for (item, bytes) in self.items.iter_mut().zip(read) {
            if let Some(bytes) = bytes {
                item.content = Content::Read(bytes);
            }
        }
        Some(
            self.items
                .iter()
                .filter_map(|item| match &item.content {
                    Content::Read(bytes) => Some(&bytes[..]),
                    _ => None,
                })
                .collect(),
        )
    }
}

/// `HEAD`'s tree, or the empty tree on an unborn branch; read through [`crate::refs`] so
/// that reftable repositories work (gix alone saw an undecodable HEAD there).
fn head_tree_id(repo: &gix::Repository) -> Result<gix::Id<'_>, String> {
    match crate::refs::head(repo)? {
        None => Ok(repo.empty_tree().id()),
        Some(id) => repo
            .find_object(id)
            .and_then(|o| o.peel_to_commit()?.tree_id())
            .map_err(|e| e.to_string()),
    }
}

/// The index against `HEAD`'s tree, as `git diff-index --cached` compares them: directory by
/// directory, skipping each one whose cache-tree entry (the index's TREE extension) is valid
/// and names the same tree as `HEAD` does. A commit touching a few files then reads a few
/// trees, not the whole of `HEAD`.
struct StagedDiff<'a> {
    objects: &'a gix::OdbHandle,
    index: &'a gix::index::State,
}

impl StagedDiff<'_> {
    /// Appends to `out` the positions of the index entries in `range` that `HEAD` lacks as a
    /// file or holds with another blob or mode. They are the entries under the directory
    /// whose path ends at byte `base`; `tree` is that directory in `HEAD`, `cache` its
    /// cache-tree entry.
    fn directory(
        &self,
        range: std::ops::Range<usize>,
        base: usize,
        tree: Option<gix::ObjectId>,
        cache: Option<&gix::index::extension::Tree>,
        out: &mut Vec<usize>,
    ) -> Result<(), String> {
        use gix::objs::FindExt;
        if let (Some(tree), Some(cache)) = (tree, cache)
            && cache.num_entries.is_some()
            && cache.id == tree
        {
            return Ok(());
        }
        let mut buf = Vec::new();
        // (name, is a tree) -> (mode, id)
        let mut head: std::collections::HashMap<
            (&[u8], bool),
            (gix::objs::tree::EntryMode, gix::ObjectId),
        > = Default::default();
        if let Some(id) = tree {
            for e in self
                .objects
                .find_tree_iter(&id, &mut buf)
                .map_err(|e| e.to_string())?
            {
                let e = e.map_err(|e| e.to_string())?;
                head.insert(
                    (e.filename.as_ref(), e.mode.is_tree()),
                    (e.mode, e.oid.to_owned()),
                );
            }
        }
        let entries = self.index.entries();
        let mut i = range.start;
        while i < range.end {
            let path = entries[i].path(self.index);
            let rest = &path[base..];
            match rest.iter().position(|&b| b == b'/') {
                None => {
                    let changed = match head.get(&(rest, false)) {
                        None => true,
                        Some((mode, id)) => {
                            let old_mode = if mode.is_executable() {
                                gix::index::entry::Mode::FILE_EXECUTABLE
                            } else {
                                gix::index::entry::Mode::FILE
                            };
                            // A symlink or gitlink in `HEAD` that is now a file is a type
                            // change (diff-filter T): upstream's ACMU filter dropped it, so a
                            // key could replace a symlink unseen (issue 14, item 4).
                            !mode.is_blob() || *id != entries[i].id || old_mode != entries[i].mode
                        }
                    };
                    if changed {
                        out.push(i);
                    }
                    i += 1;
                }
                Some(slash) => {
                    let name = &rest[..slash];
                    let dir = &path[..base + slash + 1];
                    let end = entries[i..range.end]
                        .iter()
                        .position(|e| !e.path(self.index).starts_with(dir))
                        .map_or(range.end, |n| i + n);
                    let subtree = head.get(&(name, true)).map(|(_, id)| *id);
                    let sub_cache =
                        cache.and_then(|c| c.children.iter().find(|t| t.name.as_slice() == name));
                    self.directory(i..end, base + slash + 1, subtree, sub_cache, out)?;
                    i = end;
                }
            }
        }
        Ok(())
    }
}

/// Where a file's bytes come from.
enum Content {
    /// A blob in the object database (index or tree).
    Blob(gix::ObjectId),
    /// A blob read already ([`Staged::preload`]).
    Read(Vec<u8>),
    /// A file in the work tree (read with lstat semantics: symlinks are skipped).
    File(PathBuf),
}

/// One file to scan: its repository path and where to read it.
struct Item {
    rela: Vec<u8>,
    content: Content,
}

/// What scanning one [`Item`] came to, before its attributes are consulted.
enum ItemOutcome {
    Found(Vec<Finding>),
    /// Larger than `secrets.maxFileSize`: not scanned.
    OverSizeCap,
}

/// Read `item` (into `file_buf` when it is a file) and match it, unless it is binary by its
/// content or over the size cap; `display` names it in findings.
fn scan_item(
    detector: &Detector,
    repo: Option<&gix::Repository>,
    scratch: &mut crate::detect::DetectScratch,
    file_buf: &mut Vec<u8>,
    item: &Item,
    display: impl FnOnce() -> Vec<u8>,
) -> Result<ItemOutcome, EngineError> {
    let blob;
    let buf: &[u8] = match &item.content {
        Content::File(path) => {
            if !read_regular(path, file_buf) {
                return Ok(ItemOutcome::Found(Vec::new()));
            }
            file_buf
        }
        Content::Read(bytes) => bytes,
        Content::Blob(id) => {
            let Some(repo) = repo else {
                return Ok(ItemOutcome::Found(Vec::new()));
            };
            blob = repo
                .find_blob(*id)
                .map(|mut b| b.take_data())
                .map_err(|_| EngineError::git(format!("fatal: unable to read {id}\n")))?;
            &blob
        }
    };
    let mut found = Vec::new();
    if let Some(text) = crate::text::scannable(buf) {
        // Counted once its attributes say it is not binary.
        if detector.over_size_cap(text.len()) {
            return Ok(ItemOutcome::OverSizeCap);
        }
        let display = display();
        let target = Target {
            display: &display,
            repo_path: crate::rules::PathScope::At(&item.rela),
            commit: None,
        };
        detector.scan(scratch, &text, target, &mut found);
    }
    Ok(ItemOutcome::Found(found))
}

/// `rela` as git grep prints it: relative to the current directory `prefix`, quoted.
fn display_path(prefix: &[u8], rela: &[u8], quote_path: bool) -> Vec<u8> {
    quote::c_style(&quote::relative_to_prefix(rela, prefix), quote_path)
}

fn is_regular(mode: gix::index::entry::Mode) -> bool {
    mode == gix::index::entry::Mode::FILE || mode == gix::index::entry::Mode::FILE_EXECUTABLE
}

/// Read `path` if it is a regular file (never through a symlink), as git grep's lstat does.
/// Into `buf`, which a thread reuses: a fresh buffer per file paid its page faults again.
fn read_regular(path: &Path, buf: &mut Vec<u8>) -> bool {
    use std::io::Read;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    if !meta.is_file() {
        return false;
    }
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    buf.clear();
    buf.reserve(usize::try_from(meta.len()).unwrap_or(0).saturating_add(1));
    file.read_to_end(buf).is_ok()
}

/// One git pathspec, repository-relative.
#[derive(Debug, Clone)]
pub struct Pathspec {
    path: Vec<u8>,
    glob: Option<globset::GlobMatcher>,
}

impl Pathspec {
    fn new(path: Vec<u8>) -> Pathspec {
        let glob = if path.iter().any(|b| matches!(b, b'*' | b'?' | b'[')) {
            std::str::from_utf8(&path).ok().and_then(|s| {
                globset::GlobBuilder::new(s)
                    .literal_separator(false)
                    .backslash_escape(true)
                    .build()
                    .ok()
                    .map(|g| g.compile_matcher())
            })
        } else {
            None
        };
        Pathspec { path, glob }
    }

    /// Whether the repository path `rela` is selected (exact, leading directory, or glob).
    pub fn matches(&self, rela: &BStr) -> bool {
        let spec = self.path.trim_end_with(|c| c == '/');
        if spec.is_empty() {
            return true;
        }
        if rela.as_bytes() == spec {
            return true;
        }
        if rela.starts_with(spec) && rela.get(spec.len()) == Some(&b'/') {
            return true;
        }
        self.glob
            .as_ref()
            .is_some_and(|g| g.is_match(Path::new(std::ffi::OsStr::from_bytes(rela))))
    }
}

/// `prefix + arg`, normalised (`.`, `..`, absolute paths inside the work tree); `None` when it
/// leaves the repository.
fn resolve_pathspec(workdir: &Path, prefix: &[u8], arg: &[u8]) -> Option<Vec<u8>> {
    let joined: Vec<u8> = if arg.starts_with(b"/") {
        let abs = Path::new(std::ffi::OsStr::from_bytes(arg));
        let canon_root = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        let rel = abs
            .strip_prefix(workdir)
            .or_else(|_| abs.strip_prefix(&canon_root))
            .ok()?;
        rel.as_os_str().as_bytes().to_vec()
    } else {
        [prefix, arg].concat()
    };
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in joined.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let mut out = parts.join(&b'/');
    if joined.ends_with(b"/") && !out.is_empty() {
        out.push(b'/');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each variant's exact text and exit code: upstream's words for a refused pattern list,
    /// in git grep's and in `git log -G`'s order.
    #[test]
    fn engine_errors_render_their_exact_text_and_code() {
        let said = EngineError::Said {
            message: "grep: Unmatched ( or \\(\n".into(),
            code: 2,
        };
        assert_eq!(said.message(), "grep: Unmatched ( or \\(\n");
        assert_eq!(said.code(), 2);
        assert_eq!(said.clone().in_history(), said);
        let grep = EngineError::GitPatterns {
            joined: "a|[b".into(),
            reason: "Unmatched [, [^, [:, [., or [=".into(),
        };
        assert_eq!(
            grep.message(),
            "fatal: command line, 'a|[b': Unmatched [, [^, [:, [., or [=\n"
        );
        assert_eq!(grep.code(), 128);
        let log = grep.in_history();
        assert_eq!(
            log.message(),
            "fatal: invalid regex: Unmatched [, [^, [:, [., or [=\nfatal: command line, 'a|[b': Unmatched [, [^, [:, [., or [=\n"
        );
        assert_eq!(log.code(), 128);
    }

    #[test]
    fn pathspecs_resolve_and_match() {
        let root = Path::new("/repo");
        assert_eq!(
            resolve_pathspec(root, b"sub/", b"../a.txt").unwrap(),
            b"a.txt"
        );
        assert_eq!(resolve_pathspec(root, b"", b"./d/").unwrap(), b"d/");
        assert!(resolve_pathspec(root, b"", b"../x").is_none());
        let dir = Pathspec::new(b"d".to_vec());
        assert!(dir.matches(b"d/x.txt".as_bstr()));
        assert!(!dir.matches(b"dx.txt".as_bstr()));
        let glob = Pathspec::new(b"*.txt".to_vec());
        assert!(glob.matches(b"deep/x.txt".as_bstr()));
        assert!(!glob.matches(b"x.md".as_bstr()));
    }
}
