//! The `gosync` command line (API.md: Commands).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "gosync",
    version,
    about = "GoSync: self-hosted file storage and sharing"
)]
pub struct Cli {
    /// Configuration file (default: ./gosync.toml when it exists).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Data directory (SQLite database and blobs).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API.
    Serve {
        /// Address to listen on.
        #[arg(long)]
        addr: Option<SocketAddr>,
    },
    /// Run preview jobs only (for extra machines; `serve` runs its own workers too).
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Render one PDF page to PNG or write a PDF's text (the workers' isolated child process).
    #[command(hide = true)]
    RenderPdf(RenderPdf),
    /// Render an SVG drawing to PNG (run by the workers in the sandbox).
    #[command(hide = true)]
    RenderSvg(RenderSvg),
    /// Run a converter under limits, off the network (the workers' child process).
    #[command(hide = true)]
    Sandbox(SandboxArgs),
    /// Rebuild this server's search index from the database (stop the server first).
    Reindex,
    /// Administrative tasks.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Keep a folder on this computer in step with a folder of your drive.
    Sync(SyncArgs),
    /// Sign in to a GoSync server and keep a token for `gosync sync` (readable by you only).
    Login(LoginArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The folder on this computer.
    pub local_dir: PathBuf,
    /// The server's address, e.g. https://files.example.com.
    #[arg(long, env = "GOSYNC_SERVER")]
    pub server: String,
    /// The folder of your drive to keep in step (default: all of it).
    #[arg(long, default_value = "")]
    pub folder: String,
    /// Sync once and exit (for scripts); otherwise keep watching both sides.
    #[arg(long)]
    pub once: bool,
    /// One JSON event per line instead of the progress line.
    #[arg(long)]
    pub json: bool,
    /// Carry out a run that deletes more than half of the synced files (and more than 20).
    #[arg(long)]
    pub allow_mass_delete: bool,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    #[arg(long, env = "GOSYNC_SERVER")]
    pub server: String,
    /// Your account's email (asked for when missing).
    #[arg(long)]
    pub email: Option<String>,
}

#[derive(Debug, Args)]
pub struct RenderPdf {
    #[arg(long)]
    pub library: PathBuf,
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long)]
    pub output: PathBuf,
    #[arg(long, default_value_t = 1)]
    pub page: u32,
    #[arg(long, default_value_t = 1024)]
    pub size: u32,
    /// Write the text of every page (at most this many bytes) instead of rendering.
    #[arg(long)]
    pub text_limit: Option<usize>,
}

#[derive(Debug, Args)]
pub struct RenderSvg {
    #[arg(long)]
    pub input: PathBuf,
    #[arg(long)]
    pub output: PathBuf,
    #[arg(long, default_value_t = 1024)]
    pub size: u32,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Say whether a child can be taken off the network here, and exit.
    #[arg(long)]
    pub probe: bool,
    /// Address space, in bytes.
    #[arg(long, default_value_t = 2 << 30)]
    pub memory: u64,
    /// CPU time, in seconds.
    #[arg(long, default_value_t = 60)]
    pub cpu: u64,
    /// The largest file the program may write, in bytes.
    #[arg(long, default_value_t = 1 << 30)]
    pub file_size: u64,
    /// The program and its arguments.
    #[arg(last = true)]
    pub command: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a user; the password is read from standard input.
    CreateUser(CreateUser),
}

#[derive(Debug, Args)]
pub struct CreateUser {
    #[arg(long)]
    pub email: String,
    /// Display name (default: the part of the email before @).
    #[arg(long)]
    pub name: Option<String>,
    /// Read the password from standard input (required).
    #[arg(long, required = true)]
    pub password_stdin: bool,
    #[arg(long)]
    pub admin: bool,
    /// Storage quota, e.g. 10GiB, 500MB, 1048576.
    #[arg(long, value_parser = parse_size)]
    pub quota: Option<u64>,
}

/// Sizes like `10GiB` (the same rules as the admin page's quota field).
pub use app::drive::format::parse_size;
