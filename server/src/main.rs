//! `gosync`: parse the command line, load the configuration, hand over to startup.

use clap::Parser;
use server::{
    cli::{AdminCommand, Cli, Command},
    config::{self, Settings},
    startup::Application,
    telemetry,
};

/// The workers' child commands run without an async runtime: a process that starts threads
/// cannot enter a user namespace of its own (the sandbox needs one when not root), and a
/// child has no use for them.
fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if matches!(
        cli.command,
        Command::RenderPdf(_) | Command::Sandbox(_) | Command::RenderSvg(_)
    ) {
        // A worker's child: background work, behind requests for the CPU.
        server::background::lower_this_thread();
    }
    if let Command::RenderPdf(job) = &cli.command {
        // The child of a worker: no configuration, no logs, one line on failure.
        use server::previews::pdf_child::{self, Task};
        let task = match job.text_limit {
            Some(limit) => Task::Text { limit },
            None => Task::Render {
                page: job.page,
                size: job.size,
            },
        };
        let rendered = pdf_child::run(&job.library, &job.input, &job.output, task);
        if let Err(reason) = rendered {
            eprintln!("{reason}");
            std::process::exit(2);
        }
        return Ok(());
    }
    if let Command::Sandbox(args) = &cli.command {
        server::previews::sandbox_child::main(args);
    }
    if let Command::RenderSvg(job) = &cli.command {
        if let Err(reason) = server::previews::svg_child::run(&job.input, &job.output, job.size) {
            eprintln!("{reason}");
            std::process::exit(2);
        }
        return Ok(());
    }
    if matches!(cli.command, Command::Serve { .. } | Command::Worker) {
        with_few_malloc_arenas();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cli.command {
        // The sync client: a program on someone's computer, not the server's configuration.
        Command::Sync(args) => runtime.block_on(server::client::sync(args)),
        Command::Login(args) => runtime.block_on(server::client::login(args)),
        _ => runtime.block_on(run(cli)),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(dir) = cli.data_dir.clone() {
        settings.data_dir = dir;
    }
    telemetry::init(&settings.log_format);
    for name in config::unknown_env_vars(std::env::vars().map(|(k, _)| k)) {
        tracing::warn!(variable = %name, "unknown GOSYNC_ environment variable is ignored (typo?)");
    }
    match cli.command {
        Command::Serve { addr } => {
            if let Some(addr) = addr {
                settings.addr = addr;
            }
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Worker => server::jobs::worker::run_standalone(settings).await,
        Command::RenderPdf(_)
        | Command::RenderSvg(_)
        | Command::Sandbox(_)
        | Command::Sync(_)
        | Command::Login(_) => Ok(()),
        Command::Migrate => {
            let db = server::db::connect(&settings).await?;
            server::db::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::Reindex => server::search::service::reindex(&settings).await,
        Command::Admin(AdminCommand::CreateUser(args)) => {
            server::admin::create_user(&settings, args).await
        }
    }
}

/// glibc gives each thread that allocates an arena of its own (up to 8 per core), and each
/// arena keeps what its thread freed: under a load of small uploads that was 100 MiB of a
/// server's memory on PostgreSQL and 270 MiB on SQLite (one thread per connection). Two
/// arenas held the same load in 56 and 66 MiB. And glibc hands memory freed at the top of a
/// heap back only past a threshold that grows with the largest block freed (up to 64 MiB):
/// fixed at 1 MiB, the same load leaves 18 MiB (PostgreSQL) and 37 MiB (SQLite) at no
/// measured cost (at 128 KiB it cost 5–13% of the uploads per second). glibc reads these
/// settings only as a process starts, so a server starts itself once more with them (same
/// process, same id; a `MALLOC_ARENA_MAX` already set means the allocator is tuned
/// elsewhere, and nothing is changed).
fn with_few_malloc_arenas() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    let Ok(program) = std::env::current_exe() else {
        return;
    };
    let mut again = std::process::Command::new(program);
    again
        .args(std::env::args_os().skip(1))
        .env("MALLOC_ARENA_MAX", "2");
    if std::env::var_os("MALLOC_TRIM_THRESHOLD_").is_none() {
        again.env("MALLOC_TRIM_THRESHOLD_", "1048576");
    }
    // Returns only when the program could not be started again: it runs on as it is.
    let _ = again.exec();
}
