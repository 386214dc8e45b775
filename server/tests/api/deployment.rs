//! The deployment files say what the server understands: every `GOSYNC_` variable that the
//! Dockerfile, compose.yaml and the README name is a setting, and the README names them all.
//! (No container engine runs here; this is what can be checked without one.)

use std::collections::BTreeSet;

fn named_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("GOSYNC_") {
        let tail = &rest[at..];
        let end = tail
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(tail.len());
        let name = tail[..end].trim_end_matches('_');
        if name.len() > "GOSYNC_".len() {
            names.insert(name.to_owned());
        }
        rest = &tail[end..];
    }
    names
}

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn deployment_files_name_only_real_settings_and_the_readme_names_every_one() {
    let known: BTreeSet<String> = server::config::Settings::known_env_vars()
        .into_iter()
        .collect();
    for file in ["Dockerfile", "compose.yaml", "README.md"] {
        let unknown: Vec<String> = named_in(&read(file))
            .into_iter()
            // The test runner's binary, and the sync client's own (not the server's).
            .filter(|n| !known.contains(n))
            .filter(|n| !["GOSYNC_BIN", "GOSYNC_TOKEN", "GOSYNC_SERVER"].contains(&n.as_str()))
            .collect();
        assert!(
            unknown.is_empty(),
            "{file} names settings that do not exist: {unknown:?}"
        );
    }
    let documented = named_in(&read("README.md"));
    let missing: Vec<&String> = known.iter().filter(|n| !documented.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "the README does not document {missing:?}"
    );
    let compose = read("compose.yaml");
    assert!(compose.contains("DATABASE_URL: postgres://"));
    // compose's balancer and `make cluster`'s (which the tests use) share one set of proxy
    // settings, so what the cluster tests prove holds for the compose deployment too.
    assert!(compose.contains("./deploy/nginx-proxy.conf:/etc/nginx/gosync-proxy.conf"));
    assert!(read("deploy/nginx-compose.conf").contains("include /etc/nginx/gosync-proxy.conf;"));
    assert!(read("scripts/cluster-nginx.conf").contains("include @PROXY_CONF@;"));
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains("USER gosync") && dockerfile.contains("HEALTHCHECK"));
    assert!(
        dockerfile.contains("RUN make build"),
        "built by the Makefile's own commands"
    );
}
