//! `spawn_app()` and a `TestApp` with one method per endpoint.

use std::path::PathBuf;

use reqwest::{Client, Response};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::{json, Value};
use server::{config::Settings, startup::Application};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub address: String,
    pub port: u16,
    /// A client with a cookie jar, like a browser.
    pub client: Client,
    pub db: DatabaseConnection,
    pub data_dir: PathBuf,
    pub storage: server::config::StorageSettings,
    pub settings: Settings,
    pub database_url: String,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    pg_database: Option<(String, String)>,
    _dir: TempDir,
}

/// The bearer token test servers ask `/metrics` for.
pub const METRICS_TOKEN: &str = "metrics-scraper-token";

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        server::telemetry::init("pretty");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg_database) = fresh_database(&dir).await;
    let mut settings = Settings {
        addr: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.path().join("data"),
        database_url: Some(database_url.clone()),
        ..Settings::default()
    };
    with_previews(&mut settings);
    configure(&mut settings);
    start(settings, dir, database_url, pg_database).await
}

/// An app on a database of the test's own (a throwaway PostgreSQL cluster it may stop).
pub async fn spawn_app_on(database_url: &str, configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings {
        addr: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.path().join("data"),
        database_url: Some(database_url.to_owned()),
        ..Settings::default()
    };
    with_previews(&mut settings);
    configure(&mut settings);
    start(settings, dir, database_url.to_owned(), None).await
}

/// Another node of the same deployment: the app's database and blob storage, a data
/// directory of its own (nothing on the first node's disk is shared).
pub async fn spawn_node(app: &TestApp) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings {
        addr: "127.0.0.1:0".parse().expect("addr"),
        data_dir: dir.path().join("data"),
        database_url: Some(app.database_url.clone()),
        storage: app.storage.clone(),
        ..Settings::default()
    };
    with_previews(&mut settings);
    start(settings, dir, app.database_url.clone(), None).await
}

/// Tests run preview jobs themselves ([`TestApp::run_jobs`]): no workers in the server; PDFs
/// rendered by the `gosync` binary this build made, with the libpdfium `make` fetched.
fn with_previews(settings: &mut Settings) {
    if settings.metrics_token.is_none() {
        settings.metrics_token = Some(server::config::Secret::new(METRICS_TOKEN));
    }
    settings.previews.in_process = false;
    // OCR follows every image's thumbnail; the tests that read words in pictures turn it on.
    settings.previews.ocr = false;
    settings.previews.renderer = Some(PathBuf::from(env!("CARGO_BIN_EXE_gosync")));
    settings.pdfium_path =
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/pdfium/libpdfium.so"));
}

async fn start(
    settings: Settings,
    dir: TempDir,
    database_url: String,
    pg_database: Option<(String, String)>,
) -> TestApp {
    let scheme = if settings.tls_enabled() {
        "https"
    } else {
        "http"
    };
    let data_dir = settings.data_dir.clone();
    let storage = settings.storage.clone();
    let kept = settings.clone();
    let app = Application::build(settings).await.expect("the app builds");
    let port = app.port();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    // As the server connects (on SQLite, with its natural-order collation, which an index
    // on names needs for any change to a node).
    let db = server::db::connect(&kept)
        .await
        .expect("test db connection");
    TestApp {
        address: format!("{scheme}://127.0.0.1:{port}"),
        port,
        client: Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        db,
        data_dir,
        storage,
        settings: kept,
        database_url,
        stop: Some(stop),
        server: Some(server),
        pg_database,
        _dir: dir,
    }
}

/// A new SQLite file, or a new PostgreSQL database with a random name (dropped on drop).
async fn fresh_database(dir: &TempDir) -> (String, Option<(String, String)>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if admin_url.starts_with("postgres") => {
            let name = format!("gosync_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("PostgreSQL answers at TEST_DATABASE_URL");
            admin
                .execute(Statement::from_string(
                    admin.get_database_backend(),
                    format!("CREATE DATABASE {name}"),
                ))
                .await
                .expect("create test database");
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            (format!("{base}/{name}"), Some((admin_url.clone(), name)))
        }
        _ => (
            format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
            None,
        ),
    }
}

impl TestApp {
    /// A worker of this deployment, as `gosync worker` would run it.
    pub fn worker(&self, number: usize) -> server::jobs::worker::Worker {
        let blobs = server::storage::BlobStore::from_settings(
            &self.storage,
            &self.data_dir,
            Some(self.db.clone()),
        )
        .expect("blob storage");
        let previews = server::previews::Previews::new(&self.settings, blobs);
        server::jobs::worker::Worker::new(self.db.clone(), previews, number)
    }

    /// Runs queued jobs until none is due; returns what ran.
    pub async fn run_jobs(&self) -> Vec<server::jobs::worker::Ran> {
        let worker = self.worker(0);
        let mut ran = Vec::new();
        while let Some(one) = worker.run_one().await.expect("the queue answers") {
            ran.push(one);
        }
        ran
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some((admin_url, name)) = self.pg_database.take() {
            // Drop runs outside async: use a small runtime of its own on another thread.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let admin = Database::connect(&admin_url).await.ok()?;
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    admin
                        .execute(Statement::from_string(admin.get_database_backend(), sql))
                        .await
                        .ok()
                })
            })
            .join();
        }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Stops the server the way SIGTERM does and waits until it has finished.
    pub async fn shut_down(&mut self) -> anyhow::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.server.take() {
            Some(server) => server.await?,
            None => Ok(()),
        }
    }

    /// The same deployment and data directory, started again (after [`TestApp::shut_down`]).
    pub async fn start_again(mut self) -> TestApp {
        let dir = std::mem::replace(&mut self._dir, tempfile::tempdir().expect("temp dir"));
        let pg = self.pg_database.take();
        start(self.settings.clone(), dir, self.database_url.clone(), pg).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn signup(&self, email: &str, password: &str, name: &str) -> Response {
        self.post_json(
            "/api/v1/auth/signup",
            &json!({"email": email, "password": password, "name": name}),
        )
        .await
    }

    pub async fn login(&self, email: &str, password: &str) -> Response {
        self.post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Response {
        self.post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh_token}),
        )
        .await
    }

    pub async fn logout(&self, refresh_token: &str) -> Response {
        self.post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": refresh_token}),
        )
        .await
    }

    pub async fn me(&self, bearer: &str) -> Response {
        self.client
            .get(self.url("/api/v1/me"))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    pub async fn create_token(&self, bearer: &str, body: &Value) -> Response {
        self.client
            .post(self.url("/api/v1/tokens"))
            .bearer_auth(bearer)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn list_tokens(&self, bearer: &str) -> Response {
        self.client
            .get(self.url("/api/v1/tokens"))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete_token(&self, bearer: &str, id: &str) -> Response {
        self.client
            .delete(self.url(&format!("/api/v1/tokens/{id}")))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    /// A signed-in user and their root folder: (access token, root id).
    pub async fn user_with_root(&self, email: &str) -> (String, String) {
        let (token, _) = self.signed_in_user(email).await;
        let root = self.root_id(&token).await;
        (token, root)
    }

    pub async fn root_id(&self, bearer: &str) -> String {
        let me: Value = self.me(bearer).await.json().await.expect("json");
        me["root_id"].as_str().expect("a root folder").to_owned()
    }

    pub async fn create_folder(&self, bearer: &str, parent: &str, name: &str) -> Response {
        let body = json!({"parent_id": parent, "name": name});
        self.client
            .post(self.url("/api/v1/folders"))
            .bearer_auth(bearer)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Creates a folder that must succeed; returns its id.
    pub async fn folder(&self, bearer: &str, parent: &str, name: &str) -> String {
        let response = self.create_folder(bearer, parent, name).await;
        assert_eq!(response.status(), 201, "create folder {name}");
        let body: Value = response.json().await.expect("json");
        body["id"].as_str().expect("id").to_owned()
    }

    pub async fn children(&self, bearer: &str, id: &str, query: &str) -> Response {
        let url = self.url(&format!("/api/v1/nodes/{id}/children{query}"));
        self.client
            .get(url)
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    /// Names in a folder, in the order the API lists them (first page of up to 1000).
    pub async fn names(&self, bearer: &str, id: &str, query: &str) -> Vec<String> {
        let page: Value = self
            .children(bearer, id, query)
            .await
            .json()
            .await
            .expect("json");
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|n| n["name"].as_str().unwrap_or("").to_owned())
            .collect()
    }

    /// What `/metrics` says now (asked with the scraper's token).
    pub async fn metrics(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .expect("metrics answer")
            .text()
            .await
            .expect("metrics text")
    }

    /// `GET path` as the holder of `bearer`.
    pub async fn get_as(&self, bearer: &str, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    pub async fn get_node(&self, bearer: &str, id: &str) -> Response {
        self.client
            .get(self.url(&format!("/api/v1/nodes/{id}")))
            .bearer_auth(bearer)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch_node(&self, bearer: &str, id: &str, body: &Value) -> Response {
        let url = self.url(&format!("/api/v1/nodes/{id}"));
        self.client
            .patch(url)
            .bearer_auth(bearer)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// The app's blob storage, for tests that look behind the API.
    pub fn blobs(&self) -> server::storage::BlobStore {
        server::storage::BlobStore::from_settings(
            &self.storage,
            &self.data_dir,
            Some(self.db.clone()),
        )
        .expect("blob store")
    }

    /// A page, as a browser asks for it.
    pub async fn page(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("request")
    }

    /// A server function called by the hydrated page (same origin, form-encoded).
    pub async fn server_fn(&self, name: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(self.url(&format!("/api/{name}")))
            .header("origin", &self.address)
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// A server function that takes JSON (same origin, as the hydrated page sends it).
    pub async fn server_fn_json(&self, name: &str, body: &Value) -> Response {
        self.client
            .post(self.url(&format!("/api/{name}")))
            .header("origin", &self.address)
            .header("accept", "application/json")
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// `/api/v1/me` with whatever cookie the client holds.
    pub async fn me_by_cookie(&self) -> Response {
        self.client
            .get(self.url("/api/v1/me"))
            .send()
            .await
            .expect("request")
    }

    /// Signs up and signs in; returns (access token, refresh token).
    pub async fn signed_in_user(&self, email: &str) -> (String, String) {
        let response = self.signup(email, PASSWORD, "Test User").await;
        assert_eq!(response.status(), 201, "sign-up of {email}");
        let body: Value = self
            .login(email, PASSWORD)
            .await
            .json()
            .await
            .expect("json");
        (
            body["access_token"]
                .as_str()
                .expect("access token")
                .to_owned(),
            body["refresh_token"]
                .as_str()
                .expect("refresh token")
                .to_owned(),
        )
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) AS n FROM {table}");
        let row = self
            .db
            .query_one(Statement::from_string(self.db.get_database_backend(), sql))
            .await
            .expect("count query")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("count")
    }

    /// Runs SQL written with `$1, $2…` placeholders (turned into `?` on SQLite).
    pub async fn exec_with(
        &self,
        sql: &str,
        values: Vec<sea_orm::Value>,
    ) -> Vec<sea_orm::QueryResult> {
        let statement = server::db::portable_statement(self.db.get_database_backend(), sql, values);
        self.db.query_all(statement).await.expect("sql")
    }

    pub async fn exec(&self, sql: &str) {
        self.db
            .execute(Statement::from_string(
                self.db.get_database_backend(),
                sql.to_owned(),
            ))
            .await
            .expect("sql");
    }
}

/// Asserts the API.md error body and returns it.
pub async fn assert_error(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let body: Value = response.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], code, "error code in {body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "a message in {body}"
    );
    body
}
