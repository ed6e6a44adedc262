//! The extension options, decoded once into a typed struct and checked against the command
//! (ripgrep's LowArgs → HiArgs, made cheap).
//!
//! [`crate::cli`] keeps upstream's parse-options behaviour byte for byte and collects our
//! options as `(name, value)` pairs; [`Options::decode`] turns them into fields, and
//! [`Options::check`] refuses the ones the command has no use for, in upstream's words for its
//! own modifiers (`-f|--force can only be supplied with the --install subcommand`, exit 1).
//! Before this, `--format json --list` or `--verbose --scan` ran and ignored the option.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::command::Command;

/// The extension options of one invocation (the last value wins, as git's options do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--format NAME` (checked when the report is planned: `human`, `json`, ...).
    pub format: Option<String>,
    /// Every `--output FILE`, in order (several: one report per file, format by name).
    pub outputs: Vec<OsString>,
    /// `--no-redact`: whole secrets in machine formats.
    pub no_redact: bool,
    /// `--aws-account-id ID` for ASFF.
    pub aws_account_id: Option<String>,
    /// `--aws-region REGION` for ASFF.
    pub aws_region: Option<String>,
    /// `--repository NAME` in reports.
    pub repository: Option<String>,
    /// `--scan-range RANGE`.
    pub scan_range: Option<String>,
    /// `--baseline FILE`.
    pub baseline: Option<PathBuf>,
    /// `--update-baseline`.
    pub update_baseline: bool,
    /// `--verbose` (`--scan-history`'s closing summary).
    pub verbose: bool,
    /// `--install --pre-push`.
    pub install_pre_push: bool,
    /// `--install --pre-receive`.
    pub install_pre_receive: bool,
    /// `--scan-repos MANIFEST`.
    pub scan_repos: Option<String>,
    /// `--cache-dir DIR` (`--scan-repos`).
    pub cache_dir: Option<PathBuf>,
    /// `--shard I/N` (`--scan-repos`).
    pub shard: Option<String>,
    /// `--shards N` (`--scan-repos`).
    pub shards: Option<String>,
    /// `--plan` (`--scan-repos`).
    pub plan: bool,
    /// `--checkpoint DIR` (`--scan-repos`).
    pub checkpoint: Option<PathBuf>,
    /// The options given, in order, by name: for [`Options::check`].
    given: Vec<&'static str>,
}

/// Which commands an option applies to.
#[derive(Clone, Copy)]
enum Scope {
    /// Any scan or hook that reports findings.
    Reports,
    /// A scan run by hand (recording a baseline from a hook makes no sense).
    HandScans,
    ScanHistory,
    Install,
    ScanRepos,
    /// A command itself (`--scan-range`, `--register`...): always in place.
    Command,
}

fn scope(name: &str) -> Scope {
    match name {
        "format" | "output" | "no-redact" | "aws-account-id" | "aws-region" | "repository"
        | "baseline" => Scope::Reports,
        "update-baseline" => Scope::HandScans,
        "verbose" => Scope::ScanHistory,
        "pre-push" | "pre-receive" => Scope::Install,
        "cache-dir" | "shard" | "shards" | "plan" | "checkpoint" => Scope::ScanRepos,
        _ => Scope::Command,
    }
}

impl Scope {
    fn allows(self, command: &Command) -> bool {
        use Command as C;
        match self {
            Scope::Command => true,
            Scope::Reports => matches!(
                command,
                C::Scan
                    | C::ScanHistory
                    | C::ScanRange
                    | C::ScanRepos
                    | C::CommitMsgHook
                    | C::PreCommitHook
                    | C::PrepareCommitMsgHook
                    | C::PrePushHook
                    | C::PreReceiveHook
            ),
            Scope::HandScans => {
                matches!(
                    command,
                    C::Scan | C::ScanHistory | C::ScanRange | C::ScanRepos
                )
            }
            Scope::ScanHistory => matches!(command, C::ScanHistory),
            Scope::Install => matches!(command, C::Install),
            Scope::ScanRepos => matches!(command, C::ScanRepos),
        }
    }

    /// The commands, as upstream names its subcommand in the same error.
    fn commands(self) -> &'static str {
        match self {
            Scope::Reports => "a scan or hook subcommand",
            Scope::HandScans => "the --scan, --scan-history or --scan-range subcommand",
            Scope::ScanHistory => "the --scan-history subcommand",
            Scope::Install => "the --install subcommand",
            Scope::ScanRepos => "the --scan-repos subcommand",
            Scope::Command => "any subcommand",
        }
    }
}

impl Options {
    /// Decode the `(name, value)` pairs [`crate::cli`] collected.
    pub fn decode(ext: &[(&'static str, OsString)]) -> Options {
        let text = |v: &OsString| v.to_string_lossy().into_owned();
        let mut o = Options::default();
        for (name, value) in ext {
            match *name {
                "format" => o.format = Some(text(value)),
                "output" => o.outputs.push(value.clone()),
                "no-redact" => o.no_redact = true,
                "aws-account-id" => o.aws_account_id = Some(text(value)),
                "aws-region" => o.aws_region = Some(text(value)),
                "repository" => o.repository = Some(text(value)),
                "scan-range" => o.scan_range = Some(text(value)),
                "baseline" => o.baseline = Some(PathBuf::from(value)),
                "update-baseline" => o.update_baseline = true,
                "verbose" => o.verbose = true,
                "pre-push" => o.install_pre_push = true,
                "pre-receive" => o.install_pre_receive = true,
                "scan-repos" => o.scan_repos = Some(text(value)),
                "cache-dir" => o.cache_dir = Some(PathBuf::from(value)),
                "shard" => o.shard = Some(text(value)),
                "shards" => o.shards = Some(text(value)),
                "plan" => o.plan = true,
                "checkpoint" => o.checkpoint = Some(PathBuf::from(value)),
                _ => {}
            }
            if !o.given.contains(name) {
                o.given.push(name);
            }
        }
        o
    }

    /// The first option given that `command` has no use for, as the one-line error upstream
    /// prints for its own misplaced modifiers (`Err`, exit 1).
    pub fn check(&self, command: &Command) -> Result<(), String> {
        for name in &self.given {
            let scope = scope(name);
            if !scope.allows(command) {
                return Err(format!(
                    "--{name} can only be supplied with {}",
                    scope.commands()
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(pairs: &[(&'static str, &str)]) -> Options {
        let ext: Vec<(&'static str, OsString)> =
            pairs.iter().map(|(n, v)| (*n, OsString::from(v))).collect();
        Options::decode(&ext)
    }

    #[test]
    fn last_value_wins_and_outputs_accumulate() {
        let o = opts(&[
            ("format", "json"),
            ("output", "a.json"),
            ("format", "sarif"),
            ("output", "b.sarif"),
        ]);
        assert_eq!(o.format.as_deref(), Some("sarif"));
        assert_eq!(o.outputs, vec![OsString::from("a.json"), "b.sarif".into()]);
    }

    #[test]
    fn options_are_checked_against_the_command() {
        let format = opts(&[("format", "json")]);
        assert!(format.check(&Command::Scan).is_ok());
        assert!(format.check(&Command::PreReceiveHook).is_ok());
        assert_eq!(
            format.check(&Command::List).unwrap_err(),
            "--format can only be supplied with a scan or hook subcommand"
        );
        let verbose = opts(&[("verbose", "")]);
        assert!(verbose.check(&Command::ScanHistory).is_ok());
        assert!(verbose.check(&Command::Scan).is_err());
        let update = opts(&[("update-baseline", "")]);
        assert!(update.check(&Command::PreCommitHook).is_err());
        assert!(opts(&[("plan", "")]).check(&Command::Scan).is_err());
        assert!(opts(&[("pre-push", "")]).check(&Command::Install).is_ok());
    }
}
