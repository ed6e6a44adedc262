//! Command-line parsing, exactly as upstream's `git rev-parse --parseopt` + option loop does it.
//!
//! Upstream git-secrets hands its argv to git's parse-options machinery (through
//! `git-sh-setup` and an `OPTIONS_SPEC`), then walks the normalised list itself. Scripts and
//! hooks in the wild depend on the result: abbreviations (`--lis`), permuted positionals
//! (`git secrets a.txt --scan`), exit 129 with the usage, the `Unknown option:` message. A
//! generic argument parser cannot reproduce those bytes, so this module re-implements
//! parse-options' algorithm (git 2.47) for our fixed option table, natively: the hooks pay
//! for every process we would otherwise spawn.

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};

pub use crate::command::Command;

/// The synopsis lines of the usage text: the part of it that is a contract.
pub const SYNOPSIS: [&str; 8] = [
    "git secrets --scan [-r|--recursive] [--cached] [--no-index] [--untracked] [<files>...]",
    "git secrets --scan-history",
    "git secrets --install [-f|--force] [<target-directory>]",
    "git secrets --list [--global]",
    "git secrets --add [-a|--allowed] [-l|--literal] [--global] <pattern>",
    "git secrets --add-provider [--global] <command> [arguments...]",
    "git secrets --register-aws [--global]",
    "git secrets --aws-provider [<credentials-file>]",
];

/// One entry of the option table: (short, long, help, hidden).
struct OptSpec {
    short: Option<u8>,
    long: &'static str,
    help: &'static str,
    hidden: bool,
}

const fn opt(short: Option<u8>, long: &'static str, help: &'static str) -> OptSpec {
    OptSpec {
        short,
        long,
        help,
        hidden: false,
    }
}

/// The option table in upstream's `OPTIONS_SPEC` order (the order decides abbreviation
/// ambiguity messages).
const OPTIONS: [OptSpec; 19] = [
    opt(None, "scan", "Scans <files> for prohibited patterns"),
    opt(None, "scan-history", "Scans repo for prohibited patterns"),
    opt(
        None,
        "install",
        "Installs git hooks for Git repository or Git template directory",
    ),
    opt(None, "list", "Lists secret patterns"),
    opt(
        None,
        "add",
        "Adds a prohibited or allowed pattern, ensuring to de-dupe with existing patterns",
    ),
    opt(
        None,
        "add-provider",
        "Adds a secret provider that when called outputs secret patterns on new lines",
    ),
    opt(
        None,
        "aws-provider",
        "Secret provider that outputs credentials found in an ini file",
    ),
    opt(
        None,
        "register-aws",
        "Adds common AWS patterns to the git config and scans for ~/.aws/credentials",
    ),
    opt(
        Some(b'r'),
        "recursive",
        "--scan scans directories recursively",
    ),
    opt(
        None,
        "cached",
        "--scan scans searches blobs registered in the index file",
    ),
    opt(
        None,
        "no-index",
        "--scan searches files in the current directory that is not managed by Git",
    ),
    opt(
        None,
        "untracked",
        "In addition to searching in the tracked files in the working tree, --scan also in untracked files",
    ),
    opt(
        Some(b'f'),
        "force",
        "--install overwrites hooks if the hook already exists",
    ),
    opt(
        Some(b'l'),
        "literal",
        "--add and --add-allowed patterns are escaped so that they are literal",
    ),
    opt(
        Some(b'a'),
        "allowed",
        "--add adds an allowed pattern instead of a prohibited pattern",
    ),
    opt(None, "global", "Uses the --global git config"),
    OptSpec {
        short: None,
        long: "commit_msg_hook",
        help: "commit-msg hook (internal only)",
        hidden: true,
    },
    OptSpec {
        short: None,
        long: "pre_commit_hook",
        help: "pre-commit hook (internal only)",
        hidden: true,
    },
    OptSpec {
        short: None,
        long: "prepare_commit_msg_hook",
        help: "prepare-commit-msg hook (internal only)",
        hidden: true,
    },
];

/// Options of ours that upstream does not have. They are matched only when spelled in full
/// (never abbreviated, never negated), so every abbreviation of upstream's options keeps its
/// meaning, and they stay out of upstream's usage text.
struct ExtSpec {
    long: &'static str,
    /// Takes a value: `--opt VALUE` or `--opt=VALUE`.
    value: bool,
    help: &'static str,
}

const fn ext(long: &'static str, value: bool, help: &'static str) -> ExtSpec {
    ExtSpec { long, value, help }
}

const EXTENSIONS: [ExtSpec; 23] = [
    ext(
        "version",
        false,
        "Prints the name, version, commit and the CPU features in use",
    ),
    ext(
        "register",
        false,
        "Enables a built-in pattern pack or a registry file (secrets.registries)",
    ),
    ext(
        "check-registry",
        false,
        "Compiles a registry file and runs its examples",
    ),
    ext(
        "format",
        true,
        "Report format: human (default), json, jsonl, sarif or asff",
    ),
    ext(
        "output",
        true,
        "Write the report to this file instead of stdout (--scan-repos: the report directory)",
    ),
    ext(
        "no-redact",
        false,
        "Show whole secrets in machine formats (redacted by default)",
    ),
    ext(
        "aws-account-id",
        true,
        "AWS account for ASFF findings (default: from CODEBUILD_BUILD_ARN)",
    ),
    ext(
        "aws-region",
        true,
        "AWS region for ASFF findings (default: AWS_REGION, AWS_DEFAULT_REGION)",
    ),
    ext(
        "repository",
        true,
        "Repository name in reports (default: the remote URL or directory name)",
    ),
    ext(
        "scan-range",
        true,
        "Scans the lines added by the commits of a rev-list range (e.g. origin/main..HEAD)",
    ),
    ext(
        "baseline",
        true,
        "Accept the findings recorded in this baseline file (by content fingerprint)",
    ),
    ext(
        "update-baseline",
        false,
        "With --baseline FILE: record the current findings in FILE instead of failing",
    ),
    ext(
        "verbose",
        false,
        "With --scan-history: a closing summary (commits, blobs, bytes, MB/s, findings)",
    ),
    ext("pre_push_hook", false, "pre-push hook (internal)"),
    ext("pre_receive_hook", false, "pre-receive hook (internal)"),
    ext(
        "pre-push",
        false,
        "With --install: also install the pre-push hook",
    ),
    ext(
        "pre-receive",
        false,
        "With --install <bare repository>: install the pre-receive hook (server side)",
    ),
    ext(
        "scan-repos",
        true,
        "Audits the repositories of a manifest (one URL a line, or JSON); reports go to --output DIR",
    ),
    ext(
        "cache-dir",
        true,
        "With --scan-repos: where the repositories are mirrored (bare mirrors, fetched again later)",
    ),
    ext(
        "shard",
        true,
        "With --scan-repos: audit shard I of N (I/N, 0-based)",
    ),
    ext(
        "shards",
        true,
        "With --scan-repos: N shards, I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX",
    ),
    ext(
        "plan",
        false,
        "With --scan-repos: print the shards' assignment and loads, scan nothing",
    ),
    ext(
        "checkpoint",
        true,
        "With --scan-repos: incremental audits; per repository the tips scanned and the rules' identity",
    ),
];

/// The extension options' help, shown by `--help-all`.
fn extensions_help() -> String {
    let mut out = String::from("Extensions (spelled in full):\n");
    for e in &EXTENSIONS {
        let left = if e.value {
            format!("    --{} <value>", e.long)
        } else {
            format!("    --{}", e.long)
        };
        push_padded(&mut out, &left, e.help);
    }
    out.push_str(
        "\nManual: man git-secrets (or git secrets --help). Version: git secrets --version.\n\n",
    );
    out
}

/// Where `-h`/`--help` point people for our extensions. Upstream's usage on stdout stays byte
/// for byte (scripts and the differential suite compare it); the pointer goes to stderr, and
/// only when a person reads it (a terminal), so captured output stays upstream's.
pub const HELP_HINT: &str = "More options (--format, --register, --baseline, --scan-range, ...): git secrets --help-all; manual: man git-secrets\n";

fn help_hint() -> String {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        HELP_HINT.to_string()
    } else {
        String::new()
    }
}

/// The full usage text as git 2.47 prints it for upstream's spec (`full` adds hidden options,
/// as `--help-all` does).
pub fn usage(full: bool) -> String {
    let mut out = String::new();
    for (i, line) in SYNOPSIS.iter().enumerate() {
        out.push_str(if i == 0 { "usage: " } else { "   or: " });
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    for o in OPTIONS.iter().filter(|o| full || !o.hidden) {
        let mut left = String::from("    ");
        if let Some(s) = o.short {
            left.push('-');
            left.push(s as char);
            left.push_str(", ");
        }
        // parse-options shows `--[no-]x` for negatable options; `no-x` options get a separate
        // line for their positive form.
        if o.long.starts_with("no-") {
            left.push_str("--");
            left.push_str(o.long);
        } else {
            left.push_str("--[no-]");
            left.push_str(o.long);
        }
        push_padded(&mut out, &left, o.help);
        if let Some(positive) = o.long.strip_prefix("no-") {
            let left = format!("    --{positive}");
            push_padded(&mut out, &left, &format!("opposite of --{}", o.long));
        }
    }
    out.push('\n');
    out
}

fn push_padded(out: &mut String, left: &str, help: &str) {
    const WIDTH: usize = 24;
    const GAP: usize = 2;
    out.push_str(left);
    if left.len() <= WIDTH {
        out.push_str(&" ".repeat(WIDTH - left.len() + GAP));
    } else {
        out.push('\n');
        out.push_str(&" ".repeat(WIDTH + GAP));
    }
    out.push_str(help);
    out.push('\n');
}

/// The parsed invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub force: bool,
    pub recursive: bool,
    pub literal: bool,
    pub global: bool,
    pub allowed: bool,
    pub cached: bool,
    pub no_index: bool,
    pub untracked: bool,
    /// The extension options, decoded once ([`crate::options`]).
    pub opts: crate::options::Options,
}

/// A parsed command line, or the bytes to print and the code to exit with.
#[derive(Debug)]
pub enum Parsed {
    Run {
        command: Command,
        /// Boxed: the options make it ten times the size of `Exit`.
        flags: Box<Flags>,
        args: Vec<OsString>,
    },
    Exit {
        stdout: String,
        stderr: String,
        code: u8,
    },
}

fn exit(stdout: String, stderr: String, code: u8) -> Parsed {
    Parsed::Exit {
        stdout,
        stderr,
        code,
    }
}

/// One normalised option token, as `rev-parse --parseopt` would print it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    option: usize,
    unset: bool,
}

impl Token {
    fn long(self) -> &'static str {
        match OPTIONS.get(self.option) {
            Some(o) => o.long,
            None => EXTENSIONS[self.option - OPTIONS.len()].long,
        }
    }

    fn render(self) -> String {
        let Some(o) = OPTIONS.get(self.option) else {
            return format!("--{}", self.long());
        };
        if self.unset {
            format!("--no-{}", o.long)
        } else if let Some(s) = o.short {
            format!("-{}", s as char)
        } else {
            format!("--{}", o.long)
        }
    }
}

enum LongResult {
    Found(Token, bool /* has value */),
    Unknown,
    Ambiguous(String),
}

/// parse-options' `parse_long_opt`: exact names, `no-` negations and unique abbreviations.
fn parse_long(arg: &[u8]) -> LongResult {
    let arg_end = arg.iter().position(|&b| b == b'=').unwrap_or(arg.len());
    let mut arg_start = arg;
    let mut unset = false;
    let mut starts_with_no_no = false;
    if let Some(rest) = arg_start.strip_prefix(b"no-") {
        arg_start = rest;
        if let Some(rest) = arg_start.strip_prefix(b"no-") {
            arg_start = rest;
            starts_with_no_no = true;
        } else {
            unset = true;
        }
    }
    let prefix_len = arg_end - (arg.len() - arg_start.len());
    let mut abbrev: Option<Token> = None;
    let mut ambiguous: Option<Token> = None;
    let mut register = |t: Token, abbrev: &mut Option<Token>| {
        if abbrev.is_some() {
            ambiguous = *abbrev;
        }
        *abbrev = Some(t);
    };
    for (i, o) in OPTIONS.iter().enumerate() {
        let mut long = o.long.as_bytes();
        let mut opt_unset = false;
        if let Some(rest) = long.strip_prefix(b"no-") {
            long = rest;
            opt_unset = true;
        } else if starts_with_no_no {
            continue;
        }
        if let Some(rest) = arg_start.strip_prefix(long) {
            match rest.first() {
                None => {
                    return LongResult::Found(
                        Token {
                            option: i,
                            unset: unset ^ opt_unset,
                        },
                        false,
                    );
                }
                Some(b'=') => {
                    return LongResult::Found(
                        Token {
                            option: i,
                            unset: unset ^ opt_unset,
                        },
                        true,
                    );
                }
                Some(_) => continue,
            }
        }
        if long.starts_with(&arg_start[..prefix_len.min(arg_start.len())]) {
            register(
                Token {
                    option: i,
                    unset: unset ^ opt_unset,
                },
                &mut abbrev,
            );
        }
        if b"no-".starts_with(arg) {
            register(
                Token {
                    option: i,
                    unset: !opt_unset,
                },
                &mut abbrev,
            );
        }
    }
    if let (Some(amb), Some(abb)) = (ambiguous, abbrev) {
        let name = |t: Token| {
            format!(
                "--{}{}",
                if t.unset { "no-" } else { "" },
                OPTIONS[t.option].long
            )
        };
        return LongResult::Ambiguous(format!(
            "error: ambiguous option: {} (could be {} or {})\n",
            String::from_utf8_lossy(arg),
            name(amb),
            name(abb)
        ));
    }
    match abbrev {
        Some(t) => LongResult::Found(t, arg_end < arg.len()),
        None => LongResult::Unknown,
    }
}

fn takes_no_value(t: Token) -> String {
    format!(
        "error: option `{}{}' takes no value\n",
        if t.unset { "no-" } else { "" },
        OPTIONS[t.option].long
    )
}

/// parse-options' `check_typos`: `-cached` is refused as a probable `--cached`.
fn check_typos(arg: &[u8]) -> Option<String> {
    if arg.len() < 3 {
        return None;
    }
    let typo =
        arg.starts_with(b"no-") || OPTIONS.iter().any(|o| o.long.as_bytes().starts_with(arg));
    typo.then(|| {
        format!(
            "error: did you mean `--{}` (with two dashes)?\n",
            String::from_utf8_lossy(arg)
        )
    })
}

/// Normalise argv as `git rev-parse --parseopt` does: option tokens, then the positionals.
/// Option tokens, extension values and positionals.
type Normalised = (Vec<Token>, Vec<(&'static str, OsString)>, Vec<OsString>);

fn normalise(argv: &[OsString]) -> Result<Normalised, Parsed> {
    let usage_out = || exit(usage(false), help_hint(), 129);
    let unknown = |msg: String| exit(String::new(), msg + &usage(false), 129);
    let mut tokens = Vec::new();
    let mut ext_values = Vec::new();
    let mut positionals = Vec::new();
    let total = argv.len();
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_bytes();
        i += 1;
        if arg.first() != Some(&b'-') || arg.len() == 1 {
            positionals.push(argv[i - 1].clone());
            continue;
        }
        if total == 1 && arg == b"-h" {
            return Err(usage_out());
        }
        if arg[1] != b'-' {
            let shorts = &arg[1..];
            for (k, &c) in shorts.iter().enumerate() {
                match OPTIONS.iter().position(|o| o.short == Some(c)) {
                    Some(option) => {
                        tokens.push(Token {
                            option,
                            unset: false,
                        });
                        if k == 0
                            && shorts.len() > 1
                            && let Some(msg) = check_typos(shorts)
                        {
                            return Err(exit(String::new(), msg, 129));
                        }
                    }
                    None => {
                        if k == 0
                            && let Some(msg) = check_typos(shorts)
                        {
                            return Err(exit(String::new(), msg, 129));
                        }
                        if c == b'h' {
                            return Err(usage_out());
                        }
                        let msg = if c.is_ascii() {
                            format!("error: unknown switch `{}'\n", c as char)
                        } else {
                            format!(
                                "error: unknown non-ascii option in string: `-{}'\n",
                                String::from_utf8_lossy(&shorts[k..])
                            )
                        };
                        return Err(unknown(msg));
                    }
                }
            }
            continue;
        }
        let long = &arg[2..];
        if long.is_empty() || long == b"end-of-options" {
            positionals.extend(argv[i..].iter().cloned());
            break;
        }
        if long == b"help-all" {
            return Err(exit(usage(true) + &extensions_help(), String::new(), 129));
        }
        if long == b"help" {
            return Err(usage_out());
        }
        let (name, inline) = match long.iter().position(|&b| b == b'=') {
            Some(eq) => (&long[..eq], Some(&long[eq + 1..])),
            None => (long, None),
        };
        if let Some(ext) = EXTENSIONS.iter().position(|e| e.long.as_bytes() == name) {
            let spec = &EXTENSIONS[ext];
            let value = match (spec.value, inline) {
                (true, Some(v)) => OsString::from_vec(v.to_vec()),
                (true, None) => match argv.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => {
                        return Err(exit(
                            String::new(),
                            format!("error: option `{}' requires a value\n", spec.long),
                            129,
                        ));
                    }
                },
                (false, Some(_)) => {
                    return Err(exit(
                        String::new(),
                        format!("error: option `{}' takes no value\n", spec.long),
                        129,
                    ));
                }
                (false, None) => OsString::new(),
            };
            tokens.push(Token {
                option: OPTIONS.len() + ext,
                unset: false,
            });
            ext_values.push((spec.long, value));
            continue;
        }
        match parse_long(long) {
            LongResult::Found(t, false) => tokens.push(t),
            LongResult::Found(t, true) => return Err(exit(String::new(), takes_no_value(t), 129)),
            LongResult::Ambiguous(msg) => return Err(exit(usage(false), msg, 129)),
            LongResult::Unknown => {
                return Err(unknown(format!(
                    "error: unknown option `{}'\n",
                    String::from_utf8_lossy(long)
                )));
            }
        }
    }
    Ok((tokens, ext_values, positionals))
}

/// Extension options that are not commands (they modify one), which may precede it.
const EXT_COMMANDS: [&str; 6] = [
    "register",
    "check-registry",
    "scan-range",
    "pre_push_hook",
    "pre_receive_hook",
    "version",
];

/// Upstream's options that modify a command rather than name one.
const MODIFIERS: [&str; 8] = [
    "recursive",
    "cached",
    "no-index",
    "untracked",
    "force",
    "literal",
    "allowed",
    "global",
];

fn is_ext_option(t: Token) -> bool {
    t.option >= OPTIONS.len() && !EXT_COMMANDS.contains(&t.long())
}

/// Every long option we accept, upstream's and ours, with its help: the source of the man
/// page's option list and of the shell completions (kept in sync by a test).
pub fn all_options() -> Vec<(&'static str, bool, &'static str)> {
    OPTIONS
        .iter()
        .filter(|o| !o.hidden)
        .map(|o| (o.long, false, o.help))
        .chain(
            EXTENSIONS
                .iter()
                .filter(|e| !e.long.contains('_'))
                .map(|e| (e.long, e.value, e.help)),
        )
        .collect()
}

/// Parse argv (without the program name) the way upstream's script ends up seeing it.
pub fn parse(argv: &[OsString]) -> Parsed {
    let (tokens, ext_values, args) = match normalise(argv) {
        Ok(v) => v,
        Err(p) => return p,
    };
    // Extension options may come before the command (`--format json --scan`): the command
    // is the first token that is not one of them. Upstream's own options keep upstream's
    // rule (the first token is the command), so `--global --list` stays an unknown option;
    // before one of our commands (`--global --register aws`, an error upstream) they may lead
    // too.
    let mut lead = tokens.iter().take_while(|t| is_ext_option(**t)).count();
    let modifier = |t: &Token| {
        is_ext_option(*t)
            || (t.option < OPTIONS.len() && !t.unset && MODIFIERS.contains(&OPTIONS[t.option].long))
    };
    let ours_at = tokens.iter().position(|t| !modifier(t));
    if let Some(c) = ours_at
        && c > lead
        && EXT_COMMANDS.contains(&tokens[c].long())
        && tokens[c].option >= OPTIONS.len()
    {
        lead = c;
    }
    let mut tokens = tokens;
    if lead > 0 && lead < tokens.len() {
        tokens[..=lead].rotate_right(1);
    }
    let Some((&first, rest)) = tokens.split_first() else {
        // Upstream: COMMAND is `--`, so it prints the usage and exits 0.
        return exit(usage(false), String::new(), 0);
    };
    let first_name = first.render();
    let command = match (first.unset, first.long()) {
        (false, "scan") => Some(Command::Scan),
        (false, "scan-history") => Some(Command::ScanHistory),
        (false, "install") => Some(Command::Install),
        (false, "list") => Some(Command::List),
        (false, "add") => Some(Command::Add),
        (false, "add-provider") => Some(Command::AddProvider),
        (false, "register-aws") => Some(Command::RegisterAws),
        (false, "aws-provider") => Some(Command::AwsProvider),
        (false, "commit_msg_hook") => Some(Command::CommitMsgHook),
        (false, "pre_commit_hook") => Some(Command::PreCommitHook),
        (false, "prepare_commit_msg_hook") => Some(Command::PrepareCommitMsgHook),
        (false, "register") => Some(Command::Register),
        (false, "check-registry") => Some(Command::CheckRegistry),
        (false, "scan-range") => Some(Command::ScanRange),
        (false, "pre_push_hook") => Some(Command::PrePushHook),
        (false, "pre_receive_hook") => Some(Command::PreReceiveHook),
        (false, "version") => Some(Command::Version),
        (false, "scan-repos") => Some(Command::ScanRepos),
        _ => None,
    };
    let mut flags = Flags {
        opts: crate::options::Options::decode(&ext_values),
        ..Flags::default()
    };
    let die = |msg: String| exit(String::new(), msg + "\n", 1);
    for t in rest {
        let rendered = t.render();
        let (belongs_to, name, flag): (&str, &str, &mut bool) = match rendered.as_str() {
            "-f" => ("--install", "-f|--force", &mut flags.force),
            "-r" => ("--scan", "-r|--recursive", &mut flags.recursive),
            "-a" => ("--add", "-a|--allowed", &mut flags.allowed),
            "-l" => ("--add", "-l|--literal", &mut flags.literal),
            "--cached" => ("--scan", "--cached", &mut flags.cached),
            "--no-index" => ("--scan", "--no-index", &mut flags.no_index),
            "--untracked" => ("--scan", "--untracked", &mut flags.untracked),
            "--global" => {
                flags.global = true;
                continue;
            }
            _ => continue,
        };
        if first_name != belongs_to {
            return die(format!(
                "{name} can only be supplied with the {belongs_to} subcommand"
            ));
        }
        *flag = true;
    }
    if flags.recursive && (flags.cached || flags.no_index || flags.untracked) {
        return die(
            "-r|--recursive cannot be supplied with --cached, --no-index, or --untracked".into(),
        );
    }
    if let Some(command) = &command
        && let Err(msg) = flags.opts.check(command)
    {
        return die(msg);
    }
    match command {
        Some(command) => Parsed::Run {
            command,
            flags: Box::new(flags),
            args,
        },
        None => exit(
            format!("Unknown option: {first_name}\n{}", usage(false)),
            String::new(),
            129,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Parsed {
        parse(&args.iter().map(OsString::from).collect::<Vec<_>>())
    }

    /// The manual and both completions name every option of the tables.
    #[test]
    fn manual_and_completions_cover_every_option() {
        let manual = include_str!("../docs/man/git-secrets.1");
        let bash = include_str!("../completions/git-secrets.bash");
        let zsh = include_str!("../completions/_git-secrets");
        for (long, _, _) in all_options().into_iter().chain([("help-all", false, "")]) {
            let roff = format!("\\fB\\-\\-{}\\fR", long.replace('-', "\\-"));
            assert!(manual.contains(&roff), "the manual lacks --{long} ({roff})");
            let plain = format!("--{long}");
            let word = |text: &str| {
                text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                    .any(|w| w == plain)
            };
            assert!(word(bash), "the bash completion lacks {plain}");
            assert!(word(zsh), "the zsh completion lacks {plain}");
        }
    }

    #[test]
    fn usage_matches_git_2_47_table() {
        let u = usage(false);
        assert!(u.starts_with("usage: git secrets --scan [-r|--recursive]"));
        assert!(u.contains("\n    -r, --[no-]recursive  --scan scans directories recursively\n"));
        assert!(u.contains("\n    --index               opposite of --no-index\n"));
        assert!(!u.contains("pre_commit_hook"));
        assert!(usage(true).contains("pre_commit_hook"));
    }

    #[test]
    fn abbreviation_and_permutation() {
        match run(&["a.txt", "--sca", "--lis"]) {
            Parsed::Exit { stderr, code, .. } => {
                assert_eq!(code, 129);
                assert_eq!(
                    stderr,
                    "error: ambiguous option: sca (could be --scan or --scan-history)\n"
                );
            }
            p => panic!("{p:?}"),
        }
        match run(&["a.txt", "--scan", "-r"]) {
            Parsed::Run {
                command,
                flags,
                args,
            } => {
                assert_eq!(command, Command::Scan);
                assert!(flags.recursive);
                assert_eq!(args, vec![OsString::from("a.txt")]);
            }
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn scope_errors_in_argument_order() {
        match run(&["--list", "--cached", "-r"]) {
            Parsed::Exit { stderr, code, .. } => {
                assert_eq!(code, 1);
                assert_eq!(
                    stderr,
                    "--cached can only be supplied with the --scan subcommand\n"
                );
            }
            p => panic!("{p:?}"),
        }
    }

    #[test]
    fn index_is_the_negation_of_no_index() {
        match run(&["--index"]) {
            Parsed::Exit { stdout, code, .. } => {
                assert_eq!(code, 129);
                assert!(stdout.starts_with("Unknown option: --no-no-index\n"));
            }
            p => panic!("{p:?}"),
        }
    }
}
