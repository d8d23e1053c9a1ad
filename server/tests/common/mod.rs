//! `TestApp`: the whole HTTP application in-process on a fresh database, driven with
//! `tower::ServiceExt::oneshot` (no sockets).
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use backend::testing::TestDbRef;
use backend::{Db, Services};
use leptos::prelude::LeptosOptions;
use server::config::{Cli, Config};
use server::AppState;
use std::path::Path;
use tower::ServiceExt;

pub struct TestApp {
    pub router: Router,
    pub db: Db,
    pub services: Services,
    pub outbox_dir: std::path::PathBuf,
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct TestAppBuilder {
    db: TestDbRef,
    workspaces: Vec<(String, String, String)>,
    created: Vec<(String, String, String)>,
    public_url: Option<String>,
    /// (URL, token) of the data source; none unless a test sets one.
    data_source: Option<(String, String)>,
    /// Live updates: (interval in ms, session check in s), when not the defaults.
    live: Option<(u64, u64)>,
    theme: Option<std::path::PathBuf>,
}

/// The password of every account the tests create.
pub const PASSWORD: &str = "correct horse battery";

impl TestApp {
    pub fn on(db: &TestDbRef) -> TestAppBuilder {
        TestAppBuilder {
            db: db.clone(),
            workspaces: Vec::new(),
            created: Vec::new(),
            public_url: None,
            data_source: None,
            live: None,
            theme: None,
        }
    }
}

impl TestAppBuilder {
    /// Adds a workspace row to the control plane (`status`: active, suspended or provisioning).
    pub fn with_workspace(mut self, slug: &str, name: &str, status: &str) -> Self {
        self.workspaces
            .push((slug.into(), name.into(), status.into()));
        self
    }

    /// Creates a real workspace (its own database, its owner with [`PASSWORD`]).
    pub fn with_created_workspace(mut self, slug: &str, name: &str, owner_email: &str) -> Self {
        self.created
            .push((slug.into(), name.into(), owner_email.into()));
        self
    }

    pub fn public_url(mut self, url: &str) -> Self {
        self.public_url = Some(url.into());
        self
    }

    /// Live feeds asking every `interval_ms`, sockets checking their session every `check_secs`.
    pub fn live(mut self, interval_ms: u64, check_secs: u64) -> Self {
        self.live = Some((interval_ms, check_secs));
        self
    }

    /// Uses the theme folder `dir` (default: the shipped `themes/default`).
    pub fn theme(mut self, dir: &Path) -> Self {
        self.theme = Some(dir.to_path_buf());
        self
    }

    /// Reads device data from `url` with `token` (tests start a real datagen for it).
    pub fn data_source(mut self, url: &str, token: &str) -> Self {
        self.data_source = Some((url.into(), token.into()));
        self
    }

    pub async fn build(self) -> TestApp {
        let mut config: Config = <Cli as clap::Parser>::try_parse_from(["iot-rocket"])
            .expect("default configuration")
            .config;
        config.data_dir = self.db.dir.clone();
        config.database_url = Some(self.db.url.clone());
        let theme = self
            .theme
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../themes/default"));
        config.theme = Some(theme.display().to_string());
        if let Some(url) = self.public_url {
            config.public_url = url;
        }
        // No test may reach whatever listens on the default address.
        config.data_source_url = String::new();
        if let Some((url, token)) = self.data_source {
            config.data_source_url = url;
            config.data_source_token = Some(token);
            config.data_source_cache_seconds = 0;
        }
        if let Some((interval_ms, check_secs)) = self.live {
            config.live_interval_ms = interval_ms;
            config.live_session_check_seconds = check_secs;
        }
        let services: Services = server::build_services(&config).await.expect("services");
        for (slug, name, status) in &self.workspaces {
            backend::testing::seed_workspace(&services.control, slug, name, status).await;
        }
        for (slug, name, owner_email) in &self.created {
            backend::workspaces::create(
                &services.control,
                &services.registry,
                backend::workspaces::NewWorkspace {
                    slug: slug.clone(),
                    name: name.clone(),
                    owner_name: format!("Owner of {name}"),
                    owner_email: owner_email.clone(),
                    owner_password: PASSWORD.into(),
                },
            )
            .await
            .expect("create workspace");
        }
        let leptos_options = LeptosOptions::builder()
            .output_name("iot-rocket")
            .site_root(self.db.dir.to_string_lossy().to_string())
            .build();
        let db = services.control.clone();
        TestApp {
            router: server::router(AppState {
                leptos_options,
                services: services.clone(),
            }),
            db,
            services,
            outbox_dir: self.db.dir.join("outbox"),
        }
    }
}

impl TestApp {
    pub async fn send(&self, mut request: Request<Body>) -> TestResponse {
        // Every HTTP/1.1 request names its host.
        if !request.headers().contains_key(header::HOST) {
            request
                .headers_mut()
                .insert(header::HOST, "localhost".parse().expect("host"));
        }
        // A request that never answers fails the test naming it, long before the test's own limit.
        let what = format!(
            "{} {} (cookie: {})",
            request.method(),
            request.uri(),
            request
                .headers()
                .get(header::COOKIE)
                .map_or("none", |_| "yes")
        );
        let limit = std::time::Duration::from_secs(30);
        let response = tokio::time::timeout(limit, self.router.clone().oneshot(request))
            .await
            .unwrap_or_else(|_| panic!("{what}: no answer within {limit:?}"))
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = tokio::time::timeout(
            limit,
            axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024),
        )
        .await
        .unwrap_or_else(|_| panic!("{what}: the body did not end within {limit:?}"))
        .expect("body");
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A form post as a browser without JavaScript sends it.
    pub async fn post_form(&self, path: &str, form: &str, referer: &str) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, referer)
                .body(Body::from(form.to_string()))
                .expect("request"),
        )
        .await
    }

    /// A server-function call as the hydrated page sends it.
    pub async fn call(&self, path: &str, form: &str) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .body(Body::from(form.to_string()))
                .expect("request"),
        )
        .await
    }
}

impl TestResponse {
    /// The session cookie this response sets, as a `Cookie` request header value.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.contains("iotr_session=") && !v.contains("Max-Age=0"))
            .and_then(|v| v.split(';').next())
            .map(str::to_string)
    }
}

impl TestApp {
    /// Signs in through the real server function; returns the `Cookie` header value.
    pub async fn sign_in(&self, slug: &str, email: &str) -> String {
        let res = self
            .call(
                "/api/sign_in",
                &format!(
                    "slug={slug}&email={}&password={}",
                    email.replace('@', "%40"),
                    PASSWORD.replace(' ', "+")
                ),
            )
            .await;
        res.session_cookie()
            .unwrap_or_else(|| panic!("no session for {email}: {} {}", res.status, res.body))
    }

    /// Creates the operator Olga (ops@startup.example) and signs her in; the `Cookie` value.
    pub async fn olga(&self) -> String {
        backend::auth::operators::create(&self.db, "ops@startup.example", "Olga", PASSWORD)
            .await
            .expect("operator");
        self.operator_sign_in("ops@startup.example").await
    }

    /// Signs an operator in; returns the `Cookie` header value.
    pub async fn operator_sign_in(&self, email: &str) -> String {
        let res = self
            .call(
                "/api/operator_sign_in",
                &format!(
                    "email={}&password={}",
                    email.replace('@', "%40"),
                    PASSWORD.replace(' ', "+")
                ),
            )
            .await;
        res.session_cookie()
            .unwrap_or_else(|| panic!("no session for {email}: {} {}", res.status, res.body))
    }

    /// Serves the application on a loopback port of its own (for clients that need a real
    /// socket, such as WebSockets); the address.
    pub async fn serve(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = self
            .router
            .clone()
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        tokio::spawn(async move { axum::serve(listener, app).await.expect("serves") });
        addr
    }

    /// A page as a browser with this cookie asks for it.
    pub async fn get_as(&self, path: &str, cookie: &str) -> TestResponse {
        self.send(
            Request::get(path)
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await
    }

    /// A server-function call with this cookie.
    /// Posts `bytes` as the `logo` file of a multipart form, as a script would (JSON answers).
    pub async fn upload(
        &self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
        cookie: Option<&str>,
    ) -> TestResponse {
        self.upload_accepting(path, file_name, bytes, cookie, "application/json")
            .await
    }

    /// [`Self::upload`] with the `Accept` of a browser's form post (`text/html`): answers are
    /// redirects back to the page.
    pub async fn upload_accepting(
        &self,
        path: &str,
        file_name: &str,
        bytes: &[u8],
        cookie: Option<&str>,
        accept: &str,
    ) -> TestResponse {
        let boundary = "iotr-test-boundary-7d1f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let mut req = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::ACCEPT, accept);
        if let Some(cookie) = cookie {
            req = req.header(header::COOKIE, cookie);
        }
        self.send(req.body(Body::from(body)).expect("request"))
            .await
    }

    pub async fn call_as(&self, path: &str, form: &str, cookie: &str) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "application/json")
                .header(header::COOKIE, cookie)
                .body(Body::from(form.to_string()))
                .expect("request"),
        )
        .await
    }
}

impl TestApp {
    /// Adds a user with `role` (and [`PASSWORD`]) straight into the workspace's database.
    pub async fn add_member(&self, slug: &str, email: &str, role: &str) -> String {
        let db = self.workspace_db(slug).await;
        let name = format!("{role} of {slug}");
        backend::testing::insert_user(&db, email, &name, role, PASSWORD).await
    }

    /// The database of the workspace at `slug`.
    pub async fn workspace_db(&self, slug: &str) -> Db {
        let db_name: String = sqlx::query_scalar("SELECT db_name FROM workspaces WHERE slug = $1")
            .bind(slug)
            .fetch_one(self.services.control.pool())
            .await
            .expect("db_name");
        self.services.registry.open(&db_name).await.expect("open")
    }
}

impl TestApp {
    /// A form post without JavaScript, with this session cookie.
    pub async fn post_form_as(
        &self,
        path: &str,
        form: &str,
        referer: &str,
        cookie: &str,
    ) -> TestResponse {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .header(header::REFERER, referer)
                .header(header::COOKIE, cookie)
                .body(Body::from(form.to_string()))
                .expect("request"),
        )
        .await
    }

    /// Waits (at most 10 s) until the outbox holds `n` mails; returns their texts, oldest first.
    pub async fn outbox_mails(&self, n: usize) -> Vec<String> {
        let dir = self.outbox_dir.clone();
        for _ in 0..100 {
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect();
            if files.len() >= n {
                files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
                return files
                    .iter()
                    .map(|f| std::fs::read_to_string(f).expect("mail"))
                    .collect();
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("fewer than {n} mails in {}", dir.display());
    }
}

/// A datagen serving on `addr` until the sender is used or dropped.
#[allow(dead_code)] // not every test binary starts one
pub async fn datagen_on(
    sim: std::sync::Arc<datagen::Sim>,
    addr: std::net::SocketAddr,
    token: &'static str,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .expect("bind datagen");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, datagen::router(sim, token))
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
            .expect("datagen serves");
    });
    (stop, task)
}

/// Asks a test datagen's GraphQL API (as an operator of the source would: to inject anomalies,
/// say); fails on any error it answers.
#[allow(dead_code)]
pub async fn datagen_graphql(source: std::net::SocketAddr, token: &str, query: &str) {
    let res = reqwest::Client::new()
        .post(format!("http://{source}/graphql"))
        .bearer_auth(token)
        .json(&serde_json::json!({ "query": query }))
        .send()
        .await
        .expect("the datagen answers");
    let body: serde_json::Value = res.json().await.expect("JSON");
    assert!(body.get("errors").is_none(), "{body}");
}

/// An address nothing listens on yet (the datagen binds it, and binds it again after an outage).
#[allow(dead_code)]
/// The `src` of the logo in a page's header.
pub fn header_logo(html: &str) -> String {
    html.split("id=\"brand-logo\" src=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no header logo in {html}"))
        .to_string()
}

pub fn free_addr() -> std::net::SocketAddr {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    probe.local_addr().expect("its address")
}

/// A running test datagen: dropping `stop` (or sending on it) ends it.
#[allow(dead_code)]
pub struct TestSource {
    pub addr: std::net::SocketAddr,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<()>,
}

/// Acme (owner ada@acme.example) reading a datagen of `sim` on a fresh address; the app, Ada's
/// session, and the source.
#[allow(dead_code)]
pub async fn acme_reading(
    t: &backend::testing::TestDbRef,
    sim: std::sync::Arc<datagen::Sim>,
    token: &'static str,
) -> (TestApp, String, TestSource) {
    let addr = free_addr();
    let (stop, task) = datagen_on(sim, addr, token).await;
    let app = TestApp::on(t)
        .with_created_workspace("acme", "Acme Sensors", "ada@acme.example")
        .data_source(&format!("http://{addr}/graphql"), token)
        .build()
        .await;
    let ada = app.sign_in("acme", "ada@acme.example").await;
    (app, ada, TestSource { addr, stop, task })
}
