//! `git-secrets`: parse, run, exit. Everything else lives in the library.

fn main() -> std::process::ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    std::process::ExitCode::from(git_secrets::app::run(&argv))
}
