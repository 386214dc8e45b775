//! What a run tells its person: one line on a terminal (files and bytes to go), or with
//! `--json` one JSON event per line for programs.

use std::{
    io::{IsTerminal, Write},
    sync::atomic::{AtomicUsize, Ordering},
};

use crate::action::Action;

pub struct Progress {
    json: bool,
    terminal: bool,
    total: AtomicUsize,
    done: AtomicUsize,
}

fn kind(action: &Action) -> &'static str {
    match action {
        Action::RenameLocal { .. } => "renamed_here",
        Action::RenameRemote { .. } => "renamed_there",
        Action::MkdirLocal { .. } => "folder_here",
        Action::MkdirRemote { .. } => "folder_there",
        Action::Download { .. } => "downloaded",
        Action::Upload { .. } => "uploaded",
        Action::Conflict { .. } => "conflict",
        Action::Link { .. } => "linked",
        Action::DeleteLocal { .. } => "deleted_here",
        Action::DeleteRemote { .. } => "deleted_there",
        Action::Forget { .. } => "forgotten",
    }
}

impl Progress {
    pub fn new(json: bool) -> Self {
        Self {
            json,
            terminal: !json && std::io::stderr().is_terminal(),
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    pub fn planned(&self, n: usize) {
        self.total.store(n, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    pub fn done(&self, action: &Action) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if self.json {
            let event = serde_json::json!({"event": kind(action), "path": action.path()});
            println!("{event}");
        } else if self.terminal {
            let left = self.total.load(Ordering::Relaxed).saturating_sub(done);
            eprint!("\r\x1b[K{left} to go: {} {}", kind(action), action.path());
            let _ = std::io::stderr().flush();
        }
    }

    /// Something worth saying about one path (a conflict, a file that kept changing).
    pub fn note(&self, what: &str, path: &str) {
        if self.json {
            println!(
                "{}",
                serde_json::json!({"event": "note", "what": what, "path": path})
            );
        } else {
            eprintln!("{path}: {what}");
        }
    }

    pub fn finished(&self, summary: &str) {
        if self.json {
            println!(
                "{}",
                serde_json::json!({"event": "finished", "summary": summary})
            );
        } else {
            if self.terminal {
                eprint!("\r\x1b[K");
            }
            eprintln!("{summary}");
        }
    }
}
