//! Search, and what operations ask of the whole service: whether it can serve, and the
//! figures it reports.

use app::dto::{SearchPage, SearchQuery};

use super::Service;
use crate::{error::ServiceError, policy::Actor};

/// Figures for `/metrics`, each None when it could not be read.
pub struct Figures {
    pub jobs: Option<Vec<(&'static str, i64)>>,
    pub index_lag: Option<u64>,
    pub index_documents: u64,
    pub pages_rendered: u64,
    /// Live-update streams open on this server.
    pub live_listeners: usize,
}

impl Service {
    /// What the actor may see that matches `q`.
    pub async fn search(&self, actor: &Actor, q: SearchQuery) -> Result<SearchPage, ServiceError> {
        crate::search::service::search(self.db(), &self.inner.search, actor, q).await
    }

    /// Whether the database and the blob storage answer.
    pub async fn ready(&self) -> (bool, bool) {
        let database = self.db().ping().await.is_ok();
        let storage = self.blobs().ping().await;
        (database, storage)
    }

    /// The figures `/metrics` reports beside the request counters.
    pub async fn figures(&self) -> Figures {
        let jobs = match crate::jobs::queue::count_by_state(self.db()).await {
            Ok(counts) => Some(counts),
            Err(e) => {
                tracing::warn!(error = %e, "job counts unavailable for /metrics");
                None
            }
        };
        let index_lag = match crate::search::changes::lag(self.db(), &self.inner.search).await {
            Ok(lag) => Some(lag),
            Err(e) => {
                tracing::warn!(error = %e, "search index lag unavailable for /metrics");
                None
            }
        };
        Figures {
            jobs,
            index_lag,
            index_documents: self.inner.search.documents(),
            pages_rendered: self.inner.previews.pages_rendered(),
            live_listeners: self.inner.live.receiver_count(),
        }
    }
}
