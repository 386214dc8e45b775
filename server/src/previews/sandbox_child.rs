//! The child's side of the sandbox (`gosync sandbox`): it becomes a process group of its own
//! (so the parent can stop every process a converter starts), leaves the network (a network
//! namespace of its own with no interface up, where the system allows one), limits its memory,
//! CPU time, file sizes and core dumps, then runs the converter, whose processes inherit the
//! limits. It waits for it and ends with a last line for the parent: how the converter ended
//! and its peak memory ([`REPORT`]).

use std::{os::unix::process::ExitStatusExt, path::Path};

use nix::{
    sched::CloneFlags,
    sys::resource::{getrusage, UsageWho},
};

/// The start of the sandbox's last line: `gosync-sandbox: exit=N signal=N peak_kb=N`.
pub const REPORT: &str = "gosync-sandbox:";

/// `gosync sandbox`: the probe, or the program under its limits; never returns.
pub fn main(args: &crate::cli::SandboxArgs) -> ! {
    if args.probe {
        let isolated = probe();
        println!("{}", if isolated { "isolated" } else { "open" });
        std::process::exit(0);
    }
    let Some((program, rest)) = args.command.split_first() else {
        eprintln!("the converter was not named");
        std::process::exit(2);
    };
    let jail = Jail {
        memory_bytes: args.memory,
        cpu_secs: args.cpu,
        file_bytes: args.file_size,
        program: Path::new(program),
        args: rest,
    };
    match run(&jail) {
        Ok(status) => {
            let peak_kb = getrusage(UsageWho::RUSAGE_CHILDREN).map_or(0, |u| u.max_rss());
            eprintln!(
                "{REPORT} exit={} signal={} peak_kb={peak_kb}",
                status.code().unwrap_or(-1),
                status.signal().unwrap_or(0),
            );
            std::process::exit(i32::from(!status.success()));
        }
        Err(reason) => {
            eprintln!("{reason}");
            std::process::exit(127);
        }
    }
}

/// What the child is asked to do.
pub struct Jail<'a> {
    pub memory_bytes: u64,
    pub cpu_secs: u64,
    pub file_bytes: u64,
    pub program: &'a Path,
    pub args: &'a [String],
}

/// Sets the limits up, runs the program and waits for it (or says why it could not run).
pub fn run(jail: &Jail) -> Result<std::process::ExitStatus, String> {
    let _ = nix::unistd::setsid();
    // Best effort: where no namespace can be made, the converters' own settings forbid
    // remote loads (the health card tells the administrator which holds).
    let _ = leave_network();
    let limits = [
        (rlimit::Resource::AS, jail.memory_bytes),
        (rlimit::Resource::CPU, jail.cpu_secs),
        (rlimit::Resource::FSIZE, jail.file_bytes),
        (rlimit::Resource::CORE, 0),
    ];
    for (resource, value) in limits {
        if rlimit::setrlimit(resource, value, value).is_err() {
            return Err("the converter's limits could not be set".into());
        }
    }
    std::process::Command::new(jail.program)
        .args(jail.args)
        .status()
        .map_err(|e| format!("the converter could not start: {e}"))
}

/// Moves this process into a network namespace of its own: directly as root, otherwise
/// inside a user namespace of its own (where the kernel allows unprivileged ones), with this
/// user's ids mapped to themselves.
pub fn leave_network() -> Result<(), nix::Error> {
    if nix::sched::unshare(CloneFlags::CLONE_NEWNET).is_ok() {
        return Ok(());
    }
    let uid = nix::unistd::getuid();
    let gid = nix::unistd::getgid();
    nix::sched::unshare(CloneFlags::CLONE_NEWUSER | CloneFlags::CLONE_NEWNET)?;
    let map = |file: &str, text: String| {
        std::fs::write(format!("/proc/self/{file}"), text).map_err(|_| nix::Error::EPERM)
    };
    map("setgroups", "deny".into())?;
    map("uid_map", format!("{uid} {uid} 1"))?;
    map("gid_map", format!("{gid} {gid} 1"))?;
    Ok(())
}

/// Whether this process could leave the network (the probe that `gosync sandbox --probe` runs
/// for the health card): it tries, then tries to reach the loopback address.
pub fn probe() -> bool {
    if leave_network().is_err() {
        return false;
    }
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], 9)),
        std::time::Duration::from_millis(200),
    )
    .is_err_and(|e| e.kind() != std::io::ErrorKind::ConnectionRefused)
}
