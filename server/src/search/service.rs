//! A search for one person: the index finds candidates among what they own or what lies under
//! an item shared with them; each hit is then checked with the policy against the database as
//! it is now (the index may be a moment behind) and shown with its folder path as they see it.

use std::{collections::HashMap, sync::Arc};

use app::{
    dto::{SearchHit, SearchPage, SearchQuery},
    AppError,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{indexer::Indexer, params, query, Search};
use crate::{
    drive::entry,
    entities::{node, share},
    error::ServiceError,
    files::tree,
    policy::{self, Action, Actor, Need},
    sharing::roles,
};

pub async fn search(
    db: &DatabaseConnection,
    search: &Arc<Search>,
    actor: &Actor,
    q: SearchQuery,
) -> Result<SearchPage, ServiceError> {
    params::check(&q)?;
    let offset = params::offset(q.cursor.as_deref())?;
    let limit = q
        .limit
        .unwrap_or(params::DEFAULT_LIMIT)
        .min(params::MAX_LIMIT) as usize;
    let shared: Vec<Uuid> = share::Entity::find()
        .filter(share::Column::GranteeId.eq(actor.user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.node_id)
        .collect();
    let me = actor.user_id;
    let index = search.clone();
    let (found, total) = tokio::task::spawn_blocking(move || {
        let who = query::Searcher {
            me,
            shared: &shared,
        };
        query::run(&index, &q, &who, offset, limit + 1)
    })
    .await
    .map_err(|_| AppError::Internal)?
    .map_err(|e| {
        tracing::warn!(error = %e, "a search failed");
        AppError::Internal
    })?;
    let more = found.len() > limit;
    let found: Vec<_> = found.into_iter().take(limit).collect();
    let nodes: HashMap<Uuid, node::Model> = node::Entity::find()
        .filter(node::Column::Id.is_in(found.iter().map(|f| f.id)))
        .filter(node::Column::TrashedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let mut visible = Vec::new();
    for hit in found {
        let Some(item) = nodes.get(&hit.id) else {
            continue;
        };
        let (standing, granted) = if item.owner_id == me {
            (
                policy::standing(actor, item.owner_id, [], false),
                Vec::new(),
            )
        } else {
            let grants = roles::grants_above(db, me, item.id).await?;
            let roles = grants.iter().map(|(_, role)| *role);
            let granted: Vec<Uuid> = grants.iter().map(|(id, _)| *id).collect();
            (
                policy::standing(actor, item.owner_id, roles, false),
                granted,
            )
        };
        let action = Action::Node {
            need: Need::Read,
            standing,
        };
        if policy::authorize(actor, action).is_ok() {
            visible.push((item.clone(), granted, hit.snippet, hit.path));
        }
    }
    let items: Vec<node::Model> = visible.iter().map(|(n, ..)| n.clone()).collect();
    let thumbs = crate::previews::status::known(db, &items).await?;
    let others = items
        .iter()
        .map(|n| n.owner_id)
        .filter(|owner| *owner != me);
    let owners = crate::sharing::grants::users_by_id(db, others).await?;
    let mut hits = Vec::with_capacity(visible.len());
    for (item, granted, snippet, indexed_path) in visible {
        let path = match indexed_path {
            // The owner's own: the path the index holds (no query up the tree per hit).
            Some(path) if item.owner_id == me => owned_path(&path),
            _ => folder_path(db, &item, &granted).await?,
        };
        let owner = (item.owner_id != me).then(|| {
            owners
                .get(&item.owner_id)
                .map_or_else(|| "someone".to_owned(), |u| u.name.clone())
        });
        let parent_id = item
            .parent_id
            .filter(|_| item.owner_id == me || granted.iter().any(|g| *g != item.id));
        let mut entries = vec![entry(item)];
        crate::previews::status::apply(&mut entries, &thumbs);
        let Some(entry) = entries.pop() else { continue };
        hits.push(SearchHit {
            entry,
            path,
            parent_id,
            owner,
            snippet,
        });
    }
    Ok(SearchPage {
        hits,
        total: total as u64,
        next_cursor: more.then(|| (offset + limit).to_string()),
    })
}

/// `Projects/2026` as the owner sees it: `My files / Projects / 2026`.
fn owned_path(indexed: &str) -> String {
    std::iter::once("My files")
        .chain(indexed.split('/').filter(|s| !s.is_empty()))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The folders above `item` as its viewer sees them: from "My files" for the owner, from the
/// highest item shared with them for anyone else.
async fn folder_path(
    db: &DatabaseConnection,
    item: &node::Model,
    granted: &[Uuid],
) -> Result<String, ServiceError> {
    let Some(parent) = item.parent_id else {
        return Ok(String::new());
    };
    if !granted.is_empty() && granted.contains(&item.id) && granted.len() == 1 {
        return Ok("Shared with me".to_owned());
    }
    let above = tree::path_to(db, parent).await?;
    let names: Vec<&str> = if granted.is_empty() {
        std::iter::once("My files")
            .chain(above.iter().skip(1).map(|(_, n)| n.as_str()))
            .collect()
    } else {
        let top = above.iter().position(|(id, _)| granted.contains(id));
        match top {
            Some(top) => std::iter::once("Shared with me")
                .chain(above[top..].iter().map(|(_, n)| n.as_str()))
                .collect(),
            None => vec!["Shared with me"],
        }
    };
    Ok(names.join(" / "))
}

/// `gosync reindex`: builds this server's index again from the database.
pub async fn reindex(settings: &crate::config::Settings) -> anyhow::Result<()> {
    let db = crate::db::connect(settings).await?;
    crate::db::migrate(&db).await?;
    let blobs = crate::storage::BlobStore::from_settings(
        &settings.storage,
        &settings.data_dir,
        Some(db.clone()),
    )?;
    let dir = Search::dir(&settings.data_dir);
    let search =
        Arc::new(Search::open(&dir).map_err(|e| {
            anyhow::anyhow!("{e}; stop `gosync serve` on this data directory first")
        })?);
    let started = std::time::Instant::now();
    let mut indexer = Indexer::new(search, db, blobs);
    let documents = indexer.rebuild().await?;
    println!(
        "search index rebuilt: {documents} items in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Search for the UI's server functions ([`app::services::SearchService`]): a thin adapter
/// over the service layer.
pub struct ForUi {
    service: crate::service::Service,
}

impl ForUi {
    pub fn new(service: crate::service::Service) -> Self {
        Self { service }
    }
}

#[async_trait::async_trait]
impl app::services::SearchService for ForUi {
    async fn search(&self, user: Uuid, raw: String) -> Result<SearchPage, AppError> {
        let actor = self.service.session_actor(user).await?;
        let q = params::parse_query(&raw)?;
        Ok(self.service.search(&actor, q).await?)
    }
}
