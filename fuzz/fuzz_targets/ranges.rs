//! Every range the Range parser accepts lies inside the file, in order, without overlaps.
#![no_main]
use libfuzzer_sys::fuzz_target;
use server::routes::ranges::{parse, Ranges};

fuzz_target!(|input: (&str, u32)| {
    let (header, size) = input;
    let size = u64::from(size);
    if let Ranges::Some(ranges) = parse(header, size) {
        assert!(!ranges.is_empty());
        let mut end = None;
        for r in &ranges {
            assert!(r.start() <= r.end() && *r.end() < size, "{r:?} of {size}");
            if let Some(previous) = end {
                assert!(*r.start() > previous, "{ranges:?}");
            }
            end = Some(*r.end());
        }
    }
});
