//! The start shared by every scan: the prohibited patterns (config and providers) and the
//! registries in effect, compiled into one [`Detector`], and the repository checks that come
//! before any reading. [`crate::app`] and [`crate::push`] both build their scans from here.

use std::path::{Path, PathBuf};

use bstr::ByteSlice;

use crate::config::Context;
use crate::detect::Detector;
use crate::ere::Refusal;
use crate::failure::AppError;
use crate::matcher::{CompileError, Matcher, Pattern, WordMode};
use crate::note::Note;
use crate::patterns;
use crate::rules::{FillOnDrop, PendingPresence, Presence, ProjectFile, RuleSet};
use crate::scan::{self, EngineError};

/// git-mode commands and hooks need the repository: in one that belongs to someone else
/// they stop as git does (`fatal: detected dubious ownership ...`, exit 128) before reading
/// anything, even with no patterns configured.
pub fn refuse_untrusted(ctx: &Context) -> Result<(), AppError> {
    match ctx.untrusted() {
        Some(message) => Err(AppError::Untrusted(message.to_owned())),
        None => Ok(()),
    }
}

/// Patterns as file mode (GNU grep) receives them: one newline-joined list, whose trailing
/// empty lines the shell's `$(...)` strips.
fn file_mode_patterns(mut patterns: Vec<Pattern>) -> Vec<Pattern> {
    while patterns.last().is_some_and(|p| p.ere.is_empty()) {
        patterns.pop();
    }
    patterns
}

/// Patterns as git mode receives them. Upstream word-split and glob-expanded them (quirks 1
/// and 2, fixed: a pattern is one regex, spaces included); blank ones disappear as before.
fn git_mode_patterns(patterns: Vec<Pattern>) -> Vec<Pattern> {
    patterns
        .into_iter()
        .filter(|p| p.ere.iter().any(|b| !matches!(b, b' ' | b'\t' | b'\n')))
        .collect()
}

/// The prohibited patterns; a provider that cannot deliver them stops the scan.
fn load_patterns(ctx: &Context) -> Result<(Vec<Pattern>, Vec<Note>), EngineError> {
    patterns::load(ctx).map_err(|message| EngineError::Said {
        message: message + "\n",
        code: 2,
    })
}

/// The detector of a git-mode or file-mode scan, with the patterns from config and providers.
pub fn detector_for(ctx: &Context, mode: WordMode) -> Result<Detector, EngineError> {
    detector_present(ctx, mode, None)
}

/// [`detector_for`] texts whose three-byte sequences `presence` holds, when given (awaited
/// when a family is reached): the built-in packs' families expand only the providers that
/// may match them.
fn detector_present(
    ctx: &Context,
    mode: WordMode,
    presence: Option<&PendingPresence>,
) -> Result<Detector, EngineError> {
    let (loaded, mut notes) = load_patterns(ctx)?;
    let patterns = match mode {
        WordMode::GitGrep => git_mode_patterns(loaded),
        WordMode::GnuGrep => file_mode_patterns(loaded),
    };
    // The compatibility patterns compile on another thread while the registries load: with
    // upstream's five AWS patterns that is 5.3 M instructions, a sixth of a pre-commit hook's
    // start with both packs, which ran before the packs' threads were started.
    let (compat, rules) = std::thread::scope(|s| {
        let compat = s.spawn(|| Matcher::new(&patterns, mode));
        let rules = registries(ctx, &mut notes, presence);
        let compat = compat
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (compat, rules)
    });
    let compat = compat.map_err(|e| compile_error(e, &patterns, mode))?;
    let rules = rules?;
    Ok(Detector::new(compat, rules)
        .with_max_file_size(max_file_size(ctx)?)
        .with_notes(notes))
}

/// The pre-commit hook's scan, or `None` when no pattern or rule is in effect. The staged
/// side (the index, `HEAD`'s tree and the paths that differ) is read on another thread while
/// the detector is built, and with it the staged blobs when they come to 8 MiB at most
/// (`PRELOAD_BYTES`): the rule families, reached last, expand only the providers that may
/// match what they hold ([`Presence`]). Expanding every provider was 16.6 M of the 40.6 M
/// instructions of a hook with both packs on five one-line files.
pub fn staged_scan(ctx: &Context) -> Result<Option<(Vec<scan::Finding>, Detector)>, EngineError> {
    let pending = PendingPresence::new();
    std::thread::scope(|s| {
        let staged = ctx.repo.as_ref().map(|repo| {
            let (repo, pending) = (repo.clone(), &pending);
            s.spawn(move || -> Result<_, EngineError> {
                let _fill = FillOnDrop(pending);
                let mut staged = scan::GitScan::new(&repo)?.staged()?;
                pending.fill(
                    staged
                        .preload(&repo, PRELOAD_BYTES)
                        .map(|blobs| presence_of(&blobs)),
                );
                Ok(staged)
            })
        });
        let presence = staged.as_ref().map(|_| &pending);
        // An error of the detector's comes first, and an empty detector reads nothing, as
        // before the staged side had a thread of its own.
        let detector = detector_present(ctx, WordMode::GitGrep, presence)?;
        if detector.is_empty() {
            return Ok(None);
        }
        let (Some(repo), Some(staged)) = (ctx.repo.as_ref(), staged) else {
            return Err(not_a_repository());
        };
        let staged = staged
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))?;
        let findings = scan::GitScan::new(repo)?.scan_staged(&detector, staged)?;
        Ok(Some((findings, detector)))
    })
}

/// The three-byte sequences of `blobs` as the rules see them: their text, and what decoding
/// gives of it.
fn presence_of(blobs: &[&[u8]]) -> Presence {
    let mut presence = Presence::new();
    for blob in blobs {
        if let Some(text) = crate::text::scannable(blob) {
            presence.add(&text);
            crate::decode::each_text(&text, &mut |decoded| presence.add(decoded));
        }
    }
    presence
}

/// The most staged bytes read before the rules load (see [`staged_scan`]): a commit of more
/// loads every provider and reads its blobs as it scans them.
const PRELOAD_BYTES: u64 = 8 << 20;

/// `secrets.maxFileSize`: bytes, with git's `k`, `m` or `g` suffixes (powers of 1024); unset
/// means no cap.
fn max_file_size(ctx: &Context) -> Result<Option<u64>, EngineError> {
    let Some(value) = ctx.get_all("secrets", "maxFileSize").pop() else {
        return Ok(None);
    };
    let text = value.to_str_lossy();
    let bytes = gix::config::Integer::try_from(bstr::BStr::new(text.trim()))
        .ok()
        .and_then(|i| i.to_decimal())
        .and_then(|n| u64::try_from(n).ok())
        .filter(|&n| n > 0);
    match bytes {
        Some(n) => Ok(Some(n)),
        None => Err(EngineError::Said {
            message: format!(
                "git-secrets: bad secrets.maxFileSize '{text}': expected a positive number of bytes, optionally with k, m or g\n"
            ),
            code: 2,
        }),
    }
}

/// The registries in effect: `secrets.registries` values, then the project's
/// `.git-secrets.toml` (its registries, disabled rules and allowlist). A registry that does
/// not load stops the scan: a silently dropped rule would be a silent pass.
fn registries(
    ctx: &Context,
    notes: &mut Vec<Note>,
    presence: Option<&PendingPresence>,
) -> Result<Option<RuleSet>, EngineError> {
    let fail = |e: crate::rules::RegistryError| EngineError::Said {
        message: format!("git-secrets: {e}\n"),
        code: 2,
    };
    let trust =
        crate::policy::RepositoryTrust::from_config(ctx).map_err(|m| EngineError::Said {
            message: m + "\n",
            code: 2,
        })?;
    let top = ctx.workdir().map(Path::to_path_buf);
    let mut specs: Vec<String> = ctx
        .get_all("secrets", "registries")
        .into_iter()
        .map(|v| v.to_str_lossy().into_owned())
        .collect();
    let project_path = top.as_ref().map(|t| t.join(".git-secrets.toml"));
    let project = match project_path.as_ref().filter(|p| p.is_file()) {
        Some(path) => {
            let text = crate::bounded::read_to_string(path).map_err(|e| EngineError::Said {
                message: format!(
                    "git-secrets: {}: {}\n",
                    path.display(),
                    scan::io_message(&e)
                ),
                code: 2,
            })?;
            let parsed = ProjectFile::parse(&text, ".git-secrets.toml").map_err(fail)?;
            Some(project_policy(parsed, trust, notes))
        }
        None => None,
    };
    // Registries the project file names; an untrusted project's load without their allowlists.
    let from_project: Vec<String> = project
        .as_ref()
        .map(|p| p.registries.clone())
        .unwrap_or_default();
    let from_config = specs.clone();
    specs.extend(from_project.iter().cloned());
    if specs.is_empty() && project.is_none() {
        return Ok(None);
    }
    let mut set = RuleSet::default();
    let mut loaded: Vec<String> = Vec::new();
    for spec in specs {
        if spec.is_empty() || loaded.contains(&spec) {
            continue;
        }
        loaded.push(spec.clone());
        let part = match RuleSet::builtin_for(&spec, presence) {
            Some(r) => r.map_err(fail)?,
            None => {
                let path = match &top {
                    Some(t) if Path::new(&spec).is_relative() => t.join(&spec),
                    _ => PathBuf::from(&spec),
                };
                let text = crate::bounded::read_to_string(&path).map_err(|e| EngineError::Said {
                    message: format!(
                        "git-secrets: registry '{spec}': neither a built-in pack nor a readable file ({}: {})\n",
                        path.display(),
                        scan::io_message(&e)
                    ),
                    code: 2,
                })?;
                if !trust.project_file && !from_config.contains(&spec) {
                    let (part, dropped) =
                        RuleSet::from_toml_without_allowlist(&text, &spec).map_err(fail)?;
                    if dropped > 0 {
                        notes.push(Note::Text(format!(
                            "git-secrets: note: ignoring the allowlist of registry '{spec}' named by .git-secrets.toml ({})",
                            trust.reason
                        )));
                    }
                    part
                } else {
                    let part = RuleSet::from_toml(&text, &spec).map_err(fail)?;
                    warn_broad(
                        part.unrestricted_allowed_patterns(),
                        &format!("registry '{spec}'"),
                        notes,
                    );
                    part
                }
            }
        };
        set.extend(part).map_err(fail)?;
    }
    if let Some(project) = project {
        let disabled = project.disabled.clone();
        set.add_project_allowed(project, ".git-secrets.toml")
            .map_err(fail)?;
        set.disable(&disabled);
    }
    set.finish();
    Ok(Some(set))
}

/// A warning for each of `patterns` (regex syntax) that matches almost anything.
fn warn_broad(patterns: Vec<&str>, origin: &str, notes: &mut Vec<Note>) {
    for p in patterns {
        let broad = regex::bytes::RegexBuilder::new(p)
            .unicode(false)
            .build()
            .is_ok_and(|r| crate::policy::is_broad(|s| r.is_match(s)));
        if broad {
            notes.push(Note::Text(crate::policy::broad_warning(
                p.as_bytes(),
                origin,
            )));
        }
    }
}

/// The project file as the policy lets it apply ([`crate::policy`]): an untrusted one loses its
/// allowlist and disabled rules (with a note); a trusted one's broad entries are warned about.
fn project_policy(
    project: ProjectFile,
    trust: crate::policy::RepositoryTrust,
    notes: &mut Vec<Note>,
) -> ProjectFile {
    let allows = !project.allowed_patterns().is_empty();
    let disables = !project.disabled.is_empty();
    if trust.project_file {
        warn_broad(project.allowed_patterns(), ".git-secrets.toml", notes);
        return project;
    }
    let what = match (allows, disables) {
        (true, true) => "the allowlist and disabled rules",
        (true, false) => "the allowlist",
        (false, true) => "the disabled rules",
        (false, false) => return project,
    };
    notes.push(Note::Text(format!(
        "git-secrets: note: ignoring {what} of .git-secrets.toml ({})",
        trust.reason
    )));
    project.without_allowlists()
}

/// The message grep or git prints for a pattern that does not compile; for what only we
/// reject (backreferences, size limits), a message naming the pattern and its origin.
fn compile_error(e: CompileError, patterns: &[Pattern], mode: WordMode) -> EngineError {
    let code = match mode {
        WordMode::GnuGrep => 2,
        WordMode::GitGrep => 128,
    };
    let message = match (e.refusal, mode) {
        (Refusal::Ours, _) => format!(
            "git-secrets: invalid pattern '{}' from {}: {}\n",
            e.pattern.as_bstr(),
            e.origin,
            e.message
        ),
        (Refusal::Glibc, WordMode::GnuGrep) => format!("grep: {}\n", e.message),
        (Refusal::Glibc, WordMode::GitGrep) => {
            let joined = patterns
                .iter()
                .map(|p| p.ere.as_slice())
                .collect::<Vec<_>>()
                .join(&b'|');
            return EngineError::GitPatterns {
                joined: joined.into(),
                reason: e.message,
            };
        }
    };
    EngineError::Said { message, code }
}

pub(crate) fn not_a_repository() -> EngineError {
    EngineError::Said {
        message: "fatal: not a git repository (or any of the parent directories): .git\n".into(),
        code: 128,
    }
}
