//! Range scans and push hooks: only the lines that new commits add.
//!
//! * `--scan-range <range>`: the commits of a `git rev-list` range (`origin/main..HEAD`);
//! * the pre-push hook: the commits the remote lacks, per pushed ref;
//! * the pre-receive hook: the commits a push brings that no existing ref reaches, read from
//!   git's quarantine, under a time budget.
//!
//! All three hand their commit set to the commit-set engine (`commits.rs`): each
//! commit's changes against its parents, each introduced blob matched once, and a finding
//! counts when no parent held the same (rule, secret) at that path. Blobs and trees pushed
//! under tags are scanned whole.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Read;
use std::time::{Duration, Instant};

use bstr::ByteSlice;
use gix::ObjectId;

use crate::cli::Flags;
use crate::commits::Node;
use crate::config::Context;
use crate::detect::{Detector, Finding, Target};
use crate::ending::Scan;
use crate::failure::AppError;
use crate::git::Objects;
use crate::report::{Outcome, Said};
use crate::scan::EngineError;

fn fatal(message: String) -> EngineError {
    EngineError::Said {
        message: format!("git-secrets: {message}\n"),
        code: 2,
    }
}

fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, EngineError> {
    // gix cannot read a reftable ref store: git resolves the name there (issue 14, item 9).
    let id = if crate::refs::is_reftable(repo) {
        crate::refs::rev_parse(repo, spec)
            .map_err(|e| fatal(format!("bad revision '{spec}': {e}")))?
    } else {
        repo.rev_parse_single(spec)
            .map_err(|e| fatal(format!("bad revision '{spec}': {e}")))?
            .detach()
    };
    repo.find_object(id)
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
    // `git rev-list ^HEAD` lists nothing; a range that names no commit to scan would pass
    // while reading nothing, so it is a usage error.
    if tips.is_empty() {
        return Err(fatal(format!(
            "the range '{range}' names no commit to scan (give a revision such as HEAD or A..B)"
        )));
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
    let detector = crate::engine::detector_for(ctx, crate::matcher::WordMode::GitGrep)?;
    Ok((repo, detector))
}

/// Findings in what `commits` add, and in their messages and those of `tags` (no time
/// budget).
fn scan_commits(
    repo: &gix::Repository,
    objects: &Objects,
    detector: &Detector,
    commits: &[Node],
    tags: &[ObjectId],
) -> Result<Vec<Finding>, EngineError> {
    let mut findings = crate::commits::scan_added(repo, objects, detector, commits, None)?
        .map(|a| a.findings)
        .unwrap_or_default();
    findings.extend(
        crate::messages::scan(objects, detector, commits, tags, &Default::default())
            .map_err(fatal)?,
    );
    Ok(findings)
}

/// `--scan-range <range>`.
pub fn scan_range_command(flags: &Flags) -> Result<Outcome, AppError> {
    let ctx = Context::discover()?;
    crate::engine::refuse_untrusted(&ctx)?;
    let range = flags.opts.scan_range.clone().unwrap_or_default();
    let result = (|| {
        let (repo, detector) = repo_and_detector(&ctx, "")?;
        let (tips, hidden) = parse_range(repo, &range)?;
        if detector.is_empty() {
            return Ok(Scan::default());
        }
        let objects = Objects::new(repo);
        let commits = crate::commits::walk(&objects, &tips, &hidden)?;
        let findings = scan_commits(repo, &objects, &detector, &commits, &[])?;
        Ok(Scan::of(findings, &detector))
    })();
    Ok(crate::ending::finish_scan(
        &ctx,
        flags,
        "scan-range",
        result,
    ))
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
    /// The local ref (or `(delete)`), as git gives it.
    pub local_ref: String,
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
        let [local_ref, local, _, remote] = words[..] else {
            return Err(format!(
                "pre-push: line {} of standard input is not '<local ref> <local sha> <remote ref> <remote sha>'",
                n + 1
            ));
        };
        out.push(PushLine {
            local_ref: local_ref.to_string(),
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

/// Refs under `prefix`, peeled to commits (refs that cannot be read or peeled hide nothing,
/// so more is scanned, never less).
fn ref_commits(repo: &gix::Repository, prefix: Option<&str>) -> Vec<ObjectId> {
    let Ok(refs) = crate::refs::all(repo) else {
        return Vec::new();
    };
    refs.into_iter()
        .filter(|(name, _)| prefix.is_none_or(|p| name.starts_with(p)))
        .filter_map(|(_, id)| {
            let object = repo.find_object(id).ok()?.peel_tags_to_end().ok()?;
            (object.kind == gix::object::Kind::Commit).then_some(object.id)
        })
        .collect()
}

/// What a pushed object is once its tags are peeled (a tag of a tag of a commit is the commit).
enum Peeled {
    Commit(ObjectId),
    /// A blob or a tree, pushed under a (lightweight or annotated) tag: scanned whole.
    Content(ObjectId, gix::object::Kind),
}

/// `tags` gets every annotated tag on the way, whose messages are scanned too.
fn peel(objects: &Objects, id: ObjectId, tags: &mut Vec<ObjectId>) -> Result<Peeled, EngineError> {
    let mut current = id;
    let mut buf = Vec::new();
    // Read through the quarantine: what a push brings is only there. A chain of tags longer
    // than git itself would create is refused rather than followed forever.
    for _ in 0..64 {
        let object = gix::objs::FindExt::find(objects, &current, &mut buf)
            .map_err(|e| fatal(format!("cannot read pushed object {id}: {e}")))?;
        match object.kind {
            gix::object::Kind::Commit => return Ok(Peeled::Commit(current)),
            gix::object::Kind::Tag => {
                tags.push(current);
                let tag = gix::objs::TagRef::from_bytes(object.data, id.kind())
                    .map_err(|e| fatal(format!("cannot read pushed tag {current}: {e}")))?;
                current = tag.target();
            }
            kind => return Ok(Peeled::Content(current, kind)),
        }
    }
    Err(fatal(format!("pushed object {id}: tags nested too deeply")))
}

/// Every file of a blob or tree pushed under a tag, scanned whole; a blob's path is the ref.
fn scan_content(
    objects: &Objects,
    detector: &Detector,
    refname: &str,
    id: ObjectId,
    kind: gix::object::Kind,
) -> Result<Vec<Finding>, EngineError> {
    let files = match kind {
        gix::object::Kind::Tree => objects.tree_blobs(id).map_err(fatal)?,
        _ => vec![(refname.as_bytes().to_vec(), id, true)],
    };
    let hex = id.to_string();
    let mut scratch = detector.scratch();
    let mut found = Vec::new();
    for (path, blob, regular) in files {
        if !regular {
            continue;
        }
        let data = objects.blob(blob).map_err(fatal)?;
        let Some(data) = crate::text::scannable(&data) else {
            continue;
        };
        let display = crate::quote::c_style(&path, true);
        let target = Target {
            display: &display,
            repo_path: crate::rules::PathScope::At(&path),
            commit: Some(&hex),
        };
        detector.scan(&mut scratch, &data, target, &mut found);
    }
    Ok(found)
}

/// The pre-push hook: `$1` is the remote name; stdin has
/// `<local ref> <local sha> <remote ref> <remote sha>` per ref. Scans the commits the remote
/// lacks: `<local sha> ^<remote sha>`, or for a new branch `<local sha> --not --remotes=<remote>`.
/// A check that could not run (exit 2 or more) refuses the push, as the commit hooks do
/// ([`crate::failure::Hook::PrePush`]).
pub fn pre_push_hook(flags: &Flags, args: &[OsString]) -> Result<Outcome, AppError> {
    let ctx = Context::discover()?;
    crate::engine::refuse_untrusted(&ctx)?;
    Ok(pre_push(ctx, flags, args))
}

fn pre_push(ctx: Context, flags: &Flags, args: &[OsString]) -> Outcome {
    let remote = args
        .first()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = (|| {
        let (repo, detector) = repo_and_detector(&ctx, "pre-push: ")?;
        let input = read_stdin()?;
        if detector.is_empty() {
            return Ok(Scan::default());
        }
        let objects = Objects::new(repo);
        let mut commits: Vec<Node> = Vec::new();
        let mut contents: Vec<Finding> = Vec::new();
        let mut seen = HashSet::new();
        let mut tags = Vec::new();
        for line in parse_push_lines(&input).map_err(fatal)? {
            let Some(local) = line.local else {
                continue; // a deletion adds nothing
            };
            // Tags are peeled to the end (issue 14, item 11): an annotated tag of a commit
            // scans the commit's new history; a tag of a blob or tree scans it whole.
            let tip = match peel(&objects, local, &mut tags)? {
                Peeled::Commit(c) => c,
                Peeled::Content(id, kind) => {
                    if seen.insert(id) {
                        contents.extend(scan_content(
                            &objects,
                            &detector,
                            &line.local_ref,
                            id,
                            kind,
                        )?);
                    }
                    continue;
                }
            };
            let remote_commit = match line.remote {
                Some(id) if repo.find_object(id).is_ok() => {
                    match peel(&objects, id, &mut Vec::new())? {
                        Peeled::Commit(c) => Some(c),
                        Peeled::Content(..) => None,
                    }
                }
                _ => None,
            };
            let hidden = match remote_commit {
                Some(c) => vec![c],
                // A new branch, or a remote tip we do not have (or not a commit): whatever no
                // remote-tracking branch of this remote has.
                None => ref_commits(repo, Some(&format!("refs/remotes/{remote}/"))),
            };
            for c in crate::commits::walk(&objects, &[tip], &hidden)? {
                if seen.insert(c.id) {
                    commits.push(c);
                }
            }
        }
        tags.sort();
        tags.dedup();
        let mut findings = scan_commits(repo, &objects, &detector, &commits, &tags)?;
        findings.extend(contents);
        Ok(Scan::of(findings, &detector))
    })();
    crate::ending::finish_scan(&ctx, flags, "pre-push", result)
}

/// Server-side settings of the pre-receive hook (git config of the bare repository).
struct ReceivePolicy {
    budget: Duration,
    accept_over_budget: bool,
    /// `secrets.preReceiveOversize=accept`: files over `secrets.maxFileSize` pass unscanned
    /// (audited); the default refuses them.
    accept_oversize: bool,
    allow_bypass: bool,
    audit_log: Option<std::path::PathBuf>,
}

impl ReceivePolicy {
    /// The server's settings; an unusable value is an error line naming the key (a budget
    /// of `1e30` once panicked).
    fn load(ctx: &Context, repo: &gix::Repository) -> Result<ReceivePolicy, String> {
        let last = |name: &str| {
            ctx.get_all("secrets", name)
                .pop()
                .map(|v| v.to_str_lossy().trim().to_ascii_lowercase())
        };
        let budget =
            crate::config::seconds(ctx, "preReceiveBudget")?.unwrap_or(Duration::from_secs(4));
        Ok(ReceivePolicy {
            budget,
            accept_over_budget: last("preReceiveOverBudget").as_deref() == Some("accept"),
            accept_oversize: match last("preReceiveOversize").as_deref() {
                None | Some("refuse") => false,
                Some("accept") => true,
                Some(other) => {
                    return Err(format!(
                        "git-secrets: bad secrets.preReceiveOversize '{other}': expected accept or refuse"
                    ));
                }
            },
            allow_bypass: matches!(
                last("allowBypass").as_deref(),
                Some("true" | "yes" | "on" | "1")
            ),
            audit_log: ctx
                .get_all("secrets", "auditLog")
                .pop()
                .map(|v| std::path::PathBuf::from(v.to_str_lossy().into_owned()))
                .or_else(|| Some(repo.git_dir().join("git-secrets-audit.log"))),
        })
    }
}

/// Who pushes: the identity the server authenticated (GitLab `GL_USERNAME`, GitHub
/// Enterprise `GITHUB_USER_LOGIN`/`GITHUB_USER` with `GITHUB_VIA`, a web server's
/// `REMOTE_USER`) and the account the hook runs as (`USER`), both recorded: `USER` alone is
/// usually the shared `git` account. Values are made single words so an entry stays one line.
fn pusher() -> String {
    let word = |v: String| -> String {
        v.chars()
            .map(|c| {
                if c.is_whitespace() || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect()
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty()).map(word);
    let authenticated = [
        "GL_USERNAME",
        "GITHUB_USER_LOGIN",
        "GITHUB_USER",
        "REMOTE_USER",
    ]
    .iter()
    .find_map(|k| env(k).map(|v| format!("{v} ({k})")))
    .unwrap_or_else(|| "unauthenticated".into());
    let mut out = format!(
        "by {authenticated} user={}",
        env("USER").unwrap_or_else(|| "unknown".into())
    );
    if let Some(via) = env("GITHUB_VIA") {
        out.push_str(&format!(" via={via}"));
    }
    out
}

/// Append one line to the audit log: time, what was accepted, who pushed.
fn audit(policy: &ReceivePolicy, what: &str) -> Result<(), String> {
    let Some(log) = &policy.audit_log else {
        return Ok(());
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (head, rest) = what.split_once(' ').unwrap_or((what, ""));
    let entry = format!(
        "{} {head} {} {rest}\n",
        crate::formats::rfc3339_utc(now),
        pusher()
    );
    use std::io::Write;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .and_then(|mut f| f.write_all(entry.as_bytes()))
        .map_err(|e| {
            format!(
                "git-secrets: the push needs an audit record but the audit log {} cannot be written ({e}); push refused",
                log.display()
            )
        })
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

/// The pre-receive hook: stdin has `<old> <new> <ref>` per updated ref.
pub fn pre_receive_hook(flags: &Flags) -> Result<Outcome, AppError> {
    let started = Instant::now();
    let ctx = Context::discover()?;
    let mut said = Vec::new();
    let code = pre_receive(started, ctx, flags, &mut said);
    Ok(Outcome { said, code })
}

/// The pre-receive hook's steps: what the pusher is told goes to `said`, in order; returns
/// the exit code.
fn pre_receive(started: Instant, ctx: Context, flags: &Flags, said: &mut Vec<Said>) -> u8 {
    if let Some(message) = ctx.untrusted() {
        said.push(Said::Pusher(format!(
            "{message}git-secrets: pre-receive: push refused"
        )));
        return 128;
    }
    let Some(repo) = ctx.repo.as_ref() else {
        said.push(Said::Pusher(
            "git-secrets: pre-receive: not a git repository; push refused".into(),
        ));
        return 2;
    };
    let policy = match ReceivePolicy::load(&ctx, repo) {
        Ok(p) => p,
        Err(message) => {
            said.push(Said::Pusher(format!(
                "{message}\ngit-secrets: the secret scan could not run, so the push is refused"
            )));
            return 2;
        }
    };
    let deadline = started + policy.budget;
    let outcome = (|| -> Result<(Scan, bool, Vec<String>, u64), EngineError> {
        let input = read_stdin()?;
        let detector = crate::engine::detector_for(&ctx, crate::matcher::WordMode::GitGrep)?;
        let mut tips = Vec::new();
        let mut refs = Vec::new();
        for line in parse_receive_lines(&input).map_err(fatal)? {
            if let Some(new) = line.new {
                tips.push((new, line.refname.clone()));
            }
            refs.push(line.refname);
        }
        if detector.is_empty() {
            // A server hook with nothing to look for would accept every key: refuse (issue 15).
            // git runs the hook with GIT_DIR=., so the repository is named by its absolute
            // path (a bare "." told the pusher nothing).
            let git_dir = std::fs::canonicalize(repo.git_dir())
                .unwrap_or_else(|_| repo.git_dir().to_path_buf());
            return Err(EngineError::Said {
                message: format!(
                    "git-secrets: pre-receive: no secret patterns or registries are configured for {}; configure them there with `git secrets --register aws` (or --register-aws, --add PATTERN)\n",
                    git_dir.display()
                ),
                code: 2,
            });
        }
        if tips.is_empty() {
            return Ok((Scan::of(Vec::new(), &detector), false, refs, 0));
        }
        let objects = Objects::new(repo);
        // Tags are peeled to the end (a tag of a tag of a commit is the commit); a blob or
        // tree behind a tag is scanned whole.
        let mut commit_tips = Vec::new();
        let mut contents = Vec::new();
        let mut tags = Vec::new();
        for (t, refname) in tips {
            match peel(&objects, t, &mut tags)? {
                Peeled::Commit(c) => commit_tips.push(c),
                Peeled::Content(id, kind) => {
                    contents.extend(scan_content(&objects, &detector, &refname, id, kind)?);
                }
            }
        }
        let hidden = ref_commits(repo, None);
        let commits = crate::commits::walk(&objects, &commit_tips, &hidden)?;
        tags.sort();
        tags.dedup();
        contents.extend(
            crate::messages::scan(&objects, &detector, &commits, &tags, &Default::default())
                .map_err(fatal)?,
        );
        let Some(crate::commits::Added { mut findings, .. }) =
            crate::commits::scan_added(repo, &objects, &detector, &commits, Some(deadline))?
        else {
            return Ok((
                Scan::of(contents, &detector),
                true,
                refs,
                detector.skipped(),
            ));
        };
        findings.extend(contents);
        Ok((
            Scan::of(findings, &detector),
            Instant::now() > deadline,
            refs,
            detector.skipped(),
        ))
    })();
    let (scan, over_budget, refs, oversize) = match outcome {
        Ok(v) => v,
        Err(e) => {
            said.push(Said::Pusher(format!(
                "{}git-secrets: the secret scan could not run, so the push is refused",
                e.message()
            )));
            return 2;
        }
    };
    let bypass = push_options()
        .iter()
        .any(|o| o == "secrets.bypass" || o == "git-secrets.bypass");
    let refs = refs.join(",");
    // Findings are known secrets: they decide, even when the scan ran over its budget. They
    // settle as in every other scan ([`crate::ending`]).
    // The size cap has its own server policy below; the other notes go to the pusher.
    for note in &scan.notes {
        if !matches!(note, crate::note::Note::SizeCap { .. }) {
            said.push(Said::Pusher(note.to_string()));
        }
    }
    let findings = match crate::ending::settle_push(&ctx, flags, scan.findings, said) {
        Ok((findings, notes)) => {
            for note in notes {
                said.push(Said::Pusher(note.trim_end().to_string()));
            }
            findings
        }
        Err(e) => {
            said.push(Said::Pusher(format!(
                "{}git-secrets: the secret scan could not run, so the push is refused",
                e.message()
            )));
            return 2;
        }
    };
    if let Err(message) = crate::ending::server_report(&ctx, flags, repo.git_dir(), &findings) {
        said.push(Said::Pusher(format!("{message}; push refused")));
        return 2;
    }
    if findings.is_empty() {
        if over_budget {
            if !policy.accept_over_budget {
                said.push(Said::Pusher(format!(
                    "git-secrets: the scan exceeded its {:.1} s budget, so the push is refused; push fewer commits at a time, or ask an administrator to raise secrets.preReceiveBudget",
                    policy.budget.as_secs_f64()
                )));
                return 1;
            }
            if let Err(message) = audit(&policy, &format!("over-budget acceptance refs={refs}")) {
                said.push(Said::Pusher(message));
                return 1;
            }
            said.push(Said::Pusher(format!(
                "git-secrets: the scan exceeded its {:.1} s budget; push accepted by server policy (secrets.preReceiveOverBudget=accept), recorded in the audit log",
                policy.budget.as_secs_f64()
            )));
            return 0;
        }
        if oversize > 0 {
            // A file the size cap skipped was not scanned: on the server that is a refusal
            // unless the administrator accepts it, and then it is audited (issue 14, item 18).
            if !policy.accept_oversize {
                said.push(Said::Pusher(format!(
                    "git-secrets: {oversize} file(s) larger than secrets.maxFileSize could not be scanned, so the push is refused; ask an administrator to raise secrets.maxFileSize or to set secrets.preReceiveOversize=accept"
                )));
                return 1;
            }
            if let Err(message) = audit(
                &policy,
                &format!("oversize acceptance refs={refs} files={oversize}"),
            ) {
                said.push(Said::Pusher(message));
                return 1;
            }
            said.push(Said::Pusher(format!(
                "git-secrets: {oversize} file(s) larger than secrets.maxFileSize were not scanned; push accepted by server policy (secrets.preReceiveOversize=accept), recorded in the audit log"
            )));
        }
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
        let mut entry = format!("bypass refs={refs} findings={}", findings.len());
        if oversize > 0 {
            entry.push_str(&format!(" oversize={oversize}"));
        }
        let key = match crate::fingerprint::FingerprintKey::load(&ctx) {
            Ok((key, _)) => key,
            Err(e) => {
                said.push(Said::Pusher(format!("{e}; bypass refused")));
                return 1;
            }
        };
        for f in &findings {
            entry.push_str(&format!(" {}:{}", f.rule_id(), &f.fingerprint(&key)[..16]));
        }
        if let Err(message) = audit(&policy, &entry) {
            said.push(Said::Pusher(message));
            return 1;
        }
        said.push(Said::Pusher(format!(
            "{text}git-secrets: {} finding(s) accepted by push option secrets.bypass; recorded in the audit log",
            findings.len()
        )));
        return 0;
    }
    let hint = if policy.allow_bypass {
        "- If this is deliberate, push again with: git push -o secrets.bypass (recorded)\n"
    } else {
        ""
    };
    said.push(Said::Pusher(format!(
        "{text}\n[ERROR] Matched one or more prohibited patterns\n\nThe push adds secrets; it is refused.\n- Remove them from the commits (rewrite them) and push again.\n{hint}"
    )));
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
