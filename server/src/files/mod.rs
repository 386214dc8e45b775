//! Files and folders: names, the tree, and (next) blobs, versions, uploads and downloads.

pub mod access;
pub mod activity;
pub mod admission;
pub mod archive;
pub mod batch_writer;
pub mod blob_gc;
pub mod checksum;
pub mod concat;
pub mod content;
pub mod copy;
pub mod group_commit;
pub mod local_staging;
pub mod mime;
pub mod moving;
pub mod name;
pub mod natural;
pub mod paths;
pub mod quota;
pub mod rows;
pub mod s3_staging;
pub mod sha256_state;
pub mod trash;
pub mod tree;
pub mod uploads;
pub mod versions;
pub mod zip;
