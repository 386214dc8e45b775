//! The recipient's page of a public link, for the UI's server functions
//! ([`app::services::LinkService`]): a thin adapter over the service layer, where the link
//! acts as itself.

use std::net::IpAddr;

use app::{
    dto::{Crumb, LinkPage, TextPreview},
    services::LinkService,
    AppError,
};
use async_trait::async_trait;
use uuid::Uuid;

use crate::{drive::entry, service::Service};

pub struct LinkPages {
    service: Service,
}

impl LinkPages {
    pub fn new(service: Service) -> Self {
        Self { service }
    }
}

#[async_trait]
impl LinkService for LinkPages {
    async fn page(
        &self,
        token: String,
        folder: Option<Uuid>,
        unlocked: Vec<Uuid>,
    ) -> Result<LinkPage, AppError> {
        let opened = self.service.open_link(&token).await?;
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
        let view = self.service.link_view(&opened, folder, open).await?;
        page.owner_name = view.owner_name;
        page.entries = view.rows.into_iter().map(entry).collect();
        crate::previews::status::apply(&mut page.entries, &view.thumbs);
        page.path = view
            .path
            .into_iter()
            .map(|(id, name)| Crumb { id, name })
            .collect();
        let mut shown = entry(view.item);
        if let Some(thumb) = view.thumbs.get(&shown.id) {
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
        let opened = self.service.open_link(&token).await?;
        let actor = self
            .service
            .link_actor(&opened, opened.is_open(&unlocked))?;
        let id = id.unwrap_or(opened.root.id);
        Ok(self.service.text_preview(&actor, id).await?)
    }

    async fn unlock(
        &self,
        token: String,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<Uuid, AppError> {
        let opened = self.service.open_link(&token).await?;
        self.service.unlock_link(&opened, password, ip).await?;
        Ok(opened.link.id)
    }
}
