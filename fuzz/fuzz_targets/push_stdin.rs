//! The push hooks' standard input parsers: any text gives ref lines or a one-line error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = git_secrets::push::parse_push_lines(&text) {
        assert!(!e.contains('\n'));
    }
    if let Err(e) = git_secrets::push::parse_receive_lines(&text) {
        assert!(!e.contains('\n'));
    }
});
