//! The drive as the UI's server functions see it ([`app::services::DriveService`]): a thin
//! adapter over the service layer, for the signed-in user.

use app::{
    dto::{
        ClashDto, Crumb, EntryDto, FolderPage, PlacedEntry, SortKey, TextPreview, TrashPage,
        VersionDto,
    },
    services::DriveService,
    AppError,
};
use async_trait::async_trait;
use sea_orm::Order;
use uuid::Uuid;

use crate::{entities::node, files::page, policy::Actor, routes::PageWindow, service::Service};

/// Entries per page of a folder.
const PAGE: u64 = 100;

pub struct Drive {
    service: Service,
}

impl Drive {
    pub fn new(service: Service) -> Self {
        Self { service }
    }

    async fn actor(&self, user: Uuid) -> Result<Actor, AppError> {
        self.service.session_actor(user).await
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
        starred: false,
    }
}

impl Drive {
    /// Entries away from their folder, each with the folder it opens in (when the user may
    /// open it) and its time.
    async fn placed(
        &self,
        actor: &Actor,
        rows: Vec<(node::Model, i64)>,
    ) -> Result<Vec<PlacedEntry>, AppError> {
        let mut placed = Vec::with_capacity(rows.len());
        for (node, at) in rows {
            let parent_id = self.service.readable_parent(actor, &node).await;
            placed.push(PlacedEntry {
                entry: entry(node),
                parent_id,
                at,
            });
        }
        Ok(placed)
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
        let window = PageWindow::new(Some(PAGE), cursor.as_deref()).map_err(|e| e.0)?;
        let sort = match sort {
            SortKey::Name => page::Sort::Name,
            SortKey::Modified => page::Sort::Modified,
            SortKey::Size => page::Sort::Size,
        };
        let order = if descending { Order::Desc } else { Order::Asc };
        let found = self
            .service
            .folder_listing(&actor, folder, sort, order, window.limit, window.offset)
            .await
            .map_err(|e| match AppError::from(e) {
                // The drive opens folders only: a file's id is no folder to show.
                AppError::Validation { .. } => AppError::NotFound,
                other => other,
            })?;
        let mut entries: Vec<EntryDto> = found
            .listing
            .rows
            .into_iter()
            .map(|n| EntryDto {
                shared: found.shared.contains(&n.id),
                starred: found.starred.contains(&n.id),
                ..entry(n)
            })
            .collect();
        crate::previews::status::apply(&mut entries, &found.thumbs);
        Ok(FolderPage {
            path: found
                .path
                .into_iter()
                .map(|(id, name)| Crumb { id, name })
                .collect(),
            shared_by: found.shared_by,
            entries,
            next_cursor: window.next(found.listing.more),
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
        let folder = self.service.create_folder(&actor, parent, &name).await?;
        Ok(entry(folder))
    }

    async fn rename(&self, user: Uuid, id: Uuid, name: String) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let renamed = self
            .service
            .rename_or_move(&actor, id, Some(&name), None)
            .await?;
        Ok(entry(renamed))
    }

    async fn copy(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        Ok(entry(self.service.copy(&actor, id, None, None).await?))
    }

    async fn move_to(&self, user: Uuid, id: Uuid, parent: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        let moved = self
            .service
            .rename_or_move(&actor, id, None, Some(parent))
            .await?;
        Ok(entry(moved))
    }

    async fn trash(&self, user: Uuid, id: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.trash(&actor, id).await?)
    }

    async fn restore(&self, user: Uuid, id: Uuid) -> Result<EntryDto, AppError> {
        let actor = self.actor(user).await?;
        Ok(entry(self.service.restore(&actor, id).await?))
    }

    async fn text_preview(&self, user: Uuid, id: Uuid) -> Result<TextPreview, AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.text_preview(&actor, id).await?)
    }

    async fn versions(&self, user: Uuid, id: Uuid) -> Result<Vec<VersionDto>, AppError> {
        let actor = self.actor(user).await?;
        let (file, rows) = self.service.named_versions(&actor, id).await?;
        Ok(rows
            .into_iter()
            .map(|named| VersionDto {
                number: named.version.number,
                size: named.version.size,
                created: named.version.created_at.timestamp(),
                author: named.author,
                current: Some(named.version.number) == file.version,
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
        Ok(entry(
            self.service.restore_version(&actor, id, number).await?,
        ))
    }

    async fn list_trash(&self, user: Uuid, cursor: Option<String>) -> Result<TrashPage, AppError> {
        let actor = self.actor(user).await?;
        let window = PageWindow::new(Some(PAGE), cursor.as_deref()).map_err(|e| e.0)?;
        let (rows, more) = self
            .service
            .list_trash(&actor, window.limit, window.offset)
            .await?;
        Ok(TrashPage {
            entries: rows.into_iter().map(entry).collect(),
            next_cursor: window.next(more),
            now: chrono::Utc::now().timestamp(),
            retention_days: self.service.trash_retention_days(),
        })
    }

    async fn purge(&self, user: Uuid, id: Uuid) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.purge(&actor, id).await?)
    }

    async fn empty_trash(&self, user: Uuid) -> Result<u64, AppError> {
        let actor = self.actor(user).await?;
        Ok(self.service.empty_trash(&actor).await? as u64)
    }

    async fn clashes(
        &self,
        user: Uuid,
        parent: Uuid,
        names: Vec<String>,
    ) -> Result<Vec<ClashDto>, AppError> {
        let actor = self.actor(user).await?;
        let found = self.service.clashes(&actor, parent, &names).await?;
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
        Ok(entry(
            self.service.make_folders(&actor, parent, &path).await?,
        ))
    }

    async fn set_star(&self, user: Uuid, id: Uuid, starred: bool) -> Result<(), AppError> {
        let actor = self.actor(user).await?;
        if starred {
            self.service.star(&actor, id).await?;
        } else {
            self.service.unstar(&actor, id).await?;
        }
        Ok(())
    }

    async fn starred(&self, user: Uuid) -> Result<Vec<PlacedEntry>, AppError> {
        let actor = self.actor(user).await?;
        let rows = self.service.starred(&actor).await?;
        let rows = rows
            .into_iter()
            .map(|n| {
                let at = n.modified_at.timestamp();
                (n, at)
            })
            .collect();
        let mut placed = self.placed(&actor, rows).await?;
        for p in &mut placed {
            p.entry.starred = true;
        }
        Ok(placed)
    }

    async fn recent(&self, user: Uuid) -> Result<Vec<PlacedEntry>, AppError> {
        let actor = self.actor(user).await?;
        let rows = self.service.recent(&actor).await?;
        let rows = rows
            .into_iter()
            .map(|(n, at)| (n, at.timestamp()))
            .collect();
        self.placed(&actor, rows).await
    }
}
