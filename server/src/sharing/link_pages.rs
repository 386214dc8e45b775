//! The recipient's page of a public link, for the UI's server functions
//! ([`app::services::LinkService`]): what the link shows, after its password if it has one.

use std::{net::IpAddr, sync::Arc};

use app::{
    dto::{Crumb, LinkPage, LinkRole, TextPreview},
    services::LinkService,
    AppError,
};
use async_trait::async_trait;
use sea_orm::{DatabaseConnection, Order};
use uuid::Uuid;

use super::links::Links;
use crate::{
    drive::entry,
    error::ServiceError,
    files::tree::{self, Sort},
    identity::users,
    policy::Need,
};

/// The most entries a link's folder page lists (the zip has them all).
const SHOWN: u64 = 1000;

pub struct LinkPages {
    pub db: DatabaseConnection,
    pub blobs: crate::storage::BlobStore,
    pub links: Arc<Links>,
}

#[async_trait]
impl LinkService for LinkPages {
    async fn page(
        &self,
        token: String,
        folder: Option<Uuid>,
        unlocked: Vec<Uuid>,
    ) -> Result<LinkPage, AppError> {
        let opened = self.links.open(&token).await?;
        let open = opened.is_open(&unlocked);
        let mut page = LinkPage {
            token,
            role: opened.role,
            locked: !open,
            item: None,
            path: Vec::new(),
            entries: Vec::new(),
            owner_name: None,
            now: chrono::Utc::now().timestamp(),
        };
        if !open {
            return Ok(page);
        }
        page.owner_name = users::by_id(&self.db, opened.root.owner_id)
            .await?
            .map(|u| u.name);
        if opened.role == LinkRole::Uploader {
            // A drop box: the folder's name, nothing of what is in it.
            let root = self.links.item(&opened, None, Need::Upload, open).await?;
            page.path = vec![Crumb {
                id: root.id,
                name: root.name.clone(),
            }];
            page.item = Some(entry(root));
            return Ok(page);
        }
        let item = self.links.item(&opened, folder, Need::Read, open).await?;
        if item.is_folder() {
            let (rows, _) =
                tree::children(&self.db, item.id, Sort::Name, Order::Asc, SHOWN, 0).await?;
            let thumbs = crate::previews::status::thumbs(&self.db, &rows)
                .await
                .map_err(ServiceError::from)?;
            page.entries = rows.into_iter().map(entry).collect();
            crate::previews::status::apply(&mut page.entries, &thumbs);
        }
        let path = tree::path_to(&self.db, item.id).await?;
        let from = path
            .iter()
            .position(|(id, _)| *id == opened.root.id)
            .unwrap_or(0);
        page.path = path[from..]
            .iter()
            .map(|(id, name)| Crumb {
                id: *id,
                name: name.clone(),
            })
            .collect();
        let thumbs = crate::previews::status::thumbs(&self.db, std::slice::from_ref(&item))
            .await
            .map_err(ServiceError::from)?;
        let mut shown = entry(item);
        if let Some(thumb) = thumbs.get(&shown.id) {
            shown.thumb = thumb.clone();
        }
        page.item = Some(shown);
        Ok(page)
    }

    async fn text_preview(
        &self,
        token: String,
        id: Option<Uuid>,
        unlocked: Vec<Uuid>,
    ) -> Result<TextPreview, AppError> {
        let opened = self.links.open(&token).await?;
        let open = opened.is_open(&unlocked);
        let item = self.links.item(&opened, id, Need::Read, open).await?;
        if item.is_folder() {
            return Err(AppError::NotFound);
        }
        Ok(crate::previews::highlight::preview(&self.db, &self.blobs, &item).await?)
    }

    async fn unlock(
        &self,
        token: String,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<Uuid, AppError> {
        let opened = self.links.open(&token).await?;
        self.links.unlock(&opened.link, password, ip).await?;
        Ok(opened.link.id)
    }
}
