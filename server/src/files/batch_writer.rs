//! Appending a stream's chunks to a file without holding up the stream: chunks are gathered
//! (not copied) until a few MiB are there, then written in one go on a blocking thread while
//! the next ones arrive and are hashed. One write in flight at a time, so the file stays in
//! order and memory stays bounded (two batches at most).

use std::io::{self, Write};

use bytes::Bytes;
use tokio::task::JoinHandle;

/// Bytes gathered before a write starts.
const BATCH: usize = 4 << 20;

pub struct BatchWriter {
    file: Option<std::fs::File>,
    in_flight: Option<JoinHandle<io::Result<std::fs::File>>>,
    pending: Vec<Bytes>,
    pending_len: usize,
}

impl BatchWriter {
    pub fn new(file: std::fs::File) -> Self {
        Self {
            file: Some(file),
            in_flight: None,
            pending: Vec::new(),
            pending_len: 0,
        }
    }

    /// Adds a chunk; may wait for the previous write once a batch is full.
    pub async fn push(&mut self, chunk: Bytes) -> io::Result<()> {
        self.pending_len += chunk.len();
        self.pending.push(chunk);
        if self.pending_len >= BATCH {
            self.start().await?;
        }
        Ok(())
    }

    /// Writes what is left and hands the file back once every byte is written.
    pub async fn finish(mut self) -> io::Result<std::fs::File> {
        self.start().await?;
        self.settle().await?;
        self.file.take().ok_or_else(|| io::Error::other("no file"))
    }

    /// Waits for the write in flight, then starts one of what is pending.
    async fn start(&mut self) -> io::Result<()> {
        self.settle().await?;
        if self.pending.is_empty() {
            return Ok(());
        }
        let mut file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("no file"))?;
        let batch = std::mem::take(&mut self.pending);
        self.pending_len = 0;
        self.in_flight = Some(tokio::task::spawn_blocking(move || {
            for chunk in &batch {
                file.write_all(chunk)?;
            }
            Ok(file)
        }));
        Ok(())
    }

    async fn settle(&mut self) -> io::Result<()> {
        if let Some(write) = self.in_flight.take() {
            self.file = Some(write.await.map_err(io::Error::other)??);
        }
        Ok(())
    }
}
