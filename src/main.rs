//! `git-secrets`: parse, run, exit. Everything else lives in the library.

fn main() -> std::process::ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    // One command, then exit: the rule sets need not be freed.
    git_secrets::rules::keep_at_exit();
    std::process::ExitCode::from(git_secrets::app::run(&argv))
}
