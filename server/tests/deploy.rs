//! No Docker engine runs in CI, so these read `Dockerfile`, `compose.yaml`, `.env.example` and
//! README.md and check them against the code: every variable they set is one the server reads,
//! every documented variable exists, ports agree, and every path copied into the image exists.

use server::config::Config;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(file: &str) -> String {
    std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn known_env() -> BTreeSet<String> {
    Config::env_names().into_iter().collect()
}

/// `ENV A=1 \ B=2` instructions of a Dockerfile, joined across continuation lines.
fn dockerfile_env(dockerfile: &str) -> Vec<(String, String)> {
    let joined = dockerfile.replace("\\\n", " ");
    joined
        .lines()
        .filter_map(|l| l.trim().strip_prefix("ENV "))
        .flat_map(|rest| {
            rest.split_whitespace()
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn port_of(addr: &str) -> u16 {
    addr.rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {addr}"))
}

#[test]
fn dockerfile_sets_only_variables_the_server_reads_and_exposes_its_port() {
    let dockerfile = read("Dockerfile");
    let env = dockerfile_env(&dockerfile);
    assert!(!env.is_empty());
    let known = known_env();
    for (name, _) in &env {
        assert!(
            known.contains(name),
            "Dockerfile sets {name}, which the server does not read"
        );
    }
    let addr = &env
        .iter()
        .find(|(k, _)| k == "LEPTOS_SITE_ADDR")
        .expect("LEPTOS_SITE_ADDR")
        .1;
    let exposed: u16 = dockerfile
        .lines()
        .find_map(|l| l.trim().strip_prefix("EXPOSE "))
        .and_then(|p| p.trim().parse().ok())
        .expect("EXPOSE");
    assert_eq!(port_of(addr), exposed);
    // THEME names a folder under themes/, which the image copies to /app/themes beside its
    // working directory /app.
    let theme = &env.iter().find(|(k, _)| k == "THEME").expect("THEME").1;
    assert!(
        root()
            .join("themes")
            .join(theme)
            .join("theme.toml")
            .is_file(),
        "{theme}"
    );
    assert!(dockerfile.contains("COPY themes /app/themes"));
    assert!(dockerfile.contains("WORKDIR /app"));
}

#[test]
fn dockerfile_copies_paths_that_exist_and_runs_as_non_root() {
    let dockerfile = read("Dockerfile");
    let env = dockerfile_env(&dockerfile);
    let env_value = |name: &str| {
        env.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("Dockerfile sets no {name}"))
    };
    let mut copied_to = Vec::new();
    for line in dockerfile.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("COPY ") else {
            continue;
        };
        let parts: Vec<&str> = rest.split_whitespace().collect();
        let dest = parts[parts.len() - 1];
        copied_to.push(dest.to_string());
        if let Some(from_build) = rest.strip_prefix("--from=build ") {
            // What the runtime stage takes from the build stage is what cargo-leptos makes.
            let src = from_build.split_whitespace().next().expect("source");
            assert!(
                src == "/src/target/release/iot-rocket"
                    || src == "/src/target/site"
                    || src == "/src/target/release/iot-rocket-datagen",
                "COPY --from=build {src}: not a cargo-leptos or cargo output"
            );
            continue;
        }
        for src in &parts[..parts.len() - 1] {
            assert!(
                *src == "." || root().join(src).exists(),
                "COPY {src}: no such path"
            );
        }
    }
    // cargo-leptos puts the site where Cargo.toml says, and the server reads it from LEPTOS_SITE_ROOT.
    assert!(read("Cargo.toml").contains("site-root = \"target/site\""));
    assert!(
        copied_to.contains(&env_value("LEPTOS_SITE_ROOT")),
        "site not copied to LEPTOS_SITE_ROOT"
    );
    // The data directory is the volume, and the non-root user may write it.
    let data_dir = env_value("DATA_DIR");
    assert!(
        dockerfile.contains(&format!("VOLUME [\"{data_dir}\"]")),
        "DATA_DIR {data_dir} is not the volume"
    );
    assert!(
        dockerfile.contains(&format!("chown iotrocket {data_dir}")),
        "DATA_DIR not owned by the app user"
    );
    let user = dockerfile
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("USER "))
        .expect("USER");
    assert!(
        !["root", "0", "0:0"].contains(&user.trim()),
        "runs as {user}"
    );
    assert!(dockerfile.contains("cargo leptos build --release"));
    // The binaries the runtime stage copies are the ones Cargo builds.
    assert!(read("server/Cargo.toml").contains("name = \"iot-rocket\""));
    assert!(dockerfile.contains("cargo build --release --locked -p datagen"));
    assert!(read("datagen/Cargo.toml").contains("name = \"iot-rocket-datagen\""));
}

#[test]
fn compose_datagen_is_the_apps_data_source_with_one_token_and_no_default() {
    let compose: serde_yaml::Value =
        serde_yaml::from_str(&read("compose.yaml")).expect("compose.yaml");
    let services = &compose["services"];
    let datagen = &services["datagen"];
    let env = datagen["environment"]
        .as_mapping()
        .expect("datagen environment");
    let known: BTreeSet<String> = datagen::Args::env_names()
        .into_iter()
        .chain(["RUST_LOG".into()])
        .collect();
    for key in env.keys() {
        let key = key.as_str().expect("string key");
        assert!(
            known.contains(key),
            "compose sets {key}, which the datagen does not read"
        );
    }
    let entrypoint = datagen["entrypoint"][0]
        .as_str()
        .expect("datagen entrypoint");
    assert!(read("Dockerfile").contains(&format!(
        "COPY --from=build /src/target/release/iot-rocket-datagen {entrypoint}"
    )));
    let addr = env[&serde_yaml::Value::from("DATAGEN_ADDR")]
        .as_str()
        .expect("DATAGEN_ADDR");
    let app_env = &services["app"]["environment"];
    let url = app_env["DATA_SOURCE_URL"]
        .as_str()
        .expect("DATA_SOURCE_URL");
    assert_eq!(url, format!("http://datagen:{}/graphql", port_of(addr)));
    // One token for both, and no default a deployment could forget to change.
    let token = env[&serde_yaml::Value::from("DATAGEN_TOKEN")]
        .as_str()
        .expect("token");
    assert_eq!(app_env["DATA_SOURCE_TOKEN"].as_str(), Some(token));
    assert!(
        token.starts_with("${DATAGEN_TOKEN:?"),
        "{token}: must be required, not defaulted"
    );
}

#[test]
fn compose_app_uses_known_variables_and_matching_ports_and_database() {
    let compose: serde_yaml::Value =
        serde_yaml::from_str(&read("compose.yaml")).expect("compose.yaml");
    let services = &compose["services"];
    let app = &services["app"];
    let env = app["environment"].as_mapping().expect("app environment");
    let known = known_env();
    for key in env.keys() {
        let key = key.as_str().expect("string key");
        assert!(
            known.contains(key),
            "compose sets {key}, which the server does not read"
        );
    }
    let addr = env[&serde_yaml::Value::from("LEPTOS_SITE_ADDR")]
        .as_str()
        .expect("addr");
    let ports: Vec<&str> = app["ports"]
        .as_sequence()
        .expect("ports")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    assert!(
        ports
            .iter()
            .any(|p| p.rsplit(':').next() == Some(&port_of(addr).to_string())),
        "{ports:?} do not publish {addr}"
    );
    // DATABASE_URL names the postgres service with its own user and database.
    let url = env[&serde_yaml::Value::from("DATABASE_URL")]
        .as_str()
        .expect("DATABASE_URL");
    let pg = &services["postgres"]["environment"];
    let user = pg["POSTGRES_USER"].as_str().expect("user");
    let db = pg["POSTGRES_DB"].as_str().expect("db");
    assert!(url.starts_with(&format!("postgres://{user}:")), "{url}");
    assert!(url.ends_with(&format!("@postgres:5432/{db}")), "{url}");
    assert_eq!(
        backend::Engine::from_url(url).ok(),
        Some(backend::Engine::Postgres)
    );
}

#[test]
fn readme_and_env_example_document_every_variable() {
    let readme = read("README.md");
    let example = read(".env.example");
    for name in known_env() {
        assert!(
            readme.contains(&format!("`{name}`")),
            "README.md does not document {name}"
        );
        assert!(
            example
                .lines()
                .any(|l| l.trim_start_matches("# ").starts_with(&format!("{name}="))),
            ".env.example does not list {name}"
        );
    }
}

#[test]
fn readme_starts_with_the_two_commands_that_ci_runs() {
    let readme = read("README.md");
    let head: String = readme.lines().take(20).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("bash scripts/run.sh"),
        "run command near the top"
    );
    assert!(
        head.contains("bash scripts/test.sh"),
        "test command near the top"
    );
    let ci = read(".ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "bash scripts/test.sh"),
        ".ci/run runs README's test command"
    );
}

#[test]
fn compose_mounts_the_themes_where_the_image_keeps_them_and_picks_one_that_exists() {
    let compose: serde_yaml::Value =
        serde_yaml::from_str(&read("compose.yaml")).expect("compose.yaml");
    let app = &compose["services"]["app"];
    let volumes: Vec<&str> = app["volumes"]
        .as_sequence()
        .expect("volumes")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    // The Dockerfile copies themes/ to /app/themes and works in /app, where THEME names look.
    assert!(volumes.contains(&"./themes:/app/themes:ro"), "{volumes:?}");
    assert!(read("Dockerfile").contains("COPY themes /app/themes"));
    let theme = app["environment"]["THEME"].as_str().expect("THEME");
    let default = theme
        .strip_prefix("${THEME:-")
        .and_then(|t| t.strip_suffix('}'))
        .unwrap_or(theme);
    assert!(
        root()
            .join("themes")
            .join(default)
            .join("theme.toml")
            .is_file(),
        "{theme}"
    );
}
