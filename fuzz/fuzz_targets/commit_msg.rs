//! The commit-msg hook's view of what git's cleanup strips: for any message and any
//! `commit.cleanup` / `core.commentChar`, the stripped line numbers are ascending and name
//! lines of the message.
#![no_main]
use git_secrets::config::Context;
use libfuzzer_sys::fuzz_target;

const CLEANUPS: [&str; 6] = ["", "strip", "whitespace", "verbatim", "scissors", "default"];

fn context() -> Context {
    // Outside any repository, with no global config: only GIT_CONFIG_PARAMETERS speaks.
    let dir = std::env::temp_dir().join(format!("git-secrets-fuzz-msg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // SAFETY: set once, before any other thread reads the environment.
    unsafe {
        std::env::set_var("HOME", &dir);
        std::env::set_var("XDG_CONFIG_HOME", &dir);
        std::env::set_var("GIT_CONFIG_NOSYSTEM", "1");
        std::env::set_var("GIT_CEILING_DIRECTORIES", std::env::temp_dir());
    }
    std::env::set_current_dir(&dir).unwrap();
    Context::discover().expect("a temporary directory outside any repository")
}

thread_local! {
    static CTX: Context = context();
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, message)) = data.split_first() else {
        return;
    };
    let cleanup = CLEANUPS[usize::from(mode & 7) % CLEANUPS.len()];
    let comment = match mode >> 3 {
        0 => "#",
        1 => ";",
        2 => "//",
        3 => "auto",
        _ => "%",
    };
    let mut params = format!("'core.commentchar'='{comment}'");
    if !cleanup.is_empty() {
        params.push_str(&format!(" 'commit.cleanup'='{cleanup}'"));
    }
    // SAFETY: the fuzzer runs one input at a time on this thread.
    unsafe { std::env::set_var("GIT_CONFIG_PARAMETERS", params) };
    let lines = message.split(|&b| b == b'\n').count();
    CTX.with(|ctx| {
        let stripped = git_secrets::hooks::stripped_message_lines(ctx, message, true);
        assert!(stripped.windows(2).all(|w| w[0] < w[1]), "{stripped:?}");
        assert!(
            stripped.iter().all(|&n| n >= 1 && n <= lines),
            "{stripped:?}"
        );
    });
});
