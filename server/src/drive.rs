//! The drive as the UI's server functions see it ([`app::services::DriveService`]): the same
//! file operations as the REST API, for the signed-in user, each authorised by the policy.

use app::{
    dto::{ClashDto, Crumb, EntryDto, FolderPage, SortKey, TextPreview, TrashPage, VersionDto},
    services::DriveService,
    AppError,
};
use async_trait::async_trait;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

use crate::{
    config::FileSettings,
    entities::node,
    files::{access, moving, name::validate_name, paths, trash, tree, versions},
    identity::users,
    policy::{Actor, Need},
    routes::PageWindow,
    sharing::roles,
    storage::BlobStore,
};

/// Entries per page of a folder.
const PAGE: u64 = 100;

pub struct Drive {
    db: DatabaseConnection,
    blobs: BlobStore,
    retention_days: u64,
    keep_versions: u64,
}

impl Drive {
    pub fn new(db: DatabaseConnection, blobs: BlobStore, files: &FileSettings) -> Self {
        Self {
            db,
            blobs,
            retention_days: files.trash_retention_days,
            keep_versions: files.keep_versions,
        }
    }

    /// A live file (not a folder) the actor may read (or write).
    async fn file(&self, actor: &Actor, id: Uuid, need: Need) -> Result<node::Model, AppError> {
        let file = self.node(actor, id, need).await?;
        if file.is_folder() {
            return Err(AppError::validation("id", "Folders have no versions."));
        }
        Ok(file)
    }

    /// A trash entry of the actor's, or NotFound.
    async fn trash_entry(&self, actor: &Actor, id: Uuid) -> Result<node::Model, AppError> {
        Ok(access::trash_entry(&self.db, actor, id).await?)
    }

    async fn actor(&self, user: Uuid) -> Result<Actor, AppError> {
        users::session_actor(&self.db, user).await
    }

    /// A live node the actor may read (or write), or NotFound.
    async fn node(&self, actor: &Actor, id: Uuid, need: Need) -> Result<node::Model, AppError> {
        Ok(access::live_node(&self.db, actor, id, need).await?)
    }
}

pub(crate) fn entry(node: node::Model) -> EntryDto {
    EntryDto {
        id: node.id,
        is_folder: node.is_folder(),
        name: node.name,
        size: node.size,
        mime: node.mime,
        modified: node.modified_at.timestamp(),
        version: node.version,
        trashed: node.trashed_at.map(|t| t.timestamp()),
        shared: false,
        thumb: Default::default(),
    }
}

#[async_trait]
impl DriveService for Drive {
    async fn list(
        &self,
        user: Uuid,
        folder: Option<Uuid>,
        sort: SortKey,
        descending: bool,
        cursor: Option<String>,
    ) -> Result<FolderPage, AppError> {
        let actor = self.actor(user).await?;
        let folder = match folder {
            Some(id) => self.node(&actor, id, Need::Read).await?,
            None => tree::root_of(&self.db, actor.user_id).await?,
        };
        if !folder.is_folder() {
            return Err(AppError::NotFound);
        }
        let window = PageWindow::new(Some(PAGE), cursor.as_deref()).map_err(|e| e.0)?;
        let sort = match sort {
            SortKey::Name => tree::Sort::Name,
            SortKey::Modified => tree::Sort::Modified,
            SortKey::Size => tree::Sort::Size,
        };
        let order = if descending { Order::Desc } else { Order::Asc };
        let (rows, more) = tree::children(
            &self.db,
            folder.id,
            sort,
            order,
            window.limit,
            window.offset,
        )
        .await?;
        let mut path: Vec<Crumb> = tree::path_to(&self.db, folder.id)
            .await?
            .into_iter()
            .map(|(id, name)| Crumb { id, name })
            .collect();
        let shared_by = if folder.owner_id == actor.user_id {
            None
        } else {
            // From the top-most folder shared with them: the owner's folders above stay hidden.
            let granted: Vec<Uuid> = roles::grants_above(&self.db, actor.user_id, folder.id)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let top = path
                .iter()
                .position(|c| granted.contains(&c.id))
                .unwrap_or(path.len() - 1);
            path.drain(..top);
            let owner = users::by_id(&self.db, folder.owner_id).await?;
            Some(owner.map_or_else(|| "someone".to_owned(), |o| o.name))
        };
        Ok(FolderPage {
            path,
            shared_by,
            entries: {
                let ids: Vec<Uuid> = rows.iter().map(|n| n.id).collect();
                let shared = crate::sharing::grants::shared_among(&self.db, &ids).await?;
                let thumbs = crate::previews::status::thumbs(&self.db, &rows)
                    .await
                    .map_err(crate::error::ServiceError::from)?;
                let mut entries: Vec<EntryDto> = rows
                    .into_iter()
                    .map(|n| {
                        let is_shared = shared.contains(&n.id);
                        EntryDto {
                            shared: is_shared,
                            ..entry(n)
                        }
                    })
                    .collect();
                crate::previews::status::apply(&mut entries, &thumbs);
                entries
            },
            next_cursor: window.next(more),
            now: chrono::Utc::now().timestamp(),
        })
    }

    async fn create_folder(
        &self,
        user: Uuid,
        parent: Uuid,
        name: String,
    ) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let parent = self.node(&actor, parent, Need::Write).await?;
        let name = validate_name(&name)?;
        Ok(entry(
            tree::create_folder(&self.db, actor.author(), &parent, name).await?,
        ))
    }

    async fn rename(&self, user: Uuid, id: Uuid, name: String) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let name = validate_name(&name)?;
        let renamed = moving::rename_or_move(&self.db, &actor, id, Some(name), None).await?;
        Ok(entry(renamed))
    }

    async fn copy(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let node = self.node(&actor, id, Need::Read).await?;
        let parent = node.parent_id.ok_or(AppError::NotFound)?;
        let dest = self.node(&actor, parent, Need::Write).await?;
        let copied = crate::files::copy::copy(&self.db, actor.user_id, &node, &dest, None).await?;
        Ok(entry(copied))
    }

    async fn move_to(&self, user: Uuid, id: Uuid, parent: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let moved = moving::rename_or_move(&self.db, &actor, id, None, Some(parent)).await?;
        Ok(entry(moved))
    }

    async fn trash(&self, user: Uuid, id: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        let node = self.node(&actor, id, Need::Delete).await?;
        Ok(trash::trash(&self.db, actor.user_id, &node).await?)
    }

    async fn restore(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let row = self.trash_entry(&actor, id).await?;
        Ok(entry(trash::restore(&self.db, actor.user_id, &row).await?))
    }

    async fn text_preview(&self, user: Uuid, id: Uuid) -> Result<TextPreview, AppError> {
        let actor = self.actor(user).await?;
        let file = self.file(&actor, id, Need::Read).await?;
        Ok(crate::previews::highlight::preview(&self.db, &self.blobs, &file).await?)
    }

    async fn versions(&self, user: Uuid, id: Uuid) -> Result<Vec<VersionDto>, AppError> {
        let actor = self.actor(user).await?;
        let file = self.file(&actor, id, Need::History).await?;
        let rows = versions::list(&self.db, &file).await?;
        let mut names: HashMap<Uuid, String> = HashMap::new();
        for author in rows.iter().filter_map(|v| v.author_id) {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(author) {
                if let Some(user) = users::by_id(&self.db, author).await? {
                    slot.insert(user.name);
                }
            }
        }
        let link_ids: Vec<Uuid> = rows.iter().filter_map(|v| v.link_id).collect();
        let links: HashMap<Uuid, String> = crate::entities::share_link::Entity::find()
            .filter(crate::entities::share_link::Column::Id.is_in(link_ids))
            .all(&self.db)
            .await
            .map_err(crate::error::ServiceError::from)?
            .into_iter()
            .map(|l| (l.id, format!("via link “{}”", l.label.unwrap_or_default())))
            .collect();
        Ok(rows
            .into_iter()
            .map(|v| VersionDto {
                number: v.number,
                size: v.size,
                created: v.created_at.timestamp(),
                author: match (v.author_id, v.link_id) {
                    (Some(a), _) => names.get(&a).cloned(),
                    (None, Some(link)) => links.get(&link).cloned(),
                    (None, None) => None,
                },
                current: Some(v.number) == file.version,
            })
            .collect())
    }

    async fn restore_version(
        &self,
        user: Uuid,
        id: Uuid,
        number: i32,
    ) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let file = self.file(&actor, id, Need::Write).await?;
        let restored = versions::restore(
            &self.db,
            &self.blobs,
            actor.user_id,
            &file,
            number,
            self.keep_versions,
        )
        .await?;
        Ok(entry(restored))
    }

    async fn list_trash(&self, user: Uuid, cursor: Option<String>) -> Result<TrashPage, AppError> {
        let actor = self.actor(user).await?;
        let window = PageWindow::new(Some(PAGE), cursor.as_deref()).map_err(|e| e.0)?;
        let (rows, more) =
            trash::list(&self.db, actor.user_id, window.limit, window.offset).await?;
        Ok(TrashPage {
            entries: rows.into_iter().map(entry).collect(),
            next_cursor: window.next(more),
            now: chrono::Utc::now().timestamp(),
            retention_days: self.retention_days,
        })
    }

    async fn purge(&self, user: Uuid, id: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        let row = self.trash_entry(&actor, id).await?;
        Ok(trash::purge(&self.db, &self.blobs, actor.user_id, &row).await?)
    }

    async fn empty_trash(&self, user: Uuid) -> Result<u64, AppError> {
        let actor = self.actor(user).await?;
        let n = trash::empty(&self.db, &self.blobs, actor.user_id, actor.user_id).await?;
        Ok(n as u64)
    }

    async fn clashes(
        &self,
        user: Uuid,
        parent: Uuid,
        names: Vec<String>,
    ) -> Result<Vec<ClashDto>, AppError> {
        let actor = self.actor(user).await?;
        let parent = self.node(&actor, parent, Need::Write).await?;
        if names.len() > 1000 {
            return Err(AppError::validation(
                "names",
                "Ask about at most 1000 names at once.",
            ));
        }
        let found = paths::clashes(&self.db, &parent, &names).await?;
        Ok(found
            .into_iter()
            .map(|clash| ClashDto {
                asked: clash.asked,
                is_folder: clash.existing.is_folder(),
                name: clash.existing.name,
                free_name: clash.free_name,
            })
            .collect())
    }

    async fn make_folders(
        &self,
        user: Uuid,
        parent: Uuid,
        path: String,
    ) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let parent = self.node(&actor, parent, Need::Write).await?;
        if !parent.is_folder() {
            return Err(AppError::NotFound);
        }
        let names = paths::folder_path(&path)?;
        let made = paths::ensure_folders(&self.db, actor.author(), parent, &names).await?;
        Ok(entry(made))
    }
}
