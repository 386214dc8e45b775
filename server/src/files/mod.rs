//! Files and folders: names, the tree, and (next) blobs, versions, uploads and downloads.

pub mod name;
pub mod tree;
