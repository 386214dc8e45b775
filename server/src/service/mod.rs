//! The one way in. Every action a request can take (from a REST route, a server function, a
//! public link's page, tus, and later WebDAV and the change feed) is a method here that takes
//! the actor, looks the item up, asks the policy and makes the change. The adapters translate
//! a protocol and nothing more: they get a [`Service`], never a database handle (its fields
//! are private to this module), so a handler cannot act past the policy even by mistake.
//!
//! Below this layer, `files`, `sharing`, `identity` and `previews` hold the queries and
//! storage steps; they trust their caller, which is always a method of this module (or a
//! worker acting for the system).

mod account;
mod changes;
mod content;
mod dav;
mod known;
mod live;
mod locks;
mod nodes;
mod operations;
mod previews;
mod public;
mod recent;
mod replace;
mod sharing;
mod stars;
mod trash;
mod upload_batch;
mod uploads;
mod versions;
mod whole;

use std::sync::Arc;

use app::AppError;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

pub use changes::{ChangePage, FeedItem, ItemState, MAX_WAIT};
pub use content::{BlobSource, Download, FileContent, ZipDownload};
pub use dav::{DavFolder, DavItem, PropChange};
pub use live::LiveEvent;
pub use locks::{LockRequest, Touches, MAX_LOCK_TIMEOUT};
pub use nodes::{FolderListing, Listing};
pub use operations::Figures;
pub use previews::Rendering;
pub use public::LinkView;
pub use replace::short_body;
pub use sharing::ItemSharing;
pub use upload_batch::BatchFile;
pub use uploads::{Progress, Target, Uploader, Wanted};
pub use versions::NamedVersion;

use crate::{
    config::Settings,
    entities::node,
    error::ServiceError,
    files::{access, group_commit::GroupCommit, uploads::Uploads},
    policy::{Actor, Need},
    previews::Previews,
    search::Search,
    sharing::links::Links,
    storage::BlobStore,
};

/// The service layer: cheap to clone, one per process.
#[derive(Clone)]
pub struct Service {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    blobs: BlobStore,
    settings: Arc<Settings>,
    uploads: Arc<Uploads>,
    small_files: GroupCommit,
    links: Arc<Links>,
    previews: Arc<Previews>,
    search: Arc<Search>,
    /// Changes as they happen, for live updates.
    live: live::Feed,
    /// How far the change log has been read (the change feed's long polls wait on it).
    head: tokio::sync::watch::Receiver<i64>,
}

/// What the service is built from (the parts startup made and keeps for its workers).
pub struct Parts {
    pub db: DatabaseConnection,
    pub blobs: BlobStore,
    pub settings: Arc<Settings>,
    pub uploads: Arc<Uploads>,
    pub small_files: GroupCommit,
    pub previews: Arc<Previews>,
    pub search: Arc<Search>,
}

impl Service {
    pub fn new(parts: Parts) -> Self {
        let links = Arc::new(Links::new(parts.db.clone()));
        let feed = live::feed();
        let (head_tx, head) = tokio::sync::watch::channel(0);
        live::spawn_feed(parts.db.clone(), feed.clone(), head_tx);
        Self {
            inner: Arc::new(Inner {
                db: parts.db,
                blobs: parts.blobs,
                settings: parts.settings,
                uploads: parts.uploads,
                small_files: parts.small_files,
                links,
                previews: parts.previews,
                search: parts.search,
                live: feed,
                head,
            }),
        }
    }

    fn db(&self) -> &DatabaseConnection {
        &self.inner.db
    }

    fn blobs(&self) -> &BlobStore {
        &self.inner.blobs
    }

    fn keep_versions(&self) -> u64 {
        self.inner.settings.files.keep_versions
    }

    /// The largest file an upload may make, in bytes.
    pub fn max_upload_size(&self) -> i64 {
        self.inner.uploads.max_size
    }

    /// The person signed in to a browser session, as an actor (their account checked again).
    pub async fn session_actor(&self, user: Uuid) -> Result<Actor, AppError> {
        crate::identity::users::session_actor(self.db(), user).await
    }

    /// A live node the actor may do `need` to: the lookup every method starts from. One the
    /// actor may not see is NotFound; one they see but may not do `need` to is Forbidden.
    pub async fn node(
        &self,
        actor: &Actor,
        id: Uuid,
        need: Need,
    ) -> Result<node::Model, ServiceError> {
        access::live_node(self.db(), actor, id, need).await
    }

    /// The same, for a file (not a folder).
    pub async fn file(
        &self,
        actor: &Actor,
        id: Uuid,
        need: Need,
    ) -> Result<node::Model, ServiceError> {
        let file = self.node(actor, id, need).await?;
        if file.is_folder() {
            return Err(AppError::validation("id", "Only files have content and versions.").into());
        }
        Ok(file)
    }

    /// The live nodes of `ids` the actor may read, in that order (the others are skipped).
    async fn visible(
        &self,
        actor: &Actor,
        ids: Vec<Uuid>,
    ) -> Result<Vec<node::Model>, ServiceError> {
        let mut shown = Vec::with_capacity(ids.len());
        for id in ids {
            match self.node(actor, id, Need::Read).await {
                Ok(node) => shown.push(node),
                Err(ServiceError::User(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(shown)
    }
}
