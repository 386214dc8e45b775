//! Converters (LibreOffice, ffmpeg, tesseract, heif-convert, the SVG renderer) run as child
//! processes of `gosync sandbox`, which limits memory, CPU time and file sizes, takes them off
//! the network, and makes them a process group of their own; the parent stops the whole group
//! at the wall-clock timeout and after the converter ends (nothing it started lives on). A
//! failure is a [`Refusal`] that names the limit it met, for the job's reason.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    time::Duration,
};

use nix::{sys::signal::Signal, unistd::Pid};

use super::Refusal;

/// What one conversion may use.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub memory_bytes: u64,
    pub cpu_secs: u64,
    pub wall: Duration,
    /// The largest file the converter may write.
    pub file_bytes: u64,
}

/// What a converter printed, once it ended well, and the most memory it held.
pub struct Output {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub peak_bytes: u64,
}

impl Output {
    /// Whether the converter came near its memory limit (a converter that reports a failure
    /// in words, as LibreOffice does, may have met it).
    pub fn near_memory_limit(&self, limits: &Limits) -> bool {
        self.peak_bytes >= limits.memory_bytes / 10 * 6
    }
}

/// Runs converters through `gosync sandbox`.
#[derive(Debug, Clone)]
pub struct Sandbox {
    /// The `gosync` binary (it has the `sandbox` command).
    pub bin: PathBuf,
}

impl Sandbox {
    /// Runs `program args` in `dir` under `limits`; `what` names the converter for people
    /// ("LibreOffice"). Standard output is kept (at most a few MB), standard error is read
    /// for the reason of a failure.
    pub async fn run(
        &self,
        what: &str,
        program: &Path,
        args: &[String],
        dir: &Path,
        limits: Limits,
    ) -> Result<Output, Refusal> {
        let mut command = tokio::process::Command::new(&self.bin);
        command
            .arg("sandbox")
            .arg("--memory")
            .arg(limits.memory_bytes.to_string())
            .arg("--cpu")
            .arg(limits.cpu_secs.to_string())
            .arg("--file-size")
            .arg(limits.file_bytes.to_string())
            .arg("--")
            .arg(program)
            .args(args)
            .current_dir(dir)
            .env("HOME", dir)
            .env("TMPDIR", dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let child = command.spawn().map_err(|e| {
            tracing::warn!(error = %e, what, "a converter could not start");
            Refusal(format!("{what} could not start"))
        })?;
        let group = child.id().map(|id| Pid::from_raw(id as i32));
        let started = std::time::Instant::now();
        let finished = tokio::time::timeout(limits.wall, child.wait_with_output()).await;
        // Whatever happened, nothing the converter started outlives it.
        if let Some(group) = group {
            let _ = nix::sys::signal::killpg(group, Signal::SIGKILL);
        }
        let done = match finished {
            Err(_) => {
                return Err(Refusal(format!(
                    "{what} took longer than {} s, the time allowed",
                    limits.wall.as_secs_f64().ceil() as u64
                )))
            }
            Ok(done) => done.map_err(|e| {
                tracing::warn!(error = %e, what, "a converter could not be waited for");
                Refusal(format!("{what} could not run"))
            })?,
        };
        let stderr = String::from_utf8_lossy(&done.stderr).into_owned();
        let Some(ended) = Ended::from_report(&stderr) else {
            tracing::warn!(what, said = %stderr.trim(), "a converter did not run");
            return Err(Refusal(format!("{what} could not run")));
        };
        let output = Output {
            stdout: done.stdout,
            peak_bytes: ended.peak_kb * 1024,
            stderr,
        };
        tracing::debug!(
            what,
            secs = started.elapsed().as_secs_f64(),
            peak_mb = ended.peak_kb / 1024,
            exit = ended.exit,
            signal = ended.signal,
            "converter finished"
        );
        if ended.exit == 0 && ended.signal == 0 {
            return Ok(output);
        }
        Err(Refusal(reason(what, &ended, &output, limits)))
    }
}

/// A converter's plain failure ("ffprobe could not read this file") in the caller's words;
/// a limit met keeps its own reason.
pub fn or_unreadable(refusal: Refusal, what: &str, sentence: &str) -> Refusal {
    if refusal.0 == format!("{what} could not read this file") {
        Refusal(sentence.to_owned())
    } else {
        refusal
    }
}

/// How the converter ended, from the sandbox's last line.
struct Ended {
    exit: i32,
    signal: i32,
    peak_kb: u64,
}

impl Ended {
    fn from_report(stderr: &str) -> Option<Self> {
        let line = stderr
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix(super::sandbox_child::REPORT))?;
        let field = |name: &str| {
            line.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        };
        Some(Self {
            exit: field("exit")?.parse().ok()?,
            signal: field("signal")?.parse().ok()?,
            peak_kb: field("peak_kb")?.parse().ok()?,
        })
    }
}

/// Why a converter failed, naming the limit it met when one did.
fn reason(what: &str, ended: &Ended, output: &Output, limits: Limits) -> String {
    let said = output.stderr.to_ascii_lowercase();
    let mb = limits.memory_bytes >> 20;
    let memory = output.near_memory_limit(&limits)
        || [
            "bad_alloc",
            "out of memory",
            "cannot allocate memory",
            "failed to allocate",
        ]
        .iter()
        .any(|s| said.contains(s));
    match ended.signal {
        s if s == Signal::SIGXCPU as i32 => {
            format!(
                "{what} used more than {} s of CPU time, the most allowed",
                limits.cpu_secs
            )
        }
        s if s == Signal::SIGXFSZ as i32 => format!(
            "{what} wrote more than {} MB, the most allowed",
            limits.file_bytes >> 20
        ),
        _ if memory => format!("{what} needed more than {mb} MB of memory, the most allowed"),
        0 => format!("{what} could not read this file"),
        _ => format!("{what} crashed on this file"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits {
        memory_bytes: 1 << 30,
        cpu_secs: 5,
        wall: Duration::from_secs(5),
        file_bytes: 1 << 20,
    };

    fn output(stderr: &str, peak_kb: u64) -> Output {
        Output {
            stdout: Vec::new(),
            stderr: stderr.to_owned(),
            peak_bytes: peak_kb * 1024,
        }
    }

    #[test]
    fn the_sandbox_report_is_read_from_the_last_line() {
        let said = "warning: something\ngosync-sandbox: exit=3 signal=0 peak_kb=2048\n";
        let ended = Ended::from_report(said).unwrap();
        assert_eq!((ended.exit, ended.signal, ended.peak_kb), (3, 0, 2048));
        assert!(Ended::from_report("the converter could not start").is_none());
    }

    #[test]
    fn a_failure_names_the_limit_it_met() {
        let ended = |signal, peak_kb| Ended {
            exit: -1,
            signal,
            peak_kb,
        };
        let cpu = reason(
            "ffmpeg",
            &ended(Signal::SIGXCPU as i32, 10),
            &output("", 10),
            LIMITS,
        );
        assert!(cpu.contains("more than 5 s of CPU time"), "{cpu}");
        let size = reason(
            "ffmpeg",
            &ended(Signal::SIGXFSZ as i32, 10),
            &output("", 10),
            LIMITS,
        );
        assert!(size.contains("wrote more than 1 MB"), "{size}");
        let big = reason(
            "LibreOffice",
            &ended(Signal::SIGABRT as i32, 900_000),
            &output("", 900_000),
            LIMITS,
        );
        assert!(big.contains("more than 1024 MB of memory"), "{big}");
        let said = output(
            "terminate called after throwing an instance of 'std::bad_alloc'",
            10,
        );
        let alloc = reason(
            "tesseract",
            &ended(Signal::SIGABRT as i32, 10),
            &said,
            LIMITS,
        );
        assert!(alloc.contains("memory"), "{alloc}");
        let crash = reason(
            "tesseract",
            &ended(Signal::SIGSEGV as i32, 10),
            &output("", 10),
            LIMITS,
        );
        assert_eq!(crash, "tesseract crashed on this file");
        let plain = reason(
            "ffprobe",
            &Ended {
                exit: 1,
                signal: 0,
                peak_kb: 10,
            },
            &output("", 10),
            LIMITS,
        );
        assert_eq!(plain, "ffprobe could not read this file");
    }
}
