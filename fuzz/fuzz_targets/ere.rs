//! The POSIX ERE translator: any bytes give a regex the regex crate compiles, or an error.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(translated) = git_secrets::ere::translate(data) {
        regex::bytes::RegexBuilder::new(&translated)
            .unicode(false)
            .multi_line(true)
            .size_limit(256 << 20)
            .build()
            .expect("a translated pattern compiles");
    }
});
