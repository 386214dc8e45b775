//! HTTP Range requests (RFC 9110 §14): reading the `Range` header, and the
//! `multipart/byteranges` body that answers several ranges at once.

use std::ops::RangeInclusive;

use bytes::Bytes;
use futures::{stream, StreamExt};

use crate::{service::BlobSource, storage::ByteStream};

/// More ranges than this in one request are answered with the whole file.
const MAX_RANGES: usize = 32;

/// What a `Range` header asks of a representation of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Ranges {
    /// No usable header (absent, another unit, malformed, too many ranges): send it all.
    Full,
    /// First and last byte of each range, in the order asked (overlaps coalesced).
    Some(Vec<RangeInclusive<u64>>),
    /// Nothing asked for is in the file: 416.
    Unsatisfiable,
}

pub fn parse(header: &str, size: u64) -> Ranges {
    let Some(specs) = header.trim().strip_prefix("bytes=") else {
        return Ranges::Full;
    };
    let mut ranges = Vec::new();
    for spec in specs.split(',') {
        let spec = spec.trim();
        if spec.is_empty() {
            continue;
        }
        match parse_one(spec, size) {
            Err(()) => return Ranges::Full,
            Ok(Some(range)) => ranges.push(range),
            Ok(None) => {}
        }
    }
    if specs.split(',').count() > MAX_RANGES {
        return Ranges::Full;
    }
    if ranges.is_empty() {
        return Ranges::Unsatisfiable;
    }
    Ranges::Some(coalesce(ranges))
}

/// One `first-last`, `first-` or `-suffix`: `Err` when malformed, `None` when unsatisfiable.
fn parse_one(spec: &str, size: u64) -> Result<Option<RangeInclusive<u64>>, ()> {
    let (first, last) = spec.split_once('-').ok_or(())?;
    let number = |s: &str| -> Result<u64, ()> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        s.parse().map_err(|_| ())
    };
    let (first, last) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n = number(suffix)?;
            if n == 0 || size == 0 {
                return Ok(None);
            }
            (size.saturating_sub(n), size - 1)
        }
        (first, "") => (number(first)?, size.saturating_sub(1)),
        (first, last) => {
            let (first, last) = (number(first)?, number(last)?);
            if last < first {
                return Err(());
            }
            (first, last.min(size.saturating_sub(1)))
        }
    };
    if size == 0 || first >= size {
        return Ok(None);
    }
    Ok(Some(first..=last))
}

/// Overlapping or touching ranges become one (a client gains nothing from asking for the
/// same bytes twice, and a server must not be made to send them many times over).
fn coalesce(ranges: Vec<RangeInclusive<u64>>) -> Vec<RangeInclusive<u64>> {
    let mut sorted = ranges.clone();
    sorted.sort_by_key(|r| *r.start());
    let overlapping = sorted
        .windows(2)
        .any(|w| *w[1].start() <= w[0].end().saturating_add(1));
    if !overlapping {
        return ranges;
    }
    let mut merged: Vec<RangeInclusive<u64>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match merged.last_mut() {
            Some(last) if *range.start() <= last.end().saturating_add(1) => {
                *last = *last.start()..=(*last.end()).max(*range.end());
            }
            _ => merged.push(range),
        }
    }
    merged
}

/// A `multipart/byteranges` body: its boundary, its exact length, and its bytes streamed
/// range by range from the blob.
pub struct Multipart {
    pub boundary: String,
    pub length: u64,
    pub body: ByteStream,
}

pub fn multipart(
    source: BlobSource,
    ranges: &[RangeInclusive<u64>],
    size: u64,
    mime: &str,
) -> Multipart {
    let boundary = format!("gosync-{:016x}", rand::random::<u64>());
    let mut pieces = Vec::with_capacity(ranges.len() * 2 + 1);
    let mut length = 0;
    for range in ranges {
        let head = format!(
            "\r\n--{boundary}\r\nContent-Type: {mime}\r\nContent-Range: bytes {}-{}/{size}\r\n\r\n",
            range.start(),
            range.end()
        );
        length += head.len() as u64 + (range.end() - range.start() + 1);
        pieces.push(Piece::Text(Bytes::from(head)));
        pieces.push(Piece::Blob(*range.start()..range.end() + 1));
    }
    let tail = format!("\r\n--{boundary}--\r\n");
    length += tail.len() as u64;
    pieces.push(Piece::Text(Bytes::from(tail)));
    let body = stream::iter(pieces)
        .then(move |piece| {
            let source = source.clone();
            async move {
                match piece {
                    Piece::Text(bytes) => stream::once(async { Ok(bytes) }).boxed(),
                    Piece::Blob(range) => match source.read(Some(range)).await {
                        Ok(stream) => stream,
                        Err(e) => stream::once(async { Err(e) }).boxed(),
                    },
                }
            }
        })
        .flatten()
        .boxed();
    Multipart {
        boundary,
        length,
        body,
    }
}

enum Piece {
    Text(Bytes),
    Blob(std::ops::Range<u64>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(ranges: &[(u64, u64)]) -> Ranges {
        Ranges::Some(ranges.iter().map(|&(a, b)| a..=b).collect())
    }

    #[test]
    fn single_ranges_are_read_like_rfc_9110_says() {
        assert_eq!(parse("bytes=0-9", 100), some(&[(0, 9)]));
        assert_eq!(parse("bytes=90-", 100), some(&[(90, 99)]));
        assert_eq!(parse("bytes=-10", 100), some(&[(90, 99)]));
        assert_eq!(parse("bytes=-500", 100), some(&[(0, 99)]));
        assert_eq!(parse("bytes=50-500", 100), some(&[(50, 99)]));
        assert_eq!(parse("bytes=100-", 100), Ranges::Unsatisfiable);
        assert_eq!(parse("bytes=-0", 100), Ranges::Unsatisfiable);
        assert_eq!(parse("bytes=0-0", 0), Ranges::Unsatisfiable);
        assert_eq!(parse("bytes=9-3", 100), Ranges::Full);
        assert_eq!(parse("bytes=a-3", 100), Ranges::Full);
        assert_eq!(parse("bytes=+1-3", 100), Ranges::Full);
        assert_eq!(parse("items=0-1", 100), Ranges::Full);
    }

    #[test]
    fn several_ranges_keep_their_order_and_drop_the_unsatisfiable() {
        assert_eq!(
            parse("bytes=50-59, 0-9,-5", 100),
            some(&[(50, 59), (0, 9), (95, 99)])
        );
        assert_eq!(parse("bytes=0-1,200-300", 100), some(&[(0, 1)]));
        assert_eq!(parse("bytes=200-300,400-", 100), Ranges::Unsatisfiable);
        assert_eq!(parse("bytes=0-1,x", 100), Ranges::Full);
    }

    /// Found by fuzzing (fuzz/artifacts/ranges): ranges asked out of order stay in that order
    /// (the fuzz target wrongly expected them sorted; they neither overlap nor touch).
    #[test]
    fn ranges_out_of_order_are_kept_as_asked() {
        assert_eq!(
            parse("bytes=2999-99191,199-991", 824_979_928),
            some(&[(2999, 99191), (199, 991)])
        );
    }

    #[test]
    fn overlapping_ranges_are_coalesced_and_floods_are_ignored() {
        assert_eq!(parse("bytes=0-10,5-20,21-30", 100), some(&[(0, 30)]));
        assert_eq!(
            parse("bytes=40-50,0-10,8-12", 100),
            some(&[(0, 12), (40, 50)])
        );
        let flood = format!("bytes={}", vec!["0-0"; 33].join(","));
        assert_eq!(parse(&flood, 100), Ranges::Full);
        let many = format!("bytes={}", vec!["0-0"; 32].join(","));
        assert_eq!(parse(&many, 100), some(&[(0, 0)]));
    }
}
