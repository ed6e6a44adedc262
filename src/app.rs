//! One function per command: wires config → patterns → source → allowlist → report, and
//! returns the exit code, or why the command stopped ([`AppError`]), which [`run`] renders
//! once. Output streams and wording follow upstream git-secrets.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use bstr::ByteSlice;

use crate::cli::{self, Command, Flags, Parsed};
use crate::config::{self, Context};
use crate::detect::Detector;
use crate::ending::{Reporting, Scan, finish, finish_with, preflight, requested_reports};
use crate::engine::{detector_for, not_a_repository, refuse_untrusted};
use crate::failure::{AppError, Hook};
use crate::matcher::WordMode;
use crate::patterns;
use crate::report;
use crate::rules::RuleSet;
use crate::scan::{self, EngineError, Finding, GitScan, GitSource};

/// Run the command line (without the program name); returns the process exit code.
pub fn run(argv: &[OsString]) -> u8 {
    match cli::parse(argv) {
        Parsed::Exit {
            stdout,
            stderr,
            code,
        } => {
            report::out(stdout.as_bytes());
            report::err(stderr.as_bytes());
            code
        }
        Parsed::Run {
            command,
            flags,
            args,
        } => match dispatch(command, &flags, &args) {
            Ok(code) => code,
            Err(e) => {
                report::failure(&e);
                e.code()
            }
        },
    }
}

fn dispatch(command: Command, flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    match command {
        Command::Scan => scan_command(flags, args),
        Command::ScanHistory => history_command(flags),
        Command::Install => install(flags, args),
        Command::List => list(flags),
        Command::Add => {
            let key = if flags.allowed {
                "secrets.allowed"
            } else {
                "secrets.patterns"
            };
            let value = args
                .first()
                .map(|a| a.as_bytes().to_vec())
                .unwrap_or_default();
            Ok(add_config(key, &value, flags))
        }
        Command::AddProvider => {
            let value = args
                .iter()
                .map(|a| a.as_bytes())
                .collect::<Vec<_>>()
                .join(&b' ');
            Ok(add_config("secrets.providers", &value, flags))
        }
        Command::RegisterAws => Ok(register_aws(flags)),
        Command::AwsProvider => {
            let file = args.first().map(PathBuf::from);
            report::out(&patterns::aws_provider(file));
            Ok(0)
        }
        Command::CommitMsgHook => fail_closed(commit_msg_hook(flags, args), Hook::CommitMsg),
        Command::PreCommitHook => fail_closed(pre_commit_hook(flags), Hook::PreCommit),
        Command::PrepareCommitMsgHook => {
            fail_closed(prepare_commit_msg_hook(flags, args), Hook::PrepareCommitMsg)
        }
        Command::ScanRange => crate::push::scan_range_command(flags).map(report::end),
        Command::PrePushHook => fail_closed(
            crate::push::pre_push_hook(flags, args).map(report::end),
            Hook::PrePush,
        ),
        Command::PreReceiveHook => crate::push::pre_receive_hook(flags).map(report::end),
        Command::ScanRepos => crate::audit::scan_repos_command(flags),
        Command::Register => register(flags, args),
        Command::CheckRegistry => check_registry(args),
        Command::Version => {
            report::out(crate::version::text().as_bytes());
            Ok(0)
        }
    }
}

/// A hook whose scan could not run (exit code 2 or more) refuses, and says why and how to
/// get past it on purpose.
fn fail_closed(result: Result<u8, AppError>, hook: Hook) -> Result<u8, AppError> {
    match result? {
        code if code >= 2 => Err(AppError::HookCannotRun { hook, code }),
        code => Ok(code),
    }
}

fn scan_command(flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    let given: Vec<&str> = [
        (flags.cached, "--cached"),
        (flags.untracked, "--untracked"),
        (flags.no_index, "--no-index"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, name)| *name)
    .collect();
    if given.len() > 1 {
        // Upstream turned all but the first into pathspecs and scanned nothing (quirk 4).
        return Err(AppError::Combined(given));
    }
    let ctx = Context::discover()?;
    let git_mode = args.is_empty() || !given.is_empty();
    if git_mode && !flags.no_index {
        refuse_untrusted(&ctx)?;
    }
    let mode = match (git_mode, flags.cached, flags.untracked, flags.no_index) {
        (false, ..) => "scan-files",
        (true, true, _, _) => "scan-cached",
        (true, _, true, _) => "scan-untracked",
        (true, _, _, true) => "scan-no-index",
        _ => "scan",
    };
    let reporting = Reporting::new(flags, mode);
    match preflight(&ctx, flags, mode) {
        Ok(said) => report::say(said),
        Err(outcome) => return Ok(report::end(outcome)),
    }
    let result = if git_mode {
        let source = if flags.cached {
            GitSource::Cached
        } else if flags.untracked {
            GitSource::Untracked
        } else if flags.no_index {
            GitSource::NoIndex
        } else {
            GitSource::Worktree
        };
        detector_for(&ctx, WordMode::GitGrep)
            .and_then(|d| git_scan(&ctx, &d, source, args).map(|f| Scan::of(f, &d)))
    } else {
        detector_for(&ctx, WordMode::GnuGrep).and_then(|d| {
            if d.is_empty() {
                Ok(Scan::default())
            } else {
                scan::file_mode(&d, args, flags.recursive).map(|f| Scan::of(f, &d))
            }
        })
    };
    Ok(report::end(finish(&ctx, &reporting, result)))
}

fn git_scan(
    ctx: &Context,
    detector: &Detector,
    source: GitSource,
    args: &[OsString],
) -> Result<Vec<Finding>, EngineError> {
    if detector.is_empty() {
        return Ok(Vec::new());
    }
    let mut scan = match (source, &ctx.repo) {
        (GitSource::NoIndex, repo) => GitScan::no_index(repo.as_ref())?,
        (_, Some(repo)) => GitScan::new(repo)?,
        (_, None) => return Err(not_a_repository()),
    };
    let specs = scan.pathspecs(args)?;
    match source {
        GitSource::Worktree => scan.tracked(detector, &specs, false),
        GitSource::Cached => scan.tracked(detector, &specs, true),
        GitSource::Untracked => scan.on_disk(detector, &specs, false),
        GitSource::NoIndex => scan.on_disk(detector, &specs, true),
    }
}

fn history_command(flags: &Flags) -> Result<u8, AppError> {
    let ctx = Context::discover()?;
    refuse_untrusted(&ctx)?;
    let reporting = Reporting::new(flags, "scan-history");
    match preflight(&ctx, flags, "scan-history") {
        Ok(said) => report::say(said),
        Err(outcome) => return Ok(report::end(outcome)),
    }
    let machine = requested_reports(flags).is_ok_and(|r| !r.is_empty());
    let detector = match detector_for(&ctx, WordMode::GitGrep) {
        // Nothing to look for: upstream's silent pass, but a machine report is still
        // written (an empty one), as docs/formats.md promises.
        Ok(d) if d.is_empty() && !machine => return Ok(0),
        Ok(d) if d.is_empty() => {
            return Ok(report::end(finish(&ctx, &reporting, Ok(Scan::default()))));
        }
        // Upstream's `git log -G` complains before its `git grep` does.
        other => other.map_err(EngineError::in_history),
    };
    let result = detector.and_then(|d| match &ctx.repo {
        None => Err(EngineError::Said {
            message: "fatal: not a git repository (or any of the parent directories): .git\n"
                .repeat(2),
            code: 128,
        }),
        Some(repo) => {
            crate::history::scan_history(repo, &d, flags.opts.verbose, machine).map(|mut scan| {
                scan.notes.extend(d.notes());
                scan
            })
        }
    });
    Ok(report::end(finish(&ctx, &reporting, result)))
}

fn commit_msg_hook(flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    let ctx = Context::discover()?;
    let reporting = Reporting::new(flags, "commit-msg");
    let file = args.first().cloned().unwrap_or_default();
    let result = detector_for(&ctx, WordMode::GnuGrep).and_then(|d| {
        if d.is_empty() {
            Ok(Scan::default())
        } else {
            scan::file_mode(&d, std::slice::from_ref(&file), false).map(|f| Scan::of(f, &d))
        }
    });
    // Quirk 12, fixed: the lines git's cleanup will strip (its `#` template) are not the
    // message, so they are not scanned. git runs the hook with `GIT_EDITOR=:` when no editor
    // was used.
    let editor_used = std::env::var_os("GIT_EDITOR").is_none_or(|e| e != ":");
    let stripped = std::fs::read(Path::new(&file))
        .map(|content| crate::hooks::stripped_message_lines(&ctx, &content, editor_used))
        .unwrap_or_default();
    Ok(report::end(finish_with(&ctx, &reporting, result, |f| {
        stripped.contains(&f.line)
    })))
}

fn pre_commit_hook(flags: &Flags) -> Result<u8, AppError> {
    let ctx = Context::discover()?;
    refuse_untrusted(&ctx)?;
    let reporting = Reporting::new(flags, "pre-commit");
    let result = crate::engine::staged_scan(&ctx).map(|scan| match scan {
        Some((findings, detector)) => Scan::of(findings, &detector),
        None => Scan::default(),
    });
    Ok(report::end(finish(&ctx, &reporting, result)))
}

fn prepare_commit_msg_hook(flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    let reporting = Reporting::new(flags, "prepare-commit-msg");
    let source = args.get(1).map(|a| a.as_bytes()).unwrap_or(b"");
    let sha = args.get(2).map(|a| a.as_bytes()).unwrap_or(b"");
    if source != b"merge" || !sha.is_empty() {
        return Ok(0);
    }
    let ctx = Context::discover()?;
    refuse_untrusted(&ctx)?;
    let log = match &ctx.repo {
        Some(repo) => crate::hooks::merge_log(repo.git_dir()),
        None => Err(not_a_repository().message().trim_end().to_string()),
    };
    let result = log.map_err(|message| EngineError::Said {
        message: message + "\n",
        code: 2,
    });
    let result = result.and_then(|log| detector_for(&ctx, WordMode::GnuGrep).map(|d| (d, log)));
    let result = result.map(|(d, log)| {
        let mut findings = Vec::new();
        if !d.is_empty() {
            let mut scratch = d.scratch();
            let target = crate::detect::Target {
                display: b"(standard input)",
                repo_path: crate::rules::PathScope::At(b"(standard input)"),
                commit: None,
            };
            d.scan(&mut scratch, &log, target, &mut findings);
        }
        Scan::of(findings, &d)
    });
    Ok(report::end(finish(&ctx, &reporting, result)))
}

fn list(flags: &Flags) -> Result<u8, AppError> {
    // Upstream left `secrets.*` unquoted, so a `secrets.yml` in the current directory was
    // globbed into the argument (quirk 3, fixed).
    let mut args: Vec<&OsStr> = vec![OsStr::new("config")];
    if flags.global {
        args.push(OsStr::new("--global"));
    }
    args.extend([OsStr::new("--get-regex"), OsStr::new("secrets.*")]);
    let code = git_passthrough(&args);
    let ctx = Context::discover()?;
    report::err(crate::inventory::registry_summary(&ctx, flags.global).as_bytes());
    Ok(code)
}

/// Run `git <args>` with our stdio; its exit code is ours, 128 when git cannot be started.
fn git_passthrough(args: &[&OsStr]) -> u8 {
    crate::hooks::git_passthrough(args).unwrap_or_else(|e| {
        report::err(format!("git-secrets: cannot run git: {e}\n").as_bytes());
        128
    })
}

/// Upstream's `add_config`: skip (exit 1) when an existing value contains the new one as a
/// substring (`grep -F`), else `git config --add`.
fn add_config(key: &str, value: &[u8], flags: &Flags) -> u8 {
    let mut value = value.to_vec();
    if flags.literal {
        value = escape_literal(&value);
    }
    let scope: &[&OsStr] = if flags.global {
        &[OsStr::new("--global")]
    } else {
        &[]
    };
    let mut get: Vec<&OsStr> = vec![OsStr::new("config")];
    get.extend(scope);
    get.extend([OsStr::new("--get-all"), OsStr::new(key)]);
    if let Ok(existing) = config::git(&get) {
        report::err(&existing.stderr);
        if contains_fixed(&existing.stdout, &value) {
            return 1;
        }
    }
    let mut add: Vec<&OsStr> = vec![OsStr::new("config")];
    add.extend(scope);
    add.extend([
        OsStr::new("--add"),
        OsStr::new(key),
        OsStr::from_bytes(&value),
    ]);
    git_passthrough(&add)
}

/// `sed 's/[\.|$(){}?+*^]/\\&/g'`: escape ERE metacharacters, but not `[` or `]` (kept as
/// upstream has it).
fn escape_literal(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() * 2);
    for &b in value {
        if b"\\.|$(){}?+*^".contains(&b) {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

/// `printf '%s' existing | grep -Fq value`: any line of `value` is a substring of any line.
/// A value starting with `-` made upstream's grep fail on its options, so it never matched.
fn contains_fixed(existing: &[u8], value: &[u8]) -> bool {
    if value.starts_with(b"-") || existing.is_empty() {
        return false;
    }
    let needles: Vec<&[u8]> = value.split_str("\n").collect();
    existing
        .strip_suffix(b"\n")
        .unwrap_or(existing)
        .split_str("\n")
        .any(|line| needles.iter().any(|n| line.find(n).is_some()))
}

/// The AWS patterns of upstream master (with the Amazon Bedrock API key patterns).
pub const AWS_PATTERNS: [(&str, &str); 8] = [
    ("secrets.providers", "git secrets --aws-provider"),
    (
        "secrets.patterns",
        "(A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}",
    ),
    ("secrets.patterns", "ABSK[A-Za-z0-9+/]{109,}=*"),
    (
        "secrets.patterns",
        "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t",
    ),
    (
        "secrets.patterns",
        r#"("|')?(AWS|aws|Aws)?_?(SECRET|secret|Secret)?_?(ACCESS|access|Access)?_?(KEY|key|Key)("|')?\s*(:|=>|=)\s*("|')?[A-Za-z0-9/\+=]{40}("|')?"#,
    ),
    (
        "secrets.patterns",
        r#"("|')?(AWS|aws|Aws)?_?(ACCOUNT|account|Account)_?(ID|id|Id)?("|')?\s*(:|=>|=)\s*("|')?[0-9]{4}\-?[0-9]{4}\-?[0-9]{4}("|')?"#,
    ),
    ("secrets.allowed", "AKIAIOSFODNN7EXAMPLE"),
    (
        "secrets.allowed",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ),
];

fn register_aws(flags: &Flags) -> u8 {
    let plain = Flags {
        global: flags.global,
        ..Flags::default()
    };
    let mut last = 0;
    for (key, value) in AWS_PATTERNS {
        last = add_config(key, value.as_bytes(), &plain);
    }
    if last == 0 {
        report::out(b"OK\n");
    }
    // Upstream always exits 0 here.
    0
}

/// `--register <pack-or-file>`: check that it loads, then add it to `secrets.registries`.
fn register(flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    let Some(spec) = args.first().map(|a| a.to_string_lossy().into_owned()) else {
        return Err(AppError::RegisterNeedsArgument);
    };
    match RuleSet::builtin(&spec) {
        Some(r) => r.map(drop),
        None => match std::fs::read_to_string(&spec) {
            Ok(text) => RuleSet::from_toml(&text, &spec).map(drop),
            Err(e) => {
                return Err(AppError::NotARegistry {
                    spec,
                    reason: scan::io_message(&e),
                });
            }
        },
    }
    .map_err(AppError::Registry)?;
    // A file is stored as an absolute path, so scans from any directory find it.
    let value = if RuleSet::builtin(&spec).is_some() {
        spec
    } else {
        std::fs::canonicalize(&spec)
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or(spec)
    };
    let scope = if flags.global { "--global" } else { "--local" };
    let existing = config::git(&[
        OsStr::new("config"),
        OsStr::new(scope),
        OsStr::new("--get-all"),
        OsStr::new("secrets.registries"),
    ]);
    let already = existing.is_ok_and(|o| o.stdout.lines().any(|l| l == value.as_bytes()));
    let where_ = if flags.global {
        "global config"
    } else {
        "this repository's config"
    };
    if already {
        // Registering twice is not an error: scripts and install.sh run it unconditionally.
        report::err(format!("git-secrets: {value} is already registered ({where_})\n").as_bytes());
        return Ok(0);
    }
    // Exact values, not add_config's substring test: `aws` is not registered because
    // `/srv/aws-extra.toml` is.
    let code = git_passthrough(&[
        OsStr::new("config"),
        OsStr::new(scope),
        OsStr::new("--add"),
        OsStr::new("secrets.registries"),
        OsStr::new(&value),
    ]);
    if code == 0 {
        report::err(
            format!("git-secrets: registered {value} (secrets.registries, {where_})\n").as_bytes(),
        );
    }
    Ok(code)
}

/// `--check-registry FILE`: compile a registry and run every example through the engine.
fn check_registry(args: &[OsString]) -> Result<u8, AppError> {
    let Some(file) = args.first() else {
        return Err(AppError::CheckRegistryNeedsFile);
    };
    let name = file.to_string_lossy();
    let text = crate::bounded::read_to_string(Path::new(file)).map_err(|e| {
        AppError::UnreadableRegistry {
            name: name.to_string(),
            reason: scan::io_message(&e),
        }
    })?;
    let set = RuleSet::from_toml(&text, &name).map_err(AppError::Registry)?;
    let problems = set.check_examples();
    if !problems.is_empty() {
        return Err(AppError::ExamplesFailed(problems));
    }
    report::out(
        format!(
            "{name}: {} rules, every example checked\n",
            set.rules().len()
        )
        .as_bytes(),
    );
    Ok(0)
}

fn install(flags: &Flags, args: &[OsString]) -> Result<u8, AppError> {
    let explicit = args.first().filter(|a| !a.is_empty());
    let hooks_dir = match explicit {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            let target = if dir.join(".git").is_dir() {
                dir.join(".git")
            } else {
                dir
            };
            target.join("hooks")
        }
        None => crate::hooks::hooks_dir()?,
    };
    if let Err((component, reason)) = crate::hooks::mkdir_p(&hooks_dir) {
        return Err(AppError::CannotCreateHooksDir {
            component,
            reason,
            target: hooks_dir.parent().unwrap_or(&hooks_dir).to_path_buf(),
        });
    }
    let mut hooks = vec!["commit-msg", "pre-commit", "prepare-commit-msg"];
    if flags.opts.install_pre_receive {
        // A server-side repository only needs the pre-receive hook.
        hooks = vec!["pre-receive"];
    } else if flags.opts.install_pre_push {
        hooks.push("pre-push");
    }
    for hook in hooks {
        report::out(crate::hooks::install_hook(&hooks_dir, hook, flags.force)?.as_bytes());
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_escaping_keeps_brackets() {
        assert_eq!(escape_literal(b"testing+abc"), b"testing\\+abc");
        assert_eq!(escape_literal(b"x[y].z"), b"x[y]\\.z");
    }

    #[test]
    fn substring_dedup_like_grep_f() {
        assert!(contains_fixed(b"forbidden|me\n", b"me"));
        assert!(!contains_fixed(b"forbidden|me\n", b"forbidden|me|x"));
        assert!(contains_fixed(b"@todo\n", b"todo"));
        assert!(contains_fixed(b"x\n", b""));
        assert!(!contains_fixed(b"", b""));
        assert!(!contains_fixed(b"-x\n", b"-x"));
    }
}
