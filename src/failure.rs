//! Why a command stopped: one value per cause, made where the cause is found and rendered
//! once, at the edge ([`crate::app::run`] through [`crate::report::failure`]). Every text is
//! the one git-secrets (upstream, or ours for the extensions) has always printed, byte for
//! byte; the unit tests below pin each text with its exit code.
//!
//! A scan that could not run is an [`crate::scan::EngineError`], which the scan's ending
//! reports ([`crate::ending`]); this is what stops a command before or after its scan.

use std::fmt;
use std::path::PathBuf;

use crate::rules::RegistryError;

/// A hook whose scan could not run, so it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    CommitMsg,
    PreCommit,
    PrepareCommitMsg,
    PrePush,
}

/// Why a command stopped, with its exit code ([`AppError::code`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppError {
    /// `--scan` with more than one of `--cached`, `--untracked`, `--no-index` (upstream turned
    /// all but the first into pathspecs and scanned nothing: quirk 4).
    Combined(Vec<&'static str>),
    /// git's message for a repository that belongs to someone else (`safe.directory`).
    Untrusted(String),
    /// gix cannot open the repository git sees here (the first line of gix's reason): without
    /// it we would miss its config (its patterns) and pass silently.
    CannotOpenRepository(String),
    /// A hook's scan could not run (exit code 2 or more, already reported): the hook refuses.
    HookCannotRun { hook: Hook, code: u8 },
    /// `--register` without an argument.
    RegisterNeedsArgument,
    /// `--register SPEC` where SPEC is neither a pack nor a readable file (why it is not).
    NotARegistry { spec: String, reason: String },
    /// A registry that does not load.
    Registry(RegistryError),
    /// `--check-registry` without an argument.
    CheckRegistryNeedsFile,
    /// `--check-registry FILE` that cannot be read.
    UnreadableRegistry { name: String, reason: String },
    /// `--check-registry`: the examples that did not behave as they say.
    ExamplesFailed(Vec<RegistryError>),
    /// `--install` outside a repository.
    NotInRepository,
    /// `--install`: GNU mkdir's words for the component that could not be made, and the
    /// directory it was for.
    CannotCreateHooksDir {
        component: PathBuf,
        reason: String,
        target: PathBuf,
    },
    /// `--install` without `-f` over an existing hook.
    HookExists(PathBuf),
    /// `--install` could not write a hook file.
    CannotWriteHook { path: PathBuf, reason: String },
}

impl AppError {
    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            AppError::Untrusted(_) | AppError::CannotOpenRepository(_) => 128,
            AppError::HookCannotRun { code, .. } => *code,
            AppError::UnreadableRegistry { .. } => 2,
            AppError::Combined(_)
            | AppError::RegisterNeedsArgument
            | AppError::NotARegistry { .. }
            | AppError::Registry(_)
            | AppError::CheckRegistryNeedsFile
            | AppError::ExamplesFailed(_)
            | AppError::NotInRepository
            | AppError::CannotCreateHooksDir { .. }
            | AppError::HookExists(_)
            | AppError::CannotWriteHook { .. } => 1,
        }
    }
}

impl Hook {
    fn explanation(self) -> &'static str {
        match self {
            Hook::CommitMsg => {
                "the commit-msg check could not run, so the commit is refused (git commit --no-verify skips it deliberately)"
            }
            Hook::PreCommit => {
                "the pre-commit check could not run, so the commit is refused (git commit --no-verify skips it deliberately)"
            }
            Hook::PrepareCommitMsg => {
                "the merge check could not run, so the merge is refused (fix the problem above: --no-verify does not skip this hook)"
            }
            Hook::PrePush => {
                "the pre-push check could not run, so the push is refused (git push --no-verify bypasses it deliberately)"
            }
        }
    }
}

/// The text for stderr: every line ends in a newline.
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Combined(given) => writeln!(f, "{} cannot be combined", given.join(" and ")),
            AppError::Untrusted(message) => f.write_str(message),
            AppError::CannotOpenRepository(reason) => writeln!(
                f,
                "git-secrets: cannot open this repository ({reason}); refusing to run without its configuration (a hook can be skipped deliberately with --no-verify)"
            ),
            AppError::HookCannotRun { hook, .. } => {
                writeln!(f, "git-secrets: {}", hook.explanation())
            }
            AppError::RegisterNeedsArgument => writeln!(
                f,
                "git-secrets: --register needs a built-in pack name or a registry file"
            ),
            AppError::NotARegistry { spec, reason } => {
                let packs: Vec<&str> = crate::rules::BUILTIN_PACKS
                    .iter()
                    .map(|(n, _)| *n)
                    .collect();
                writeln!(
                    f,
                    "git-secrets: '{spec}' is neither a built-in pack ({}) nor a readable registry file: {reason}",
                    packs.join(", ")
                )
            }
            AppError::Registry(e) => writeln!(f, "git-secrets: {e}"),
            AppError::CheckRegistryNeedsFile => {
                writeln!(f, "git-secrets: --check-registry needs a registry file")
            }
            AppError::UnreadableRegistry { name, reason } => {
                writeln!(f, "git-secrets: {name}: {reason}")
            }
            AppError::ExamplesFailed(problems) => {
                for p in problems {
                    writeln!(f, "git-secrets: {p}")?;
                }
                Ok(())
            }
            AppError::NotInRepository => writeln!(f, "Not in a Git repository"),
            AppError::CannotCreateHooksDir {
                component,
                reason,
                target,
            } => write!(
                f,
                "mkdir: cannot create directory '{}': {reason}\nCould not create dir: {}\n",
                component.display(),
                target.display()
            ),
            AppError::HookExists(path) => {
                writeln!(f, "{} already exists. Use -f to force", path.display())
            }
            AppError::CannotWriteHook { path, reason } => {
                writeln!(f, "git-secrets: cannot write {}: {reason}", path.display())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry_error(rule: Option<&str>) -> RegistryError {
        RegistryError {
            source: "team.toml".into(),
            rule: rule.map(str::to_owned),
            message: "no pattern".into(),
        }
    }

    /// Every cause with its exact text and exit code (the texts integration tests and
    /// upstream's compatibility cases compare byte for byte).
    #[test]
    fn every_cause_renders_its_exact_text_and_code() {
        let cases: Vec<(AppError, &str, u8)> = vec![
            (
                AppError::Combined(vec!["--cached", "--untracked"]),
                "--cached and --untracked cannot be combined\n",
                1,
            ),
            (
                AppError::Untrusted("fatal: detected dubious ownership\n".into()),
                "fatal: detected dubious ownership\n",
                128,
            ),
            (
                AppError::CannotOpenRepository("bad config".into()),
                "git-secrets: cannot open this repository (bad config); refusing to run without its configuration (a hook can be skipped deliberately with --no-verify)\n",
                128,
            ),
            (
                AppError::HookCannotRun {
                    hook: Hook::CommitMsg,
                    code: 2,
                },
                "git-secrets: the commit-msg check could not run, so the commit is refused (git commit --no-verify skips it deliberately)\n",
                2,
            ),
            (
                AppError::HookCannotRun {
                    hook: Hook::PreCommit,
                    code: 128,
                },
                "git-secrets: the pre-commit check could not run, so the commit is refused (git commit --no-verify skips it deliberately)\n",
                128,
            ),
            (
                AppError::HookCannotRun {
                    hook: Hook::PrepareCommitMsg,
                    code: 2,
                },
                "git-secrets: the merge check could not run, so the merge is refused (fix the problem above: --no-verify does not skip this hook)\n",
                2,
            ),
            (
                AppError::HookCannotRun {
                    hook: Hook::PrePush,
                    code: 2,
                },
                "git-secrets: the pre-push check could not run, so the push is refused (git push --no-verify bypasses it deliberately)\n",
                2,
            ),
            (
                AppError::RegisterNeedsArgument,
                "git-secrets: --register needs a built-in pack name or a registry file\n",
                1,
            ),
            (
                AppError::Registry(registry_error(Some("r1"))),
                "git-secrets: team.toml: rule 'r1': no pattern\n",
                1,
            ),
            (
                AppError::CheckRegistryNeedsFile,
                "git-secrets: --check-registry needs a registry file\n",
                1,
            ),
            (
                AppError::UnreadableRegistry {
                    name: "x.toml".into(),
                    reason: "No such file or directory".into(),
                },
                "git-secrets: x.toml: No such file or directory\n",
                2,
            ),
            (
                AppError::ExamplesFailed(vec![registry_error(Some("a")), registry_error(None)]),
                "git-secrets: team.toml: rule 'a': no pattern\ngit-secrets: team.toml: no pattern\n",
                1,
            ),
            (AppError::NotInRepository, "Not in a Git repository\n", 1),
            (
                AppError::CannotCreateHooksDir {
                    component: "d/hooks".into(),
                    reason: "Not a directory".into(),
                    target: "d".into(),
                },
                "mkdir: cannot create directory 'd/hooks': Not a directory\nCould not create dir: d\n",
                1,
            ),
            (
                AppError::HookExists(".git/hooks/pre-commit".into()),
                ".git/hooks/pre-commit already exists. Use -f to force\n",
                1,
            ),
            (
                AppError::CannotWriteHook {
                    path: "h/pre-commit".into(),
                    reason: "Permission denied (os error 13)".into(),
                },
                "git-secrets: cannot write h/pre-commit: Permission denied (os error 13)\n",
                1,
            ),
        ];
        for (error, text, code) in cases {
            assert_eq!(error.to_string(), text, "{error:?}");
            assert_eq!(error.code(), code, "{error:?}");
        }
        let packs = crate::rules::BUILTIN_PACKS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ");
        let not = AppError::NotARegistry {
            spec: "nope".into(),
            reason: "No such file or directory".into(),
        };
        assert_eq!(
            not.to_string(),
            format!(
                "git-secrets: 'nope' is neither a built-in pack ({packs}) nor a readable registry file: No such file or directory\n"
            )
        );
        assert_eq!(not.code(), 1);
    }
}
