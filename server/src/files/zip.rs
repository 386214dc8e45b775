//! The ZIP format (PKWARE APPNOTE 6.3) for archives written as they are streamed: entries
//! are stored (most files people keep are compressed already), each file's CRC-32 follows its
//! bytes in a data descriptor, names are UTF-8, and ZIP64 records appear when sizes, offsets
//! or the entry count need them. Every size is known in advance, so is the archive's length.

use chrono::{DateTime, Datelike, Timelike, Utc};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;
const CENTRAL_HEADER: u32 = 0x0201_4b50;
const ZIP64_END: u32 = 0x0606_4b50;
const ZIP64_LOCATOR: u32 = 0x0706_4b50;
const END: u32 = 0x0605_4b50;
const FLAG_DESCRIPTOR: u16 = 1 << 3;
const FLAG_UTF8: u16 = 1 << 11;
/// Version 4.5: ZIP64. Made by: Unix (3), so the external attributes carry file modes.
const VERSION: u16 = 45;
const MADE_BY: u16 = (3 << 8) | VERSION;
const U32_MAX: u64 = 0xFFFF_FFFF;
/// Extended timestamp extra field (0x5455) with the modification time: 9 bytes.
const TIMESTAMP_EXTRA: usize = 9;

/// One file or folder of the archive; `path` is relative, with `/` between names.
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub dir: bool,
    pub modified: DateTime<Utc>,
}

impl Entry {
    fn name(&self) -> String {
        if self.dir {
            format!("{}/", self.path)
        } else {
            self.path.clone()
        }
    }

    /// A file of 4 GiB or more carries ZIP64 sizes in its local header and descriptor.
    fn big(&self) -> bool {
        self.size >= U32_MAX
    }

    fn flags(&self) -> u16 {
        if self.dir {
            FLAG_UTF8
        } else {
            FLAG_UTF8 | FLAG_DESCRIPTOR
        }
    }

    fn local_len(&self) -> u64 {
        let zip64 = if self.big() { 20 } else { 0 };
        (30 + self.name().len() + TIMESTAMP_EXTRA + zip64) as u64
    }

    fn descriptor_len(&self) -> u64 {
        match (self.dir, self.big()) {
            (true, _) => 0,
            (false, false) => 16,
            (false, true) => 24,
        }
    }
}

/// The layout of an archive: where each entry starts, and the CRCs learnt while streaming.
pub struct Archive {
    entries: Vec<Entry>,
    offsets: Vec<u64>,
    crcs: Vec<u32>,
    directory_offset: u64,
}

impl Archive {
    pub fn new(entries: Vec<Entry>) -> Self {
        let mut offsets = Vec::with_capacity(entries.len());
        let mut at = 0;
        for entry in &entries {
            offsets.push(at);
            at +=
                entry.local_len() + if entry.dir { 0 } else { entry.size } + entry.descriptor_len();
        }
        let crcs = vec![0; entries.len()];
        Self {
            entries,
            offsets,
            crcs,
            directory_offset: at,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The archive's exact length in bytes.
    pub fn byte_len(&self) -> u64 {
        let directory: u64 = (0..self.entries.len()).map(|i| self.central_len(i)).sum();
        let end = if self.needs_zip64_end(directory) {
            56 + 20 + 22
        } else {
            22
        };
        self.directory_offset + directory + end
    }

    pub fn local_header(&self, i: usize) -> Vec<u8> {
        let entry = &self.entries[i];
        let name = entry.name();
        let (time, date) = dos_time(entry.modified);
        let mut out = Vec::with_capacity(entry.local_len() as usize);
        put32(&mut out, LOCAL_HEADER);
        put16(&mut out, VERSION);
        put16(&mut out, entry.flags());
        put16(&mut out, 0); // stored
        put16(&mut out, time);
        put16(&mut out, date);
        put32(&mut out, 0); // CRC-32: in the descriptor
        let sizes = if entry.big() { u32::MAX } else { 0 };
        put32(&mut out, sizes);
        put32(&mut out, sizes);
        put16(&mut out, name.len() as u16);
        put16(
            &mut out,
            (TIMESTAMP_EXTRA + if entry.big() { 20 } else { 0 }) as u16,
        );
        out.extend_from_slice(name.as_bytes());
        timestamp(&mut out, entry.modified);
        if entry.big() {
            put16(&mut out, 0x0001);
            put16(&mut out, 16);
            put64(&mut out, 0);
            put64(&mut out, 0);
        }
        out
    }

    /// The data descriptor that follows file `i`'s bytes; remembers the CRC for the directory.
    pub fn descriptor(&mut self, i: usize, crc: u32) -> Vec<u8> {
        self.crcs[i] = crc;
        let entry = &self.entries[i];
        let mut out = Vec::with_capacity(24);
        put32(&mut out, DESCRIPTOR);
        put32(&mut out, crc);
        if entry.big() {
            put64(&mut out, entry.size);
            put64(&mut out, entry.size);
        } else {
            put32(&mut out, entry.size as u32);
            put32(&mut out, entry.size as u32);
        }
        out
    }

    fn zip64_fields(&self, i: usize) -> Vec<u64> {
        let entry = &self.entries[i];
        let mut fields = Vec::new();
        if entry.size >= U32_MAX {
            fields.extend([entry.size, entry.size]);
        }
        if self.offsets[i] >= U32_MAX {
            fields.push(self.offsets[i]);
        }
        fields
    }

    fn central_len(&self, i: usize) -> u64 {
        let fields = self.zip64_fields(i).len();
        let zip64 = if fields > 0 { 4 + 8 * fields } else { 0 };
        (46 + self.entries[i].name().len() + TIMESTAMP_EXTRA + zip64) as u64
    }

    fn needs_zip64_end(&self, directory_len: u64) -> bool {
        self.entries.len() >= 0xFFFF || self.directory_offset >= U32_MAX || directory_len >= U32_MAX
    }

    /// The central directory and the end records: the archive's last bytes.
    pub fn central_directory(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let name = entry.name();
            let fields = self.zip64_fields(i);
            let (time, date) = dos_time(entry.modified);
            put32(&mut out, CENTRAL_HEADER);
            put16(&mut out, MADE_BY);
            put16(&mut out, VERSION);
            put16(&mut out, entry.flags());
            put16(&mut out, 0);
            put16(&mut out, time);
            put16(&mut out, date);
            put32(&mut out, self.crcs[i]);
            let size = entry.size.min(U32_MAX) as u32;
            put32(&mut out, size);
            put32(&mut out, size);
            put16(&mut out, name.len() as u16);
            let zip64 = if fields.is_empty() {
                0
            } else {
                4 + 8 * fields.len()
            };
            put16(&mut out, (TIMESTAMP_EXTRA + zip64) as u16);
            put16(&mut out, 0); // comment
            put16(&mut out, 0); // disk
            put16(&mut out, 0); // internal attributes
            let mode: u32 = if entry.dir { 0o040_755 } else { 0o100_644 };
            put32(&mut out, (mode << 16) | if entry.dir { 0x10 } else { 0 });
            put32(&mut out, self.offsets[i].min(U32_MAX) as u32);
            out.extend_from_slice(name.as_bytes());
            timestamp(&mut out, entry.modified);
            if !fields.is_empty() {
                put16(&mut out, 0x0001);
                put16(&mut out, (8 * fields.len()) as u16);
                for field in fields {
                    put64(&mut out, field);
                }
            }
        }
        let directory_len = out.len() as u64;
        let count = self.entries.len() as u64;
        if self.needs_zip64_end(directory_len) {
            let zip64_end_at = self.directory_offset + directory_len;
            put32(&mut out, ZIP64_END);
            put64(&mut out, 44);
            put16(&mut out, MADE_BY);
            put16(&mut out, VERSION);
            put32(&mut out, 0);
            put32(&mut out, 0);
            put64(&mut out, count);
            put64(&mut out, count);
            put64(&mut out, directory_len);
            put64(&mut out, self.directory_offset);
            put32(&mut out, ZIP64_LOCATOR);
            put32(&mut out, 0);
            put64(&mut out, zip64_end_at);
            put32(&mut out, 1);
        }
        put32(&mut out, END);
        put16(&mut out, 0);
        put16(&mut out, 0);
        put16(&mut out, count.min(0xFFFF) as u16);
        put16(&mut out, count.min(0xFFFF) as u16);
        put32(&mut out, directory_len.min(U32_MAX) as u32);
        put32(&mut out, self.directory_offset.min(U32_MAX) as u32);
        put16(&mut out, 0);
        out
    }
}

/// MS-DOS time and date (2-second steps, 1980 to 2107), in UTC.
fn dos_time(at: DateTime<Utc>) -> (u16, u16) {
    let year = at.year().clamp(1980, 2107);
    if year != at.year() {
        let (month, day) = if at.year() < 1980 { (1, 1) } else { (12, 31) };
        return (0, (((year - 1980) as u16) << 9) | (month << 5) | day);
    }
    let time = ((at.hour() as u16) << 11) | ((at.minute() as u16) << 5) | (at.second() as u16 / 2);
    let date = (((year - 1980) as u16) << 9) | ((at.month() as u16) << 5) | at.day() as u16;
    (time, date)
}

/// The extended timestamp (0x5455): the modification time as Unix seconds.
fn timestamp(out: &mut Vec<u8>, at: DateTime<Utc>) {
    put16(out, 0x5455);
    put16(out, 5);
    out.push(1);
    put32(out, at.timestamp().clamp(0, u32::MAX as i64) as u32);
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
#[path = "zip_tests.rs"]
mod tests;
