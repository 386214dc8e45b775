//! A SHA-256 whose progress can be saved and picked up again, by another process or another
//! machine: uploads staged in S3 cannot be read back before they complete, so the hash of the
//! bytes already sent is kept as its intermediate state (at 64-byte block boundaries).
//! The block function is the `sha2` crate's (SHA-NI or AVX2 where the CPU has them).

use sha2::{compress256, digest::generic_array::GenericArray};

const INITIAL: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sha256State {
    h: [u32; 8],
    /// Bytes hashed so far (whole blocks, plus what `pending` holds).
    len: u64,
    pending: Vec<u8>,
}

impl Default for Sha256State {
    fn default() -> Self {
        Self {
            h: INITIAL,
            len: 0,
            pending: Vec::with_capacity(64),
        }
    }
}

impl Sha256State {
    pub fn update(&mut self, mut data: &[u8]) {
        self.len += data.len() as u64;
        if !self.pending.is_empty() {
            let take = (64 - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() < 64 {
                return;
            }
            compress256(&mut self.h, &[*GenericArray::from_slice(&self.pending)]);
            self.pending.clear();
        }
        let blocks = data.len() / 64;
        for block in data[..blocks * 64].chunks_exact(64) {
            compress256(
                &mut self.h,
                std::slice::from_ref(GenericArray::from_slice(block)),
            );
        }
        self.pending.extend_from_slice(&data[blocks * 64..]);
    }

    pub fn finalize(mut self) -> [u8; 32] {
        let bits = self.len.wrapping_mul(8);
        let mut tail = std::mem::take(&mut self.pending);
        tail.push(0x80);
        while tail.len() % 64 != 56 {
            tail.push(0);
        }
        tail.extend_from_slice(&bits.to_be_bytes());
        for block in tail.chunks_exact(64) {
            compress256(
                &mut self.h,
                std::slice::from_ref(GenericArray::from_slice(block)),
            );
        }
        let mut out = [0u8; 32];
        for (word, bytes) in self.h.iter().zip(out.chunks_exact_mut(4)) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    /// The state as text (`<bytes>:<64 hex digits>`), only at a block boundary.
    pub fn save(&self) -> Option<String> {
        if !self.pending.is_empty() {
            return None;
        }
        let words: String = self.h.iter().map(|w| format!("{w:08x}")).collect();
        Some(format!("{}:{words}", self.len))
    }

    pub fn restore(saved: &str) -> Option<Self> {
        let (len, words) = saved.split_once(':')?;
        let len: u64 = len.parse().ok()?;
        if !len.is_multiple_of(64) || words.len() != 64 || !words.is_ascii() {
            return None;
        }
        let mut h = [0u32; 8];
        for (i, word) in h.iter_mut().enumerate() {
            *word = u32::from_str_radix(&words[i * 8..i * 8 + 8], 16).ok()?;
        }
        Some(Self {
            h,
            len,
            pending: Vec::with_capacity(64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn it_hashes_like_sha2_in_any_pieces_and_across_a_save() {
        let data: Vec<u8> = (0..100_003u32).map(|i| (i * 13 % 251) as u8).collect();
        for cut in [0, 1, 63, 64, 65, 4096, 99_999, 100_003] {
            let mut state = Sha256State::default();
            state.update(&data[..cut]);
            for piece in data[cut..].chunks(777) {
                state.update(piece);
            }
            assert_eq!(
                state.finalize()[..],
                Sha256::digest(&data)[..],
                "cut at {cut}"
            );
        }
        let mut first = Sha256State::default();
        first.update(&data[..8192]);
        let saved = first.save().unwrap();
        let mut resumed = Sha256State::restore(&saved).unwrap();
        resumed.update(&data[8192..]);
        assert_eq!(resumed.finalize()[..], Sha256::digest(&data)[..]);
        assert_eq!(
            Sha256State::default().finalize()[..],
            Sha256::digest(b"")[..]
        );
    }

    #[test]
    fn only_block_boundaries_save_and_bad_text_does_not_restore() {
        let mut state = Sha256State::default();
        state.update(b"abc");
        assert!(state.save().is_none());
        assert!(Sha256State::restore("10:00").is_none());
        assert!(Sha256State::restore(&format!("63:{}", "0".repeat(64))).is_none());
        assert!(Sha256State::restore(&format!("64:{}", "g".repeat(64))).is_none());
    }
}
