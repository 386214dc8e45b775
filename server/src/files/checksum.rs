//! The tus checksum extension: the client's digest of one PATCH body, checked as it arrives.

use sha2::{Digest, Sha256};

/// The tus checksum extension: the client's digest of one PATCH body.
pub enum Checksum {
    Sha1(Vec<u8>),
    Sha256(Vec<u8>),
}

pub enum BodyDigest {
    Sha1(sha1::Sha1),
    Sha256(Sha256),
}

impl BodyDigest {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            BodyDigest::Sha1(h) => h.update(bytes),
            BodyDigest::Sha256(h) => h.update(bytes),
        }
    }

    pub fn matches(self, expected: &Checksum) -> bool {
        match (self, expected) {
            (BodyDigest::Sha1(h), Checksum::Sha1(want)) => {
                h.finalize().as_slice() == want.as_slice()
            }
            (BodyDigest::Sha256(h), Checksum::Sha256(want)) => {
                h.finalize().as_slice() == want.as_slice()
            }
            _ => false,
        }
    }
}

impl Checksum {
    /// A fresh digest of the kind this checksum needs.
    pub fn digest(&self) -> BodyDigest {
        match self {
            Checksum::Sha1(_) => BodyDigest::Sha1(sha1::Sha1::new()),
            Checksum::Sha256(_) => BodyDigest::Sha256(Sha256::new()),
        }
    }
}
