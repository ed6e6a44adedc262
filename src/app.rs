//! One function per command: wires config → patterns → source → allowlist → report, and
//! returns the exit code. Output streams and wording follow upstream git-secrets.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use bstr::ByteSlice;

use crate::allow::Allowlist;
use crate::cli::{self, Command, Flags, Parsed};
use crate::config::{self, Context};
use crate::detect::Detector;
use crate::matcher::{CompileError, Matcher, Pattern, WordMode};
use crate::patterns;
use crate::report;
use crate::rules::{ProjectFile, RuleSet};
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
        } => dispatch(command, &flags, &args),
    }
}

fn dispatch(command: Command, flags: &Flags, args: &[OsString]) -> u8 {
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
            add_config(key, &value, flags)
        }
        Command::AddProvider => {
            let value = args
                .iter()
                .map(|a| a.as_bytes())
                .collect::<Vec<_>>()
                .join(&b' ');
            add_config("secrets.providers", &value, flags)
        }
        Command::RegisterAws => register_aws(flags),
        Command::AwsProvider => {
            let file = args.first().map(PathBuf::from);
            report::out(&patterns::aws_provider(file));
            0
        }
        Command::CommitMsgHook => fail_closed(
            commit_msg_hook(flags, args),
            "the commit-msg check could not run, so the commit is refused (git commit --no-verify skips it deliberately)",
        ),
        Command::PreCommitHook => fail_closed(
            pre_commit_hook(flags),
            "the pre-commit check could not run, so the commit is refused (git commit --no-verify skips it deliberately)",
        ),
        Command::PrepareCommitMsgHook => fail_closed(
            prepare_commit_msg_hook(flags, args),
            "the merge check could not run, so the merge is refused (fix the problem above: --no-verify does not skip this hook)",
        ),
        Command::ScanRange => crate::push::scan_range_command(flags),
        Command::PrePushHook => crate::push::pre_push_hook(flags, args),
        Command::PreReceiveHook => crate::push::pre_receive_hook(flags),
        Command::ScanRepos => crate::audit::scan_repos_command(flags),
        Command::Register => register(flags, args),
        Command::CheckRegistry => check_registry(args),
        Command::Version => {
            report::out(crate::version::text().as_bytes());
            0
        }
    }
}

/// git-mode commands and hooks need the repository: in one that belongs to someone else
/// they stop as git does (`fatal: detected dubious ownership ...`, exit 128) before reading
/// anything, even with no patterns configured. `Some(exit code)` when stopped.
pub fn refuse_untrusted(ctx: &Context) -> Option<u8> {
    let message = ctx.untrusted()?;
    report::err(message.as_bytes());
    Some(128)
}

/// A hook whose scan could not run (exit code 2 or more) refuses, and says why and how to
/// get past it on purpose.
fn fail_closed(code: u8, explanation: &str) -> u8 {
    if code >= 2 {
        report::err(format!("git-secrets: {explanation}\n").as_bytes());
    }
    code
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
fn load_patterns(ctx: &Context) -> Result<Vec<Pattern>, EngineError> {
    patterns::load(ctx).map_err(|message| EngineError {
        message: message + "\n",
        code: 2,
    })
}

/// The detector of a git-mode or file-mode scan, with the patterns from config and providers.
pub fn detector_for(ctx: &Context, mode: WordMode) -> Result<Detector, EngineError> {
    let loaded = load_patterns(ctx)?;
    let patterns = match mode {
        WordMode::GitGrep => git_mode_patterns(loaded),
        WordMode::GnuGrep => file_mode_patterns(loaded),
    };
    detector(ctx, &patterns, mode)
}

/// Report the result of a scan of ours (range, push hooks) like every other scan.
pub fn finish_scan(
    ctx: &Context,
    flags: &Flags,
    mode: &'static str,
    result: Result<Vec<Finding>, EngineError>,
) -> u8 {
    finish(ctx, &Reporting::new(flags, mode), result)
}

/// `findings` without the ones the allowed patterns (config and `.gitallowed`) drop; an
/// allowed pattern that does not compile drops nothing (fail closed).
pub fn allowed_findings(ctx: &Context, mut findings: Vec<Finding>) -> Vec<Finding> {
    let top = config::toplevel(ctx).ok();
    if let Ok(Some(allowed)) = Allowlist::load(ctx, top.as_deref()).compile() {
        findings.retain(|f| !allowed.is_match(&f.render()));
    }
    findings
}

/// Everything this scan looks for: the prohibited patterns (with the engine's `-w`
/// semantics) and the registries in effect.
fn detector(ctx: &Context, patterns: &[Pattern], mode: WordMode) -> Result<Detector, EngineError> {
    let compat = Matcher::new(patterns, mode).map_err(|e| compile_error(e, patterns, mode))?;
    let rules = registries(ctx)?;
    Ok(Detector::new(compat, rules).with_max_file_size(max_file_size(ctx)?))
}

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
        None => Err(EngineError {
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
fn registries(ctx: &Context) -> Result<Option<RuleSet>, EngineError> {
    let fail = |e: crate::rules::RegistryError| EngineError {
        message: format!("git-secrets: {e}\n"),
        code: 2,
    };
    let trust = crate::policy::RepositoryTrust::from_config(ctx).map_err(|m| EngineError {
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
            let text = std::fs::read_to_string(path).map_err(|e| EngineError {
                message: format!(
                    "git-secrets: {}: {}\n",
                    path.display(),
                    scan::io_message(&e)
                ),
                code: 2,
            })?;
            let parsed = ProjectFile::parse(&text, ".git-secrets.toml").map_err(fail)?;
            Some(project_policy(parsed, trust))
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
        let part = match RuleSet::builtin(&spec) {
            Some(r) => r.map_err(fail)?,
            None => {
                let path = match &top {
                    Some(t) if Path::new(&spec).is_relative() => t.join(&spec),
                    _ => PathBuf::from(&spec),
                };
                let text = std::fs::read_to_string(&path).map_err(|e| EngineError {
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
                        report::err(
                            format!(
                                "git-secrets: note: ignoring the allowlist of registry '{spec}' named by .git-secrets.toml ({})\n",
                                trust.reason
                            )
                            .as_bytes(),
                        );
                    }
                    part
                } else {
                    let part = RuleSet::from_toml(&text, &spec).map_err(fail)?;
                    warn_broad(
                        part.unrestricted_allowed_patterns(),
                        &format!("registry '{spec}'"),
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

/// A warning on stderr for each of `patterns` (regex syntax) that matches almost anything.
fn warn_broad(patterns: Vec<&str>, origin: &str) {
    for p in patterns {
        let broad = regex::bytes::RegexBuilder::new(p)
            .unicode(false)
            .build()
            .is_ok_and(|r| crate::policy::is_broad(|s| r.is_match(s)));
        if broad {
            report::err(crate::policy::broad_warning(p.as_bytes(), origin).as_bytes());
        }
    }
}

/// The project file as the policy lets it apply ([`crate::policy`]): an untrusted one loses its
/// allowlist and disabled rules (with a note); a trusted one's broad entries are warned about.
fn project_policy(project: ProjectFile, trust: crate::policy::RepositoryTrust) -> ProjectFile {
    let allows = !project.allowed_patterns().is_empty();
    let disables = !project.disabled.is_empty();
    if trust.project_file {
        warn_broad(project.allowed_patterns(), ".git-secrets.toml");
        return project;
    }
    let what = match (allows, disables) {
        (true, true) => "the allowlist and disabled rules",
        (true, false) => "the allowlist",
        (false, true) => "the disabled rules",
        (false, false) => return project,
    };
    report::err(
        format!(
            "git-secrets: note: ignoring {what} of .git-secrets.toml ({})\n",
            trust.reason
        )
        .as_bytes(),
    );
    project.without_allowlists()
}

/// The message grep or git prints for a pattern that does not compile; for what only we
/// reject (backreferences, size limits), a message naming the pattern and its origin.
fn compile_error(e: CompileError, patterns: &[Pattern], mode: WordMode) -> EngineError {
    let glibc = !(e.message.contains("not supported") || e.message.contains("too large"));
    let code = match mode {
        WordMode::GnuGrep => 2,
        WordMode::GitGrep => 128,
    };
    let message = if !glibc {
        format!(
            "git-secrets: invalid pattern '{}' from {}: {}\n",
            e.pattern.as_bstr(),
            e.origin,
            e.message
        )
    } else if mode == WordMode::GnuGrep {
        format!("grep: {}\n", e.message)
    } else {
        let joined = patterns
            .iter()
            .map(|p| p.ere.as_slice())
            .collect::<Vec<_>>()
            .join(&b'|');
        format!(
            "fatal: command line, '{}': {}\n",
            joined.as_bstr(),
            e.message
        )
    };
    EngineError { message, code }
}

fn scan_command(flags: &Flags, args: &[OsString]) -> u8 {
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
        report::err(format!("{} cannot be combined\n", given.join(" and ")).as_bytes());
        return 1;
    }
    let ctx = Context::discover();
    let git_mode = args.is_empty() || !given.is_empty();
    if git_mode
        && !flags.no_index
        && let Some(code) = refuse_untrusted(&ctx)
    {
        return code;
    }
    let mode = match (git_mode, flags.cached, flags.untracked, flags.no_index) {
        (false, ..) => "scan-files",
        (true, true, _, _) => "scan-cached",
        (true, _, true, _) => "scan-untracked",
        (true, _, _, true) => "scan-no-index",
        _ => "scan",
    };
    let reporting = Reporting::new(flags, mode);
    if let Some(code) = preflight(&ctx, flags, mode) {
        return code;
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
        detector_for(&ctx, WordMode::GitGrep).and_then(|d| git_scan(&ctx, &d, source, args))
    } else {
        detector_for(&ctx, WordMode::GnuGrep).and_then(|d| {
            if d.is_empty() {
                Ok(Vec::new())
            } else {
                scan::file_mode(&d, args, flags.recursive)
            }
        })
    };
    finish(&ctx, &reporting, result)
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

fn not_a_repository() -> EngineError {
    EngineError {
        message: "fatal: not a git repository (or any of the parent directories): .git\n".into(),
        code: 128,
    }
}

/// How findings are reported: upstream's human lines, or a machine format.
struct Reporting<'a> {
    flags: &'a Flags,
    /// Which scan this is (named in machine formats).
    mode: &'static str,
}

impl<'a> Reporting<'a> {
    fn new(flags: &'a Flags, mode: &'static str) -> Reporting<'a> {
        Reporting { flags, mode }
    }
}

/// Upstream's `process_output`: engine errors end the scan with their code; findings are
/// filtered through the allowed patterns; what remains is printed with the banner (exit 1).
fn finish(ctx: &Context, report: &Reporting, result: Result<Vec<Finding>, EngineError>) -> u8 {
    finish_with(ctx, report, result, |_| false)
}

fn finish_with(
    ctx: &Context,
    reporting: &Reporting,
    result: Result<Vec<Finding>, EngineError>,
    skip: impl Fn(&Finding) -> bool,
) -> u8 {
    let reports = match requested_reports(reporting.flags) {
        Ok(r) => r,
        Err(msg) => {
            report::err(format!("git-secrets: {msg}\n").as_bytes());
            return 2;
        }
    };
    if let Err(e) = &result {
        report::err(e.message.as_bytes());
    }
    // Upstream loads the allowed list (and so runs `git rev-parse --show-toplevel`) on every
    // scan, even a failed or clean one; outside a work tree that prints git's `fatal:` line.
    let toplevel = match config::toplevel(ctx) {
        Ok(t) => Some(t),
        Err(msg) => {
            // In a bare or mirror repository that line is noise (the scan runs and reports
            // normally), so it is left out there (issue 15; upstream printed it).
            if !is_bare(ctx) {
                report::err(msg.as_bytes());
            }
            None
        }
    };
    let findings = match result {
        Err(e) => return e.code,
        Ok(f) => f,
    };
    let mut findings: Vec<Finding> = findings.into_iter().filter(|f| !skip(f)).collect();
    if !findings.is_empty() {
        let allowed = Allowlist::load(ctx, toplevel.as_deref());
        for note in allowed.notes() {
            report::err(note.as_bytes());
        }
        let allowed = match allowed.compile() {
            Ok(a) => a,
            Err(e) => {
                // Upstream's `grep -Ev` failed here and the scan passed silently: fail closed.
                report::err(
                    format!(
                        "git-secrets: invalid allowed pattern '{}' from {}: {}\n",
                        e.pattern.as_bstr(),
                        e.origin,
                        e.message
                    )
                    .as_bytes(),
                );
                return 2;
            }
        };
        if let Some(allowed) = allowed {
            findings.retain(|f| !allowed.is_match(&f.render()));
        }
        findings.retain(|f| f.rule.is_none() || !has_inline_allow(&f.text));
    }
    let findings = crate::dedupe::one_per_span(findings);
    let baseline = match baseline_file(ctx, reporting.flags) {
        Ok(b) => b,
        Err(e) => {
            report::err(e.message.as_bytes());
            return e.code;
        }
    };
    if reporting.flags.opts.update_baseline && baseline.is_none() {
        // It ran as a plain scan before, and the findings were not recorded anywhere.
        report::err(b"git-secrets: --update-baseline needs a baseline file: give --baseline FILE or configure secrets.baseline\n");
        return 2;
    }
    // Only reports and baselines that hold fingerprints need the key: the human report never
    // makes the per-user key file.
    let needs_key = !reports.is_empty() || baseline.is_some();
    let key = if needs_key {
        match fingerprint_key(ctx) {
            Ok(k) => Some(k),
            Err(code) => return code,
        }
    } else {
        None
    };
    let mut findings = findings;
    if let (Some(path), Some(key)) = (baseline, &key) {
        let path = path.as_path();
        if reporting.flags.opts.update_baseline {
            return match crate::baseline::write(path, &findings, key) {
                Ok(()) => {
                    report::err(
                        format!(
                            "git-secrets: {} finding(s) recorded in {}\n",
                            findings.len(),
                            path.display()
                        )
                        .as_bytes(),
                    );
                    0
                }
                Err(e) => {
                    report::err(format!("git-secrets: {e}\n").as_bytes());
                    2
                }
            };
        }
        match crate::baseline::read(path, key) {
            Ok(accepted) => findings.retain(|f| !accepted.contains(&f.fingerprint(key))),
            Err(e) => {
                report::err(format!("git-secrets: {e}\n").as_bytes());
                return 2;
            }
        }
    }
    match (reports.is_empty(), key) {
        (false, Some(key)) => machine_reports(ctx, reporting, &reports, &findings, toplevel, key),
        _ => {
            let mut lines: Vec<Vec<u8>> = findings.iter().map(Finding::render).collect();
            // A line found by a pattern and by a rule (or by two rules) is printed once.
            lines.dedup();
            if lines.is_empty() {
                return 0;
            }
            report::human(&lines);
            1
        }
    }
}

/// The fingerprint key for reports and baselines, with a note when a per-user key was just
/// made (in CI that key lives only as long as the build machine, so it says how to share
/// one); an unusable key is exit 2.
fn fingerprint_key(ctx: &Context) -> Result<crate::fingerprint::FingerprintKey, u8> {
    use crate::fingerprint::{FingerprintKey, KEY_ENV, KeyOrigin};
    match FingerprintKey::load(ctx) {
        Ok((key, KeyOrigin::MadeUserFile(path))) => {
            let ci = std::env::var_os("CODEBUILD_BUILD_ID").is_some()
                || std::env::var("CI").is_ok_and(|v| v == "true");
            let why = if ci {
                "; in CI it changes with every build machine, and so do ASFF Ids"
            } else {
                ""
            };
            report::err(
                format!(
                    "git-secrets: note: no fingerprint key configured; made a random one in {}{why} (share one with {KEY_ENV} or secrets.fingerprintKeyFile)\n",
                    path.display()
                )
                .as_bytes(),
            );
            Ok(key)
        }
        Ok((key, _)) => Ok(key),
        Err(e) => {
            report::err(format!("{e}\n").as_bytes());
            Err(2)
        }
    }
}

/// The baseline in effect: `--baseline FILE` (relative to the current directory), else
/// `secrets.baseline` in git config, else `baseline` in `.git-secrets.toml` (both relative to
/// the work tree root, or the git directory of a bare repository), so that hooks and every
/// scan honour the baseline a team recorded.
///
/// A configured file that does not exist yet accepts nothing (stricter, never laxer), with a
/// note; a `--baseline` that does not exist is an error (a typo on the command line).
pub fn baseline_file(ctx: &Context, flags: &Flags) -> Result<Option<PathBuf>, EngineError> {
    if let Some(file) = &flags.opts.baseline {
        return Ok(Some(file.clone()));
    }
    let configured = configured_baseline(ctx)?;
    match configured {
        Some(path) if !path.exists() && !flags.opts.update_baseline => {
            report::err(
                format!(
                    "git-secrets: note: the configured baseline {} does not exist yet, so it accepts nothing (create it with --update-baseline)\n",
                    path.display()
                )
                .as_bytes(),
            );
            Ok(None)
        }
        other => Ok(other),
    }
}

/// `secrets.baseline`, else `baseline` in `.git-secrets.toml`, resolved.
fn configured_baseline(ctx: &Context) -> Result<Option<PathBuf>, EngineError> {
    let base = ctx
        .workdir()
        .map(Path::to_path_buf)
        .or_else(|| ctx.repo.as_ref().map(|r| r.git_dir().to_path_buf()));
    let resolve = |value: &str| match &base {
        Some(b) if Path::new(value).is_relative() => b.join(value),
        _ => PathBuf::from(value),
    };
    if let Some(value) = ctx.get_all("secrets", "baseline").pop() {
        let value = value.to_str_lossy();
        if !value.trim().is_empty() {
            return Ok(Some(resolve(value.trim())));
        }
    }
    let Some(project) = ctx.workdir().map(|t| t.join(".git-secrets.toml")) else {
        return Ok(None);
    };
    let Ok(text) = std::fs::read_to_string(&project) else {
        return Ok(None);
    };
    let parsed = ProjectFile::parse(&text, ".git-secrets.toml").map_err(|e| EngineError {
        message: format!("git-secrets: {e}\n"),
        code: 2,
    })?;
    Ok(parsed.baseline.as_deref().map(resolve))
}

/// `findings` without those the baseline in effect accepts (pre-receive; the other scans do
/// this in `finish`).
pub fn baselined_findings(
    ctx: &Context,
    flags: &Flags,
    mut findings: Vec<Finding>,
) -> Result<Vec<Finding>, EngineError> {
    let Some(path) = baseline_file(ctx, flags)? else {
        return Ok(findings);
    };
    let (key, _) = crate::fingerprint::FingerprintKey::load(ctx).map_err(|e| EngineError {
        message: format!("{e}\n"),
        code: 2,
    })?;
    let accepted = crate::baseline::read(&path, &key).map_err(|e| EngineError {
        message: format!("git-secrets: {e}\n"),
        code: 2,
    })?;
    findings.retain(|f| !accepted.contains(&f.fingerprint(&key)));
    Ok(findings)
}

/// Inline markers that accept a registry finding on their line (`git-secrets:allow`, and the
/// markers other scanners use, so existing annotations keep working).
pub(crate) fn has_inline_allow(line: &[u8]) -> bool {
    const MARKERS: [&[u8]; 3] = [
        b"git-secrets:allow",
        b"gitleaks:allow",
        b"pragma: allowlist secret",
    ];
    MARKERS.iter().any(|m| line.find(m).is_some())
}

/// What machine reports say about the scan: repository, time, AWS account and region (from
/// flags, then CodeBuild's and the AWS CLI's environment).
fn report_context(
    ctx: &Context,
    flags: &Flags,
    mode: &'static str,
    toplevel: Option<PathBuf>,
    fingerprint_key: crate::fingerprint::FingerprintKey,
) -> crate::formats::ReportContext {
    use crate::formats::{AwsContext, ReportContext};
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let build_arn = env("CODEBUILD_BUILD_ARN");
    // arn:aws:codebuild:<region>:<account>:build/<project>:<id>
    let arn_part = |i: usize| {
        build_arn
            .as_deref()
            .and_then(|a| a.split(':').nth(i))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
    };
    // gix may give the work tree as a relative path (`.`); the name comes from the real one.
    let toplevel = toplevel.map(|t| std::fs::canonicalize(&t).unwrap_or(t));
    let repository = flags
        .opts
        .repository
        .clone()
        .or_else(|| {
            ctx.get_all("remote.origin", "url")
                .pop()
                .map(|u| u.to_str_lossy().into_owned())
        })
        .or_else(|| {
            toplevel
                .as_ref()
                .and_then(|t| t.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    ReportContext {
        tool_version: env!("CARGO_PKG_VERSION"),
        scan_mode: mode,
        repository,
        repository_path: toplevel,
        generated_at: crate::formats::rfc3339_utc(now),
        redact: !flags.opts.no_redact,
        aws: AwsContext {
            account_id: flags.opts.aws_account_id.clone().or_else(|| arn_part(4)),
            region: flags
                .opts
                .aws_region
                .clone()
                .or_else(|| env("AWS_REGION"))
                .or_else(|| env("AWS_DEFAULT_REGION"))
                .or_else(|| arn_part(3)),
            codebuild_build_arn: build_arn.clone(),
        },
        fingerprint_key,
    }
}

/// Check before scanning that the requested report can be written (a missing ASFF account
/// should not wait for the end of a long history scan); `Some(exit code)` when it cannot.
fn preflight(ctx: &Context, flags: &Flags, mode: &'static str) -> Option<u8> {
    let reports = match requested_reports(flags) {
        Ok(r) if r.is_empty() => return None,
        Ok(r) => r,
        Err(msg) => {
            report::err(format!("git-secrets: {msg}\n").as_bytes());
            return Some(2);
        }
    };
    // A missing or unusable fingerprint key, too, fails before the scan.
    let key = match fingerprint_key(ctx) {
        Ok(k) => k,
        Err(code) => return Some(code),
    };
    let report_ctx = report_context(ctx, flags, mode, config::toplevel(ctx).ok(), key);
    for (format, _) in reports {
        if let Err(e) = crate::formats::preflight(format, &report_ctx) {
            report::err(format!("git-secrets: {e}\n").as_bytes());
            return Some(2);
        }
    }
    None
}

/// The machine reports asked for, each a format and a destination (`None`: stdout); empty
/// for upstream's human lines. One `--output`: `--format`, else the format its name says.
/// Several `--output` files (one scan, several reports, as the CodeBuild stage writes them):
/// each file's format comes from its name.
fn requested_reports(
    flags: &Flags,
) -> Result<Vec<(crate::formats::Format, Option<OsString>)>, String> {
    use crate::formats::Format;
    let outputs: Vec<&OsString> = flags.opts.outputs.iter().collect();
    let by_name = |output: &OsString| {
        Format::from_file_name(&output.to_string_lossy()).ok_or_else(|| {
            format!(
                "--output {}: cannot tell the format from the file name (.json, .jsonl, .sarif, .asff.json); add --format json|jsonl|sarif|asff",
                Path::new(output).display()
            )
        })
    };
    let format = flags
        .opts
        .format
        .as_deref()
        .map(Format::parse)
        .transpose()?;
    match (format, outputs.as_slice()) {
        (Some(None), []) | (None, []) => Ok(Vec::new()),
        (Some(Some(f)), []) => Ok(vec![(f, None)]),
        (Some(None), [_, ..]) => Err("--format human writes no report file; drop --output".into()),
        (Some(Some(f)), [one]) => Ok(vec![(f, Some((*one).clone()))]),
        (Some(Some(_)), [_, _, ..]) => Err(
            "with several --output files the format of each comes from its name; drop --format"
                .into(),
        ),
        (None, many) => many
            .iter()
            .map(|o| by_name(o).map(|f| (f, Some((*o).clone()))))
            .collect(),
    }
}

/// A repository without a work tree (bare or mirror).
fn is_bare(ctx: &Context) -> bool {
    ctx.repo.as_ref().is_some_and(|r| r.workdir().is_none())
}

/// Write each machine report (to its file or stdout), with one summary line per report on
/// stderr; the exit code is the worst of them.
fn machine_reports(
    ctx: &Context,
    reporting: &Reporting,
    reports: &[(crate::formats::Format, Option<OsString>)],
    findings: &[Finding],
    toplevel: Option<PathBuf>,
    key: crate::fingerprint::FingerprintKey,
) -> u8 {
    let report_ctx = report_context(ctx, reporting.flags, reporting.mode, toplevel, key);
    reports
        .iter()
        .map(|(format, output)| machine_report(&report_ctx, *format, output.as_ref(), findings))
        .max()
        .unwrap_or(0)
}

/// Write one machine report to `output` or stdout, and one summary line to stderr.
fn machine_report(
    report_ctx: &crate::formats::ReportContext,
    format: crate::formats::Format,
    output: Option<&OsString>,
    findings: &[Finding],
) -> u8 {
    let mut buf = Vec::new();
    if let Err(e) = crate::formats::write(format, report_ctx, findings, &mut buf) {
        report::err(format!("git-secrets: {e}\n").as_bytes());
        return 2;
    }
    let destination = match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &buf) {
                report::err(
                    format!(
                        "git-secrets: cannot write {}: {}\n",
                        Path::new(path).display(),
                        scan::io_message(&e)
                    )
                    .as_bytes(),
                );
                return 2;
            }
            Path::new(path).display().to_string()
        }
        None => {
            if let Err(e) = report::out_report(&buf) {
                report::err(
                    format!(
                        "git-secrets: cannot write the report to stdout: {}\n",
                        scan::io_message(&e)
                    )
                    .as_bytes(),
                );
                return 2;
            }
            "stdout".to_string()
        }
    };
    if findings.is_empty() {
        0
    } else {
        // The count is what the file holds (ASFF merges the places of one secret).
        let records = crate::formats::record_count(format, findings);
        let places = if records == findings.len() {
            String::new()
        } else {
            format!(" ({} occurrences)", findings.len())
        };
        report::err(
            format!("git-secrets: {records} finding(s) written to {destination}{places}\n")
                .as_bytes(),
        );
        1
    }
}

fn history_command(flags: &Flags) -> u8 {
    let ctx = Context::discover();
    if let Some(code) = refuse_untrusted(&ctx) {
        return code;
    }
    let reporting = Reporting::new(flags, "scan-history");
    if let Some(code) = preflight(&ctx, flags, "scan-history") {
        return code;
    }
    let machine = requested_reports(flags).is_ok_and(|r| !r.is_empty());
    let detector = match detector_for(&ctx, WordMode::GitGrep) {
        // Nothing to look for: upstream's silent pass, but a machine report is still
        // written (an empty one), as docs/formats.md promises.
        Ok(d) if d.is_empty() && !machine => return 0,
        Ok(d) if d.is_empty() => return finish(&ctx, &reporting, Ok(Vec::new())),
        // Upstream's `git log -G` complains before its `git grep` does.
        Err(e) if e.message.starts_with("fatal: command line, ") => {
            let reason = e.message.rsplit_once("': ").map_or("", |(_, r)| r);
            Err(EngineError {
                message: format!("fatal: invalid regex: {reason}{}", e.message),
                code: e.code,
            })
        }
        other => other,
    };
    let result = detector.and_then(|d| match &ctx.repo {
        None => Err(EngineError {
            message: "fatal: not a git repository (or any of the parent directories): .git\n"
                .repeat(2),
            code: 128,
        }),
        Some(repo) => crate::history::scan_history(repo, &d, flags.opts.verbose),
    });
    finish(&ctx, &reporting, result)
}

fn commit_msg_hook(flags: &Flags, args: &[OsString]) -> u8 {
    let ctx = Context::discover();
    let reporting = Reporting::new(flags, "commit-msg");
    let file = args.first().cloned().unwrap_or_default();
    let result = detector_for(&ctx, WordMode::GnuGrep).and_then(|d| {
        if d.is_empty() {
            Ok(Vec::new())
        } else {
            scan::file_mode(&d, std::slice::from_ref(&file), false)
        }
    });
    // Quirk 12, fixed: the lines git's cleanup will strip (its `#` template) are not the
    // message, so they are not scanned. git runs the hook with `GIT_EDITOR=:` when no editor
    // was used.
    let editor_used = std::env::var_os("GIT_EDITOR").is_none_or(|e| e != ":");
    let stripped = std::fs::read(Path::new(&file))
        .map(|content| crate::hooks::stripped_message_lines(&ctx, &content, editor_used))
        .unwrap_or_default();
    finish_with(&ctx, &reporting, result, |f| stripped.contains(&f.line))
}

fn pre_commit_hook(flags: &Flags) -> u8 {
    let ctx = Context::discover();
    if let Some(code) = refuse_untrusted(&ctx) {
        return code;
    }
    let reporting = Reporting::new(flags, "pre-commit");
    let result = (|| {
        let detector = detector_for(&ctx, WordMode::GitGrep)?;
        if detector.is_empty() {
            return Ok(Vec::new());
        }
        let repo = ctx.repo.as_ref().ok_or_else(not_a_repository)?;
        GitScan::new(repo)?.staged_changes(&detector)
    })();
    finish(&ctx, &reporting, result)
}

fn prepare_commit_msg_hook(flags: &Flags, args: &[OsString]) -> u8 {
    let reporting = Reporting::new(flags, "prepare-commit-msg");
    let source = args.get(1).map(|a| a.as_bytes()).unwrap_or(b"");
    let sha = args.get(2).map(|a| a.as_bytes()).unwrap_or(b"");
    if source != b"merge" || !sha.is_empty() {
        return 0;
    }
    let ctx = Context::discover();
    if let Some(code) = refuse_untrusted(&ctx) {
        return code;
    }
    let log = match &ctx.repo {
        Some(repo) => crate::hooks::merge_log(repo.git_dir()),
        None => Err(not_a_repository().message.trim_end().to_string()),
    };
    let result = log.map_err(|message| EngineError {
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
        findings
    });
    finish(&ctx, &reporting, result)
}

fn list(flags: &Flags) -> u8 {
    // Upstream left `secrets.*` unquoted, so a `secrets.yml` in the current directory was
    // globbed into the argument (quirk 3, fixed).
    let mut args: Vec<&OsStr> = vec![OsStr::new("config")];
    if flags.global {
        args.push(OsStr::new("--global"));
    }
    args.extend([OsStr::new("--get-regex"), OsStr::new("secrets.*")]);
    let code = crate::hooks::git_passthrough(&args);
    report::err(crate::inventory::registry_summary(&Context::discover(), flags.global).as_bytes());
    code
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
    crate::hooks::git_passthrough(&add)
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
fn register(flags: &Flags, args: &[OsString]) -> u8 {
    let Some(spec) = args.first().map(|a| a.to_string_lossy().into_owned()) else {
        report::err(b"git-secrets: --register needs a built-in pack name or a registry file\n");
        return 1;
    };
    let loaded = match RuleSet::builtin(&spec) {
        Some(r) => r.map(|_| ()),
        None => match std::fs::read_to_string(&spec) {
            Ok(text) => RuleSet::from_toml(&text, &spec).map(|_| ()),
            Err(e) => {
                let packs: Vec<&str> = crate::rules::BUILTIN_PACKS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                report::err(
                    format!(
                        "git-secrets: '{spec}' is neither a built-in pack ({}) nor a readable registry file: {}\n",
                        packs.join(", "),
                        scan::io_message(&e)
                    )
                    .as_bytes(),
                );
                return 1;
            }
        },
    };
    if let Err(e) = loaded {
        report::err(format!("git-secrets: {e}\n").as_bytes());
        return 1;
    }
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
        return 0;
    }
    // Exact values, not add_config's substring test: `aws` is not registered because
    // `/srv/aws-extra.toml` is.
    let code = crate::hooks::git_passthrough(&[
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
    code
}

/// `--check-registry FILE`: compile a registry and run every example through the engine.
fn check_registry(args: &[OsString]) -> u8 {
    let Some(file) = args.first() else {
        report::err(b"git-secrets: --check-registry needs a registry file\n");
        return 1;
    };
    let name = file.to_string_lossy();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            report::err(format!("git-secrets: {name}: {}\n", scan::io_message(&e)).as_bytes());
            return 2;
        }
    };
    let set = match RuleSet::from_toml(&text, &name) {
        Ok(s) => s,
        Err(e) => {
            report::err(format!("git-secrets: {e}\n").as_bytes());
            return 1;
        }
    };
    let problems = set.check_examples();
    for p in &problems {
        report::err(format!("git-secrets: {p}\n").as_bytes());
    }
    if problems.is_empty() {
        report::out(
            format!(
                "{name}: {} rules, every example checked\n",
                set.rules().len()
            )
            .as_bytes(),
        );
        0
    } else {
        1
    }
}

fn install(flags: &Flags, args: &[OsString]) -> u8 {
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
        None => match crate::hooks::hooks_dir() {
            Ok(dir) => dir,
            Err(code) => return code,
        },
    };
    if let Err((component, reason)) = crate::hooks::mkdir_p(&hooks_dir) {
        let target = hooks_dir.parent().unwrap_or(&hooks_dir);
        report::err(
            format!(
                "mkdir: cannot create directory '{}': {reason}\nCould not create dir: {}\n",
                component.display(),
                target.display()
            )
            .as_bytes(),
        );
        return 1;
    }
    let mut hooks = vec!["commit-msg", "pre-commit", "prepare-commit-msg"];
    if flags.opts.install_pre_receive {
        // A server-side repository only needs the pre-receive hook.
        hooks = vec!["pre-receive"];
    } else if flags.opts.install_pre_push {
        hooks.push("pre-push");
    }
    for hook in hooks {
        if let Err(code) = crate::hooks::install_hook(&hooks_dir, hook, flags.force) {
            return code;
        }
    }
    0
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
