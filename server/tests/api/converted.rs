//! The documents, videos, drawings and photos the converter tests upload, made once per run
//! by real tools (make_fixtures.py with python-docx, openpyxl, python-pptx, odfpy and Pillow;
//! ffmpeg; heif-enc), and the traps the hostile ones point at: a listener that must never be
//! reached and a picture on disk that must never be read.

use std::{
    net::TcpListener,
    path::{Path, PathBuf},
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, OnceLock,
    },
    time::SystemTime,
};

pub struct Made {
    pub dir: PathBuf,
    /// Connections the trap listener saw.
    pub reached: Arc<AtomicUsize>,
    pub port: u16,
    /// A picture the hostile files point at; its access time shows whether it was read.
    pub secret: PathBuf,
    secret_atime: SystemTime,
    _keep: tempfile::TempDir,
}

impl Made {
    pub fn bytes(&self, name: &str) -> Vec<u8> {
        let path = self.dir.join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Whether anything read the secret picture since it was made.
    pub fn secret_was_read(&self) -> bool {
        let now = std::fs::metadata(&self.secret).unwrap().accessed().unwrap();
        now != self.secret_atime
    }
}

/// The fixtures, made on first use.
pub fn made() -> &'static Made {
    static MADE: OnceLock<Made> = OnceLock::new();
    MADE.get_or_init(make)
}

fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tools/venv/bin/python");
    assert!(
        venv.exists(),
        "{} is missing: run scripts/setup-test.sh (make test does)",
        venv.display()
    );
    venv
}

fn run(program: &str, args: &[&str]) {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} (scripts/setup-test.sh installs it)"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn make() -> Made {
    let keep = tempfile::tempdir().unwrap();
    let dir = keep.path().join("fixtures");
    // The trap: a listener that counts whoever connects.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let reached = Arc::new(AtomicUsize::new(0));
    let counter = reached.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            if stream.is_ok() {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        }
    });
    let secret = keep.path().join("secret.png");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/previews/make_fixtures.py");
    let python = python();
    run(
        python.to_str().unwrap(),
        &[
            script.to_str().unwrap(),
            dir.to_str().unwrap(),
            &port.to_string(),
            secret.to_str().unwrap(),
        ],
    );
    std::fs::copy(dir.join("words.png"), &secret).unwrap();
    let d = |name: &str| dir.join(name).display().to_string();
    // Videos from ffmpeg's test source: three seconds, 320×240.
    for (name, codec) in [("clip.mp4", "libx264"), ("clip.webm", "libvpx-vp9")] {
        run(
            "ffmpeg",
            &[
                "-v",
                "error",
                "-f",
                "lavfi",
                "-i",
                "testsrc=duration=3:size=320x240:rate=10",
                "-c:v",
                codec,
                "-pix_fmt",
                "yuv420p",
                "-y",
                &d(name),
            ],
        );
    }
    // A phone's photo: the words picture as HEIC.
    run(
        "heif-enc",
        &["-q", "60", "-o", &d("photo.heic"), &d("words.png")],
    );
    // Read nothing from here on: the secret's access time is the witness.
    let old = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let file = std::fs::File::options().write(true).open(&secret).unwrap();
    file.set_times(std::fs::FileTimes::new().set_accessed(old))
        .unwrap();
    let secret_atime = std::fs::metadata(&secret).unwrap().accessed().unwrap();
    Made {
        dir,
        reached,
        port,
        secret,
        secret_atime,
        _keep: keep,
    }
}

/// An SVG drawing with words, that points at the trap listener and the secret picture.
pub fn hostile_svg(made: &Made) -> Vec<u8> {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200">
  <rect width="400" height="200" fill="#1e66f5"/>
  <text x="20" y="110" font-size="48" fill="#ffffff" font-family="DejaVu Sans">Drawing</text>
  <image href="http://127.0.0.1:{port}/picture.png" width="50" height="50"/>
  <image xlink:href="file://{secret}" x="60" width="50" height="50"/>
  <image href="{secret}" x="120" width="50" height="50"/>
  <style>@import url("http://127.0.0.1:{port}/style.css");</style>
</svg>"##,
        port = made.port,
        secret = made.secret.display(),
    )
    .into_bytes()
}
