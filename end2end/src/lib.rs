//! The end-to-end harness: starts the release `iot-rocket` binary on a fresh data directory and
//! Debian's chromedriver, then runs each spec in headless Chromium twice, with JavaScript off
//! (the server-rendered page) and on (the hydrated page). A failing spec leaves a screenshot and
//! the page HTML in `<target>/e2e-failures/`.
//!
//! Paths come from the environment (set by `scripts/test.sh`): `IOTR_SERVER_BIN`,
//! `LEPTOS_SITE_ROOT`, `CHROMIUM` (default `/usr/bin/chromium`), `CHROMEDRIVER`.

use anyhow::{bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Map, Value};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

mod browser;
pub use browser::{console_errors, css_hex, set_color_scheme, set_time_zone, wait_image_drawn};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("workspace root")
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A free port on loopback.
fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

/// Collected output lines of a child process, with a signal for each new line.
#[derive(Default)]
pub struct LogBook {
    lines: std::sync::Mutex<Vec<String>>,
    changed: tokio::sync::Notify,
}

impl LogBook {
    fn push(&self, line: String) {
        self.lines.lock().expect("lines").push(line);
        self.changed.notify_waiters();
    }

    pub fn snapshot(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }
}

pub type Lines = std::sync::Arc<LogBook>;

/// Reads a child's output (stderr when piped, else stdout) into `Lines` until it closes, and
/// waits until a line contains `needle` (at most `limit`).
async fn wait_for_line(child: &mut Child, needle: &str, limit: Duration) -> Result<Lines> {
    let stdout: Box<dyn tokio::io::AsyncRead + Unpin + Send> = match child.stderr.take() {
        Some(stderr) => Box::new(stderr),
        None => Box::new(child.stdout.take().context("child output")?),
    };
    let lines: Lines = Default::default();
    let (found_tx, found_rx) = tokio::sync::oneshot::channel::<()>();
    let collected = lines.clone();
    let needle_owned = needle.to_string();
    tokio::spawn(async move {
        let mut reader = BufReader::new(stdout).lines();
        let mut found_tx = Some(found_tx);
        while let Ok(Some(line)) = reader.next_line().await {
            let hit = line.contains(&needle_owned);
            collected.push(line);
            if hit {
                if let Some(tx) = found_tx.take() {
                    tx.send(()).ok();
                }
            }
        }
    });
    match tokio::time::timeout(limit, found_rx).await {
        Ok(Ok(())) => Ok(lines),
        Ok(Err(_)) => bail!(
            "process exited before printing {needle:?}; it printed:\n{}",
            lines.snapshot().join("\n")
        ),
        Err(_) => bail!("no {needle:?} within {limit:?}"),
    }
}

/// The path of the release binary under test.
pub fn server_bin() -> PathBuf {
    std::env::var_os("IOTR_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release/iot-rocket"))
}

/// The path of the release `iot-rocket-datagen` (the demo data source).
pub fn datagen_bin() -> PathBuf {
    std::env::var_os("IOTR_DATAGEN_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("release/iot-rocket-datagen"))
}

/// A real `iot-rocket-datagen` process on a port of its own.
pub struct Datagen {
    pub port: u16,
    pub token: String,
    devices: u32,
    child: Option<Child>,
}

impl Datagen {
    /// Starts a datagen with a fleet of `devices`.
    pub async fn start(devices: u32) -> Result<Self> {
        let mut datagen = Datagen {
            port: free_port()?,
            token: format!("e2e-{}", uuid::Uuid::new_v4().simple()),
            devices,
            child: None,
        };
        datagen.restart().await?;
        Ok(datagen)
    }

    /// Starts it again on the same port, with the same token and fleet.
    pub async fn restart(&mut self) -> Result<()> {
        let bin = datagen_bin();
        if !bin.is_file() {
            bail!(
                "{} is missing: run `cargo build --release -p datagen` first",
                bin.display()
            );
        }
        let mut child = Command::new(&bin)
            .env("DATAGEN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("DATAGEN_TOKEN", &self.token)
            .env("DATAGEN_DEVICES", self.devices.to_string())
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let stdout = child.stdout.take().context("datagen stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let waited = tokio::time::timeout(Duration::from_secs(20), async {
            while let Some(line) = lines.next_line().await? {
                if line.contains("datagen listening") {
                    return Ok::<_, std::io::Error>(true);
                }
            }
            Ok(false)
        })
        .await;
        if !matches!(waited, Ok(Ok(true))) {
            bail!("datagen did not start on port {}", self.port);
        }
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.child = Some(child);
        Ok(())
    }

    /// Kills the process (SIGKILL), as an outage would.
    pub async fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.ok();
        }
    }

    /// The environment that points a server at this datagen.
    pub fn server_env(&self) -> [(&'static str, String); 2] {
        [
            (
                "DATA_SOURCE_URL",
                format!("http://127.0.0.1:{}/graphql", self.port),
            ),
            ("DATA_SOURCE_TOKEN", self.token.clone()),
        ]
    }
}

/// A command for the server binary with a fresh data directory and the shipped theme.
pub fn server_command(data_dir: &Path) -> Command {
    let mut cmd = Command::new(server_bin());
    cmd.current_dir(workspace_root())
        .env("DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("THEME", workspace_root().join("themes/default"))
        .env("LOG_FORMAT", "json")
        // No data source unless a test starts one.
        .env("DATA_SOURCE_URL", "")
        .kill_on_drop(true);
    cmd
}

pub fn scratch_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The release server on a fresh data directory.
pub struct Server {
    pub base: String,
    pub data_dir: PathBuf,
    child: Child,
    logs: Lines,
}

impl Server {
    pub async fn start() -> Result<Self> {
        Self::start_with(|_| {}).await
    }

    /// Starts the server after `configure` has adjusted its command (environment, flags).
    pub async fn start_with(configure: impl FnOnce(&mut Command)) -> Result<Self> {
        let bin = server_bin();
        let site_root = std::env::var_os("LEPTOS_SITE_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace_root().join("target/site"));
        if !bin.is_file() {
            bail!(
                "{} is missing: run `cargo leptos build --release` first",
                bin.display()
            );
        }
        if !site_root.join("pkg").is_dir() {
            bail!(
                "{} has no pkg/: run `cargo leptos build --release` first",
                site_root.display()
            );
        }
        let data_dir = scratch_dir("iotr-e2e");
        let port = free_port()?;
        let mut cmd = server_command(&data_dir);
        cmd.env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", &site_root)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        configure(&mut cmd);
        let mut child = cmd
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let logs = wait_for_line(&mut child, "listening on", Duration::from_secs(30)).await?;
        Ok(Self {
            base: format!("http://127.0.0.1:{port}"),
            data_dir,
            child,
            logs,
        })
    }

    /// What the server has logged (stderr) so far, one JSON object a line.
    pub fn logs(&self) -> Vec<String> {
        self.logs.snapshot()
    }

    /// Waits (at most `limit`) for a log line that `matches`, and returns it.
    pub async fn wait_log(
        &self,
        limit: Duration,
        matches: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let found = tokio::time::timeout(limit, async {
            loop {
                let changed = self.logs.changed.notified();
                if let Some(line) = self.logs.snapshot().into_iter().find(|l| matches(l)) {
                    return line;
                }
                changed.await;
            }
        })
        .await;
        found.map_err(|_| anyhow::anyhow!("no such log line within {limit:?}: {:#?}", self.logs()))
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or_default()
    }

    /// Waits for the process to exit (at most `limit`) and returns whether it exited cleanly.
    pub async fn wait_exit(&mut self, limit: Duration) -> Result<bool> {
        let status = tokio::time::timeout(limit, self.child.wait())
            .await
            .context("the server did not exit in time")??;
        Ok(status.success())
    }

    /// A plain HTTP/1.1 GET; returns the status code and the body.
    pub async fn get(&self, path: &str) -> Result<(u16, String)> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let addr = self.base.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut response = String::new();
        stream.read_to_string(&mut response).await?;
        let status = response
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("no status line")?;
        let body = response
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        Ok((status, body))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A pool on the control database the server uses.
    pub async fn control_db(&self) -> Result<backend::Db> {
        let url = backend::db::sqlite_url(&self.data_dir.join("control.db"));
        Ok(backend::Db::connect(&url, &Default::default()).await?)
    }

    /// Adds a workspace to the control plane the server uses (once: specs run twice).
    pub async fn add_workspace(&self, slug: &str, name: &str, status: &str) -> Result<()> {
        let db = self.control_db().await?;
        backend::testing::seed_workspace(&db, slug, name, status).await;
        db.close().await;
        Ok(())
    }

    /// Records that `email` belongs to the workspace added at `slug`.
    pub async fn add_member_email(&self, slug: &str, email: &str) -> Result<()> {
        let db = self.control_db().await?;
        backend::testing::seed_workspace_email(&db, slug, email).await;
        db.close().await;
        Ok(())
    }

    /// Waits (at most 10 s) for a mail to `to` in the outbox and returns it. Mails are written
    /// by a background task that signals nothing, so the folder is looked at every 50 ms.
    pub async fn wait_for_mail(&self, to: &str) -> Result<String> {
        const POLL: Duration = Duration::from_millis(50);
        let outbox = self.data_dir.join("outbox");
        for _ in 0..200 {
            for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
                let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                if text.contains(&format!("To: {to}")) {
                    return Ok(text);
                }
            }
            tokio::time::sleep(POLL).await;
        }
        bail!("no mail to {to} in {}", outbox.display())
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        std::fs::remove_dir_all(&self.data_dir).ok();
    }
}

/// Debian's chromedriver on a free port.
pub struct Driver {
    pub url: String,
    _child: Child,
    /// Browser profiles of this driver's sessions, removed with it.
    profiles: PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.profiles).ok();
    }
}

impl Driver {
    pub async fn start() -> Result<Self> {
        let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port()?;
        let mut child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {bin} (apt-get install chromium-driver)"))?;
        wait_for_line(&mut child, "started successfully", Duration::from_secs(30)).await?;
        Ok(Self {
            url: format!("http://127.0.0.1:{port}"),
            _child: child,
            profiles: scratch_dir("iotr-chromium"),
        })
    }

    /// A new headless Chromium session, with page JavaScript on or off.
    pub async fn browser(&self, javascript: bool) -> Result<Client> {
        let profile =
            std::env::temp_dir().join(format!("iotr-chromium-{}", uuid::Uuid::new_v4().simple()));
        let mut options = json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut caps = Map::new();
        caps.insert("browserName".into(), Value::from("chrome"));
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        caps.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .context("open a Chromium session")?;
        Ok(client)
    }
}

/// What a spec gets: the browser, the server, and whether page JavaScript runs.
pub struct Ctx<'a> {
    pub browser: &'a Client,
    pub server: &'a Server,
    pub javascript: bool,
}

impl Ctx<'_> {
    /// Opens `path` and, with JavaScript on, waits until the page has hydrated.
    pub async fn open(&self, path: &str) -> Result<()> {
        self.browser.goto(&self.server.url(path)).await?;
        self.wait_hydrated().await
    }

    pub async fn wait_hydrated(&self) -> Result<()> {
        if self.javascript {
            self.browser
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css("html[data-hydrated='true']"))
                .await
                .context("the page did not hydrate")?;
        }
        Ok(())
    }

    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self
            .browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .with_context(|| format!("no element {css}"))?
            .text()
            .await?)
    }

    /// Waits until the element matched by the XPath `element` has text containing `needle`
    /// (which must not hold an apostrophe), and returns that text.
    pub async fn wait_text(&self, element: &str, needle: &str) -> Result<String> {
        let xpath = format!("{element}[contains(normalize-space(.), '{needle}')]");
        let found = self
            .browser
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::XPath(&xpath))
            .await;
        match found {
            Ok(el) => Ok(el.text().await?),
            Err(_) => {
                let actual = match self.browser.find(Locator::XPath(element)).await {
                    Ok(el) => el.text().await.unwrap_or_default(),
                    Err(_) => "(no such element)".into(),
                };
                bail!("{element} never contained {needle:?}; it shows {actual:?}")
            }
        }
    }

    /// Creates a workspace at `slug` on the landing page, owned by Olive Owner (`owner_email`,
    /// `password`), and waits on its home page, signed in.
    pub async fn create_workspace(
        &self,
        slug: &str,
        name: &str,
        owner_email: &str,
        password: &str,
    ) -> Result<()> {
        self.open("/").await?;
        self.fill("create-name", name).await?;
        self.fill("create-slug", slug).await?;
        self.fill("create-owner-name", "Olive Owner").await?;
        self.fill("create-owner-email", owner_email).await?;
        self.fill("create-owner-password", password).await?;
        self.submit("create-name").await?;
        self.wait_path(&format!("/w/{slug}/")).await?;
        self.wait_hydrated().await
    }

    /// [`Self::create_workspace`], then [`Self::register_all_devices`]: a workspace whose
    /// starter dashboard shows the data source's fleet.
    pub async fn fleet_workspace(
        &self,
        slug: &str,
        name: &str,
        owner_email: &str,
        password: &str,
    ) -> Result<()> {
        self.create_workspace(slug, name, owner_email, password)
            .await?;
        self.register_all_devices(slug).await
    }

    /// Opens the workspace's dashboards and waits for its starter dashboard, "Overview".
    pub async fn open_dashboards(&self, slug: &str) -> Result<()> {
        self.open(&format!("/w/{slug}/dashboards")).await?;
        self.wait_text("//h1[@id='dashboard-name']", "Overview")
            .await
            .map(|_| ())
    }

    /// Registers every device the workspace's source offers (Devices, then Discover) and waits
    /// for the device list.
    pub async fn register_all_devices(&self, slug: &str) -> Result<()> {
        self.open(&format!("/w/{slug}/devices/discover")).await?;
        self.browser
            .find(Locator::Id("register-all"))
            .await?
            .click()
            .await?;
        self.wait_path(&format!("/w/{slug}/devices")).await
    }

    /// Types `text` into the input with this id, replacing what it held.
    pub async fn fill(&self, id: &str, text: &str) -> Result<()> {
        let input = self.browser.find(Locator::Id(id)).await?;
        input.clear().await?;
        input.send_keys(text).await?;
        Ok(())
    }

    /// Presses the submit button of the form holding the element with this id.
    pub async fn submit(&self, form_with: &str) -> Result<()> {
        let xpath = format!("//form[.//*[@id='{form_with}']]//button[@type='submit']");
        self.browser
            .find(Locator::XPath(&xpath))
            .await?
            .click()
            .await?;
        Ok(())
    }

    /// Waits until the browser is at `want` (path and query).
    pub async fn wait_path(&self, want: &str) -> Result<()> {
        for _ in 0..100 {
            if self.path().await? == want {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("expected to be at {want}, at {}", self.path().await?)
    }

    pub async fn path(&self) -> Result<String> {
        let url = self.browser.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        })
    }
}

/// Runs `spec` twice, JavaScript off then on, each in a new browser session. On failure the
/// screenshot and HTML of the page are saved, and the test fails naming the mode.
pub async fn run_spec<F>(name: &str, spec: F)
where
    F: for<'a> Fn(Ctx<'a>) -> std::pin::Pin<Box<dyn Future<Output = Result<()>> + 'a>>,
{
    run_spec_with(name, |_| {}, spec).await
}

/// [`run_spec`] against a server whose command `configure` has adjusted.
pub async fn run_spec_with<F>(name: &str, configure: impl FnOnce(&mut Command), spec: F)
where
    F: for<'a> Fn(Ctx<'a>) -> std::pin::Pin<Box<dyn Future<Output = Result<()>> + 'a>>,
{
    let driver = Driver::start().await.expect("chromedriver");
    let server = Server::start_with(configure)
        .await
        .expect("iot-rocket server");
    let mut failures = Vec::new();
    for javascript in [false, true] {
        let mode = if javascript { "js" } else { "no-js" };
        let browser = driver.browser(javascript).await.expect("browser session");
        let mut outcome = spec(Ctx {
            browser: &browser,
            server: &server,
            javascript,
        })
        .await;
        if outcome.is_ok() {
            // A page that works must also leave the console clean (no hydration error, no
            // failed load).
            outcome = match console_errors(&browser).await {
                Ok(errors) if errors.is_empty() => Ok(()),
                Ok(errors) => Err(anyhow::anyhow!("console errors: {errors:#?}")),
                Err(e) => Err(e.context("reading the browser console")),
            };
        }
        if let Err(e) = outcome {
            let saved = save_failure(&browser, &format!("{name}-{mode}")).await;
            failures.push(format!("[{mode}] {e:#}\n    page saved as {saved}"));
        }
        browser.close().await.ok();
    }
    server.stop().await;
    if !failures.is_empty() {
        panic!("spec {name} failed:\n  {}", failures.join("\n  "));
    }
}

async fn save_failure(browser: &Client, stem: &str) -> String {
    let dir = target_dir().join("e2e-failures");
    if std::fs::create_dir_all(&dir).is_err() {
        return "(could not create the failure folder)".into();
    }
    if let Ok(png) = browser.screenshot().await {
        std::fs::write(dir.join(format!("{stem}.png")), png).ok();
    }
    if let Ok(html) = browser.source().await {
        std::fs::write(dir.join(format!("{stem}.html")), html).ok();
    }
    dir.join(stem).display().to_string() + ".{png,html}"
}
