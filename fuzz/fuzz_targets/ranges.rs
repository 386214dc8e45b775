//! Every range the Range parser accepts lies inside the file, and no two overlap or touch
//! (they come in the order asked: RFC 9110 lets a client ask them in any order).
#![no_main]
use libfuzzer_sys::fuzz_target;
use server::routes::ranges::{parse, Ranges};

fuzz_target!(|input: (&str, u32)| {
    let (header, size) = input;
    let size = u64::from(size);
    if let Ranges::Some(ranges) = parse(header, size) {
        assert!(!ranges.is_empty());
        for r in &ranges {
            assert!(r.start() <= r.end() && *r.end() < size, "{r:?} of {size}");
        }
        let mut sorted = ranges.clone();
        sorted.sort_by_key(|r| *r.start());
        for pair in sorted.windows(2) {
            assert!(*pair[1].start() > pair[0].end() + 1, "{ranges:?}");
        }
    }
});
