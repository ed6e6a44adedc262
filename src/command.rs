//! The commands the command line can ask for: [`crate::cli`] parses them and
//! [`crate::options`] checks the extension options against them.

/// What the command line asks for, after upstream's normalisation and checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Scan,
    ScanHistory,
    Install,
    List,
    Add,
    AddProvider,
    RegisterAws,
    AwsProvider,
    CommitMsgHook,
    PreCommitHook,
    PrepareCommitMsgHook,
    /// `--register <pack-or-file>` (extension).
    Register,
    /// `--check-registry <file>` (extension).
    CheckRegistry,
    /// `--scan-range <range>` (extension): added lines of a commit range.
    ScanRange,
    /// The pre-push hook entry point (extension).
    PrePushHook,
    /// The pre-receive hook entry point (extension, server side).
    PreReceiveHook,
    /// `--version` (extension).
    Version,
    /// `--scan-repos <manifest>` (extension): an organisation audit.
    ScanRepos,
}
