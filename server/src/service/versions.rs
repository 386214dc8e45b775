//! A file's versions: who may see them (the history right: owners and grantees, never a
//! link) and bring an old one back (a new version; history is never rewritten).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::Service;
use crate::{
    entities::{node, share_link, version},
    error::ServiceError,
    files::versions,
    identity::users,
    policy::{Actor, Need},
};

/// A version and the words that say who made it ("Kim", or "via link “Drop box”").
pub struct NamedVersion {
    pub version: version::Model,
    pub author: Option<String>,
}

impl Service {
    /// The file `id` and its versions, newest first.
    pub async fn versions(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(node::Model, Vec<version::Model>), ServiceError> {
        let file = self.file(actor, id, Need::History).await?;
        let rows = versions::list(self.db(), &file).await?;
        Ok((file, rows))
    }

    /// The same, each with its author's name.
    pub async fn named_versions(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(node::Model, Vec<NamedVersion>), ServiceError> {
        let (file, rows) = self.versions(actor, id).await?;
        let mut names: HashMap<Uuid, String> = HashMap::new();
        for author in rows.iter().filter_map(|v| v.author_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(author) {
                if let Some(user) = users::by_id(self.db(), author).await? {
                    slot.insert(user.name);
                }
            }
        }
        let link_ids: Vec<Uuid> = rows.iter().filter_map(|v| v.link_id).collect();
        let links: HashMap<Uuid, String> = share_link::Entity::find()
            .filter(share_link::Column::Id.is_in(link_ids))
            .all(self.db())
            .await?
            .into_iter()
            .map(|l| (l.id, format!("via link “{}”", l.label.unwrap_or_default())))
            .collect();
        let named = rows
            .into_iter()
            .map(|v| NamedVersion {
                author: match (v.author_id, v.link_id) {
                    (Some(a), _) => names.get(&a).cloned(),
                    (None, Some(link)) => links.get(&link).cloned(),
                    (None, None) => None,
                },
                version: v,
            })
            .collect();
        Ok((file, named))
    }

    /// Makes version `number` of file `id` its newest version again.
    pub async fn restore_version(
        &self,
        actor: &Actor,
        id: Uuid,
        number: i32,
    ) -> Result<node::Model, ServiceError> {
        let file = self.file(actor, id, Need::Write).await?;
        versions::restore(
            self.db(),
            self.blobs(),
            actor.user_id,
            &file,
            number,
            self.keep_versions(),
        )
        .await
    }
}
