//! The one ending of every scan: what a source found goes through `finish`, which drops
//! what the allowed patterns (`secrets.allowed`, `.gitallowed`), inline markers, registry
//! allowlists and the baseline accept, keeps one finding per span, and renders the rest in
//! the chosen style (upstream's human lines, or a machine format). It prints nothing: it
//! returns a [`report::Outcome`](crate::report::Outcome) (what to say, in order, and the exit
//! code), which the report layer writes ([`crate::report::end`]; issue 11).
//!
//! ```text
//! source ─▶ Result<Vec<Finding>, EngineError> ─▶ settle (allowlists, markers, dedupe,
//!           baseline) ─▶ Outcome (human | json | jsonl | sarif | asff, exit code) ─▶ report
//! ```
//!
//! The pre-receive hook settles with the same `Accepted` and baseline (`settle_push`), then
//! applies its server policy (budget, bypass) and tells the pusher in its own human style
//! ([`crate::push`]), with an optional machine copy for the server (`server_report`).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use bstr::ByteSlice;

use crate::allow::Allowlist;
use crate::cli::Flags;
use crate::config::{self, Context};
use crate::note::Note;
use crate::report::{Outcome, Said};
use crate::rules::ProjectFile;
use crate::scan::{self, EngineError, Finding};

/// Report the result of a scan of ours (range, push hooks) like every other scan.
pub fn finish_scan(
    ctx: &Context,
    flags: &Flags,
    mode: &'static str,
    result: Result<Scan, EngineError>,
) -> Outcome {
    finish(ctx, &Reporting::new(flags, mode), result)
}

/// What a source returns: its findings, and what it has to say beside them (size-cap skips,
/// a shallow history, a summary) as data for the report layer.
#[derive(Debug, Default)]
pub struct Scan {
    pub findings: Vec<Finding>,
    pub notes: Vec<Note>,
}

impl Scan {
    /// The findings of `detector`'s scans, with its notes.
    pub fn of(findings: Vec<Finding>, detector: &crate::detect::Detector) -> Scan {
        Scan {
            findings,
            notes: detector.notes(),
        }
    }
}

impl From<Vec<Finding>> for Scan {
    fn from(findings: Vec<Finding>) -> Scan {
        Scan {
            findings,
            notes: Vec::new(),
        }
    }
}

/// What the allowed patterns (`secrets.allowed`, `.gitallowed`) and the inline markers
/// accept: decided here for every scan, hooks and audits included.
pub(crate) struct Accepted {
    allowed: Option<regex::bytes::Regex>,
    /// Whether inline markers accept findings; why not, when they do not ([`crate::policy`]).
    inline: Result<(), &'static str>,
    /// Notes about the allowlist (ignored or broad entries), for the report to show.
    pub(crate) notes: Vec<String>,
}

impl Accepted {
    /// Load and compile the allowed patterns of `toplevel` (its `.gitallowed`). An allowed
    /// pattern that does not compile is an error (exit 2): upstream's `grep -Ev` failed there
    /// and the scan passed silently, and pre-receive once dropped the whole list.
    pub(crate) fn load(ctx: &Context, toplevel: Option<&Path>) -> Result<Accepted, EngineError> {
        Accepted::load_with(
            ctx,
            toplevel,
            crate::policy::RepositoryTrust::from_config(ctx),
        )
    }

    /// [`Accepted::load`] under `trust` (an error is the policy key's bad value: exit 2).
    fn load_with(
        ctx: &Context,
        toplevel: Option<&Path>,
        trust: Result<crate::policy::RepositoryTrust, String>,
    ) -> Result<Accepted, EngineError> {
        let trust = trust.map_err(|m| EngineError::Said {
            message: m + "\n",
            code: 2,
        })?;
        let inline = if trust.inline {
            Ok(())
        } else {
            Err(trust.reason)
        };
        let list = Allowlist::load(ctx, toplevel);
        let notes = list.notes();
        let allowed = list.compile().map_err(|e| EngineError::Said {
            message: format!(
                "git-secrets: invalid allowed pattern '{}' from {}: {}\n",
                e.pattern.as_bstr(),
                e.origin,
                e.message
            ),
            code: 2,
        })?;
        Ok(Accepted {
            allowed,
            inline,
            notes,
        })
    }

    /// Whether `f` is accepted: its rendered line matches an allowed pattern (upstream's
    /// `grep -Ev`, so the path counts), or a registry finding carries an inline marker.
    pub(crate) fn accepts(&self, f: &Finding) -> bool {
        self.allowed
            .as_ref()
            .is_some_and(|a| a.is_match(&f.render()))
            || (self.inline.is_ok() && f.rule.is_some() && has_inline_allow(&f.text))
    }

    /// `findings` without the accepted ones, with the allowlist's notes. A clean scan loads
    /// nothing (upstream reads the allowed list only to filter output).
    pub(crate) fn settle(
        ctx: &Context,
        toplevel: Option<&Path>,
        findings: Vec<Finding>,
    ) -> Result<(Vec<Finding>, Vec<String>), EngineError> {
        if findings.is_empty() {
            return Ok((findings, Vec::new()));
        }
        let accepted = Accepted::load(ctx, toplevel)?;
        Ok(accepted.apply(findings))
    }

    /// `findings` without the accepted ones, and the notes; one more note when a kept finding
    /// carries an inline marker that the policy ignores.
    fn apply(mut self, mut findings: Vec<Finding>) -> (Vec<Finding>, Vec<String>) {
        findings.retain(|f| !self.accepts(f));
        if let Err(reason) = self.inline
            && findings
                .iter()
                .any(|f| f.rule.is_some() && has_inline_allow(&f.text))
        {
            self.notes.push(format!(
                "git-secrets: note: ignoring inline allow markers ({reason})\n"
            ));
        }
        (findings, self.notes)
    }
}

/// How findings are reported: upstream's human lines, or a machine format.
pub(crate) struct Reporting<'a> {
    flags: &'a Flags,
    /// Which scan this is (named in machine formats).
    mode: &'static str,
}

impl<'a> Reporting<'a> {
    pub(crate) fn new(flags: &'a Flags, mode: &'static str) -> Reporting<'a> {
        Reporting { flags, mode }
    }
}

/// Upstream's `process_output`: engine errors end the scan with their code; findings are
/// filtered through the allowed patterns; what remains is reported with the banner (exit 1).
/// The report layer writes the outcome ([`crate::report::end`]).
pub(crate) fn finish(
    ctx: &Context,
    report: &Reporting,
    result: Result<Scan, EngineError>,
) -> Outcome {
    finish_with(ctx, report, result, |_| false)
}

pub(crate) fn finish_with(
    ctx: &Context,
    reporting: &Reporting,
    result: Result<Scan, EngineError>,
    skip: impl Fn(&Finding) -> bool,
) -> Outcome {
    let mut said = Vec::new();
    let code = settle_and_report(ctx, reporting, result, skip, &mut said);
    Outcome { said, code }
}

/// `finish_with`'s steps: what is to be said goes to `said`, in order; returns the exit code.
fn settle_and_report(
    ctx: &Context,
    reporting: &Reporting,
    result: Result<Scan, EngineError>,
    skip: impl Fn(&Finding) -> bool,
    said: &mut Vec<Said>,
) -> u8 {
    // What the source said beside its findings comes first, as when sources printed it.
    let mut result = result;
    if let Ok(scan) = &mut result
        && !scan.notes.is_empty()
    {
        said.push(Said::Notes(std::mem::take(&mut scan.notes)));
    }
    let reports = match requested_reports(reporting.flags) {
        Ok(r) => r,
        Err(msg) => {
            said.push(Said::Line(format!("git-secrets: {msg}\n")));
            return 2;
        }
    };
    let result = match result {
        Err(e) => {
            let code = e.code();
            said.push(Said::Error(e));
            Err(code)
        }
        Ok(scan) => Ok(scan),
    };
    // Upstream loads the allowed list (and so runs `git rev-parse --show-toplevel`) on every
    // scan, even a failed or clean one; outside a work tree that prints git's `fatal:` line.
    let toplevel = match config::toplevel(ctx) {
        Ok(t) => Some(t),
        Err(msg) => {
            // In a bare or mirror repository that line is noise (the scan runs and reports
            // normally), so it is left out there (issue 15; upstream printed it).
            if !is_bare(ctx) {
                said.push(Said::Line(msg));
            }
            None
        }
    };
    let findings = match result {
        Err(code) => return code,
        Ok(scan) => scan.findings,
    };
    let findings: Vec<Finding> = findings.into_iter().filter(|f| !skip(f)).collect();
    let findings = match Accepted::settle(ctx, toplevel.as_deref(), findings) {
        Ok((findings, notes)) => {
            said.extend(notes.into_iter().map(Said::Line));
            findings
        }
        Err(e) => {
            let code = e.code();
            said.push(Said::Error(e));
            return code;
        }
    };
    let findings = crate::dedupe::one_per_span(findings);
    let baseline = match baseline_file(ctx, reporting.flags, said) {
        Ok(b) => b,
        Err(e) => {
            let code = e.code();
            said.push(Said::Error(e));
            return code;
        }
    };
    if reporting.flags.opts.update_baseline && baseline.is_none() {
        // It ran as a plain scan before, and the findings were not recorded anywhere.
        said.push(Said::Line("git-secrets: --update-baseline needs a baseline file: give --baseline FILE or configure secrets.baseline\n".into()));
        return 2;
    }
    // Only reports and baselines that hold fingerprints need the key: the human report never
    // makes the per-user key file.
    let needs_key = !reports.is_empty() || baseline.is_some();
    let key = if needs_key {
        match fingerprint_key(ctx, said) {
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
                    said.push(Said::Line(format!(
                        "git-secrets: {} finding(s) recorded in {}\n",
                        findings.len(),
                        path.display()
                    )));
                    0
                }
                Err(e) => {
                    said.push(Said::Line(format!("git-secrets: {e}\n")));
                    2
                }
            };
        }
        match crate::baseline::read(path, key) {
            Ok(accepted) => findings.retain(|f| !accepted.contains(&f.fingerprint(key))),
            Err(e) => {
                said.push(Said::Line(format!("git-secrets: {e}\n")));
                return 2;
            }
        }
    }
    match (reports.is_empty(), key) {
        (false, Some(key)) => {
            machine_reports(ctx, reporting, &reports, &findings, toplevel, key, said)
        }
        _ => {
            let mut lines: Vec<Vec<u8>> = findings.iter().map(Finding::render).collect();
            // A line found by a pattern and by a rule (or by two rules) is printed once.
            lines.dedup();
            if lines.is_empty() {
                return 0;
            }
            said.push(Said::Findings(lines));
            1
        }
    }
}

/// The fingerprint key for reports and baselines, with a note when a per-user key was just
/// made (in CI that key lives only as long as the build machine, so it says how to share
/// one); an unusable key is exit 2.
fn fingerprint_key(
    ctx: &Context,
    said: &mut Vec<Said>,
) -> Result<crate::fingerprint::FingerprintKey, u8> {
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
            said.push(Said::Line(format!(
                "git-secrets: note: no fingerprint key configured; made a random one in {}{why} (share one with {KEY_ENV} or secrets.fingerprintKeyFile)\n",
                path.display()
            )));
            Ok(key)
        }
        Ok((key, _)) => Ok(key),
        Err(e) => {
            said.push(Said::Line(format!("{e}\n")));
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
/// note (in `said`); a `--baseline` that does not exist is an error (a typo on the command
/// line).
pub(crate) fn baseline_file(
    ctx: &Context,
    flags: &Flags,
    said: &mut Vec<Said>,
) -> Result<Option<PathBuf>, EngineError> {
    if let Some(file) = &flags.opts.baseline {
        return Ok(Some(file.clone()));
    }
    let configured = configured_baseline(ctx)?;
    match configured {
        Some(path) if !path.exists() && !flags.opts.update_baseline => {
            said.push(Said::Line(format!(
                "git-secrets: note: the configured baseline {} does not exist yet, so it accepts nothing (create it with --update-baseline)\n",
                path.display()
            )));
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
    let Ok(text) = crate::bounded::read_to_string(&project) else {
        return Ok(None);
    };
    let parsed = ProjectFile::parse(&text, ".git-secrets.toml").map_err(|e| EngineError::Said {
        message: format!("git-secrets: {e}\n"),
        code: 2,
    })?;
    Ok(parsed.baseline.as_deref().map(resolve))
}

/// `findings` without those the baseline in effect accepts (pre-receive; the other scans do
/// this in `finish`); a note about the baseline goes to `said`.
pub(crate) fn baselined_findings(
    ctx: &Context,
    flags: &Flags,
    mut findings: Vec<Finding>,
    said: &mut Vec<Said>,
) -> Result<Vec<Finding>, EngineError> {
    let Some(path) = baseline_file(ctx, flags, said)? else {
        return Ok(findings);
    };
    let (key, _) =
        crate::fingerprint::FingerprintKey::load(ctx).map_err(|e| EngineError::Said {
            message: format!("{e}\n"),
            code: 2,
        })?;
    let accepted = crate::baseline::read(&path, &key).map_err(|e| EngineError::Said {
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
    crate::formats::ReportContext {
        tool_version: env!("CARGO_PKG_VERSION"),
        scan_mode: mode,
        repository,
        repository_path: toplevel,
        generated_at: generated_now(),
        redact: !flags.opts.no_redact,
        aws: aws_context(flags),
        fingerprint_key,
    }
}

/// Now, as reports date themselves (RFC 3339 UTC).
pub(crate) fn generated_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    crate::formats::rfc3339_utc(now)
}

/// Account and region for ASFF: the flags, then the AWS CLI's environment, then CodeBuild's
/// build ARN (`arn:aws:codebuild:<region>:<account>:build/<project>:<id>`).
pub(crate) fn aws_context(flags: &Flags) -> crate::formats::AwsContext {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let build_arn = env("CODEBUILD_BUILD_ARN");
    let arn_part = |i: usize| {
        build_arn
            .as_deref()
            .and_then(|a| a.split(':').nth(i))
            .filter(|p| !p.is_empty())
            .map(str::to_string)
    };
    crate::formats::AwsContext {
        account_id: flags.opts.aws_account_id.clone().or_else(|| arn_part(4)),
        region: flags
            .opts
            .aws_region
            .clone()
            .or_else(|| env("AWS_REGION"))
            .or_else(|| env("AWS_DEFAULT_REGION"))
            .or_else(|| arn_part(3)),
        codebuild_build_arn: build_arn.clone(),
    }
}

/// Check before scanning that the requested report can be written (a missing ASFF account
/// should not wait for the end of a long history scan): `Err` with the outcome when it
/// cannot; `Ok` with what is to be said before the scan (a new fingerprint key's note).
pub(crate) fn preflight(
    ctx: &Context,
    flags: &Flags,
    mode: &'static str,
) -> Result<Vec<Said>, Outcome> {
    let mut said = Vec::new();
    let reports = match requested_reports(flags) {
        Ok(r) if r.is_empty() => return Ok(said),
        Ok(r) => r,
        Err(msg) => {
            said.push(Said::Line(format!("git-secrets: {msg}\n")));
            return Err(Outcome { said, code: 2 });
        }
    };
    // A missing or unusable fingerprint key, too, fails before the scan.
    let key = match fingerprint_key(ctx, &mut said) {
        Ok(k) => k,
        Err(code) => return Err(Outcome { said, code }),
    };
    let report_ctx = report_context(ctx, flags, mode, config::toplevel(ctx).ok(), key);
    for (format, _) in reports {
        if let Err(e) = crate::formats::preflight(format, &report_ctx) {
            said.push(Said::Line(format!("git-secrets: {e}\n")));
            return Err(Outcome { said, code: 2 });
        }
    }
    Ok(said)
}

/// The machine reports asked for, each a format and a destination (`None`: stdout); empty
/// for upstream's human lines. One `--output`: `--format`, else the format its name says.
/// Several `--output` files (one scan, several reports, as the CodeBuild stage writes them):
/// each file's format comes from its name.
pub(crate) fn requested_reports(
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

/// Write each machine report to its file, or hand it to the report layer for stdout, with
/// one summary line per report on stderr; the exit code is the worst of them (the report
/// layer makes it 2 when stdout refuses the report).
fn machine_reports(
    ctx: &Context,
    reporting: &Reporting,
    reports: &[(crate::formats::Format, Option<OsString>)],
    findings: &[Finding],
    toplevel: Option<PathBuf>,
    key: crate::fingerprint::FingerprintKey,
    said: &mut Vec<Said>,
) -> u8 {
    let report_ctx = report_context(ctx, reporting.flags, reporting.mode, toplevel, key);
    reports
        .iter()
        .map(|(format, output)| {
            machine_report(&report_ctx, *format, output.as_ref(), findings, said)
        })
        .max()
        .unwrap_or(0)
}

/// Write one machine report to `output` (or hand it over for stdout), and say one summary
/// line.
fn machine_report(
    report_ctx: &crate::formats::ReportContext,
    format: crate::formats::Format,
    output: Option<&OsString>,
    findings: &[Finding],
    said: &mut Vec<Said>,
) -> u8 {
    let mut buf = Vec::new();
    if let Err(e) = crate::formats::write(format, report_ctx, findings, &mut buf) {
        said.push(Said::Line(format!("git-secrets: {e}\n")));
        return 2;
    }
    let summary = |destination: &str| {
        // The count is what the file holds (ASFF merges the places of one secret).
        let records = crate::formats::record_count(format, findings);
        let places = if records == findings.len() {
            String::new()
        } else {
            format!(" ({} occurrences)", findings.len())
        };
        (!findings.is_empty()).then(|| {
            format!("git-secrets: {records} finding(s) written to {destination}{places}\n")
        })
    };
    match output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &buf) {
                said.push(Said::Line(format!(
                    "git-secrets: cannot write {}: {}\n",
                    Path::new(path).display(),
                    scan::io_message(&e)
                )));
                return 2;
            }
            if let Some(line) = summary(&Path::new(path).display().to_string()) {
                said.push(Said::Line(line));
            }
        }
        None => said.push(Said::Stdout {
            report: buf,
            summary: summary("stdout"),
        }),
    }
    u8::from(!findings.is_empty())
}

/// The pre-receive hook's settling, the same steps as `finish`'s: accepted findings
/// (allowed patterns, `.gitallowed`, inline markers; an allowed pattern that does not compile
/// refuses the push) dropped, one finding per span, the baseline applied. `Ok` has the
/// findings that remain and the allowlist's notes; a note about the baseline goes to `said`.
pub(crate) fn settle_push(
    ctx: &Context,
    flags: &Flags,
    findings: Vec<Finding>,
    said: &mut Vec<Said>,
) -> Result<(Vec<Finding>, Vec<String>), EngineError> {
    let toplevel = config::toplevel(ctx).ok();
    let (findings, notes) = if findings.is_empty() {
        (findings, Vec::new())
    } else {
        // Pushed content does not allow itself on the server (crate::policy).
        let trust = crate::policy::RepositoryTrust::for_server(ctx);
        Accepted::load_with(ctx, toplevel.as_deref(), trust)?.apply(findings)
    };
    let findings = crate::dedupe::one_per_span(findings);
    Ok((baselined_findings(ctx, flags, findings, said)?, notes))
}

/// The machine report a server keeps of each push, beside the human text the pusher sees:
/// `secrets.preReceiveFormat` (json, jsonl, sarif or asff) and/or `secrets.preReceiveReport
/// FILE` (relative to the git directory; the format comes from its name when no format is
/// set; default `git-secrets-pre-receive.<ext>` in the git directory). `--format`/`--output`
/// on the hook's command line take precedence. The file is replaced on each push (the audit
/// log keeps the history). `Ok(None)`: no report configured; `Err`: one line, and the push is
/// refused (a configured audit copy that cannot be written must not pass unnoticed).
pub(crate) fn server_report(
    ctx: &Context,
    flags: &Flags,
    git_dir: &Path,
    findings: &[Finding],
) -> Result<Option<PathBuf>, String> {
    use crate::formats::Format;
    let last = |name: &str| {
        ctx.get_all("secrets", name)
            .pop()
            .map(|v| v.to_str_lossy().trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let planned = requested_reports(flags).map_err(|m| format!("git-secrets: {m}"))?;
    let (format, file) = match planned.into_iter().next() {
        Some((format, output)) => (format, output.map(PathBuf::from)),
        None => {
            let file = last("preReceiveReport").map(PathBuf::from);
            let format = match last("preReceiveFormat") {
                Some(name) => match Format::parse(&name) {
                    Ok(Some(f)) => f,
                    _ => {
                        return Err(format!(
                            "git-secrets: bad secrets.preReceiveFormat '{name}': expected json, jsonl, sarif or asff"
                        ));
                    }
                },
                None => match &file {
                    None => return Ok(None),
                    Some(f) => Format::from_file_name(&f.to_string_lossy()).ok_or_else(|| {
                        format!(
                            "git-secrets: secrets.preReceiveReport {}: cannot tell the format from the file name; set secrets.preReceiveFormat",
                            f.display()
                        )
                    })?,
                },
            };
            (format, file)
        }
    };
    let ext = match format {
        Format::Json => "json",
        Format::Jsonl => "jsonl",
        Format::Sarif => "sarif",
        Format::Asff => "asff.json",
    };
    let file = file.unwrap_or_else(|| PathBuf::from(format!("git-secrets-pre-receive.{ext}")));
    let file = if file.is_relative() {
        git_dir.join(file)
    } else {
        file
    };
    let (key, _) = crate::fingerprint::FingerprintKey::load(ctx).map_err(|e| format!("{e}"))?;
    let report_ctx = report_context(ctx, flags, "pre-receive", Some(git_dir.to_path_buf()), key);
    let mut buf = Vec::new();
    crate::formats::write(format, &report_ctx, findings, &mut buf)
        .map_err(|e| format!("git-secrets: the push report: {e}"))?;
    std::fs::write(&file, &buf).map_err(|e| {
        format!(
            "git-secrets: the push report {} cannot be written ({})",
            file.display(),
            scan::io_message(&e)
        )
    })?;
    Ok(Some(file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::{AwsContext, Format, ReportContext};

    fn finding(line: usize) -> Finding {
        Finding {
            commit: None,
            blob: None,
            path: b"a.txt".to_vec(),
            repo_path: Some(b"a.txt".to_vec()),
            line,
            text: b"key = AKIAABCDEFGHIJKLMNOP".to_vec(),
            secret: 6..26,
            rule: None,
            commit_meta: None,
            also_matched: Vec::new(),
            history: None,
            confidence: None,
            decoding: None,
        }
    }

    fn report_ctx() -> ReportContext {
        ReportContext {
            tool_version: "0",
            scan_mode: "scan",
            repository: "r".into(),
            repository_path: None,
            generated_at: "2026-01-01T00:00:00Z".into(),
            redact: true,
            aws: AwsContext::default(),
            fingerprint_key: crate::fingerprint::FingerprintKey::new(&[7; 32], "test").unwrap(),
        }
    }

    /// A machine report for stdout is handed to the report layer with the summary line the
    /// old code printed once it was written; one for a file is written here and its summary
    /// said as a line; a clean scan says no summary.
    #[test]
    fn machine_reports_become_data_with_their_summary() {
        let ctx = report_ctx();
        let findings = vec![finding(1), finding(2)];
        let mut said = Vec::new();
        assert_eq!(
            machine_report(&ctx, Format::Jsonl, None, &findings, &mut said),
            1
        );
        let [Said::Stdout { report, summary }] = &said[..] else {
            panic!("{said:?}");
        };
        let mut expected = Vec::new();
        crate::formats::write(Format::Jsonl, &ctx, &findings, &mut expected).unwrap();
        assert_eq!(report, &expected);
        assert_eq!(
            summary.as_deref(),
            Some("git-secrets: 2 finding(s) written to stdout\n")
        );

        let dir = tempfile::tempdir().unwrap();
        let file = OsString::from(dir.path().join("r.jsonl"));
        let mut said = Vec::new();
        assert_eq!(
            machine_report(&ctx, Format::Jsonl, Some(&file), &findings, &mut said),
            1
        );
        assert_eq!(std::fs::read(&file).unwrap(), expected);
        assert_eq!(
            said,
            vec![Said::Line(format!(
                "git-secrets: 2 finding(s) written to {}\n",
                Path::new(&file).display()
            ))]
        );

        let mut said = Vec::new();
        assert_eq!(machine_report(&ctx, Format::Json, None, &[], &mut said), 0);
        assert!(matches!(&said[..], [Said::Stdout { summary: None, .. }]));

        let missing = OsString::from(dir.path().join("no/such/dir.json"));
        let mut said = Vec::new();
        assert_eq!(
            machine_report(&ctx, Format::Json, Some(&missing), &findings, &mut said),
            2
        );
        assert_eq!(
            said,
            vec![Said::Line(format!(
                "git-secrets: cannot write {}: No such file or directory\n",
                Path::new(&missing).display()
            ))]
        );
    }
}
