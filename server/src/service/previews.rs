//! Previews of what the caller may read: a file's thumbnail, and a PDF's pages for the viewer
//! (rendered on first demand, once, then kept). Neither is a download.

use app::AppError;
use uuid::Uuid;

use super::{content::BlobSource, Service};
use crate::{
    entities::node,
    error::ServiceError,
    jobs::queue,
    policy::{Actor, Need},
    previews::{self, status, Kind, Made, THUMBNAIL},
};

/// A stored rendering of some content, ready to serve.
pub struct Rendering {
    /// The content's hash, for the rendering's ETag.
    pub sha256: String,
    /// Which rendering ("256", "page-3").
    pub name: String,
    pub content_type: String,
    pub source: BlobSource,
}

impl Service {
    /// The thumbnail of `id` nearest `size` (256 or 1024), once one was made; 404 until then.
    pub async fn thumbnail(
        &self,
        actor: &Actor,
        id: Uuid,
        size: u32,
    ) -> Result<Rendering, ServiceError> {
        let node = self.node(actor, id, Need::Read).await?;
        let (sha256, made) = self.made(&node).await?;
        let stored = if made.sizes.contains(&size) {
            size
        } else {
            made.sizes.iter().copied().min().ok_or(AppError::NotFound)?
        };
        let key = previews::storage_key(&sha256, &stored.to_string());
        Ok(Rendering {
            sha256,
            name: stored.to_string(),
            content_type: made.content_type,
            source: self.source(key),
        })
    }

    /// Page `page` (from 1) of the PDF `id`, rendered once for everyone who asks.
    pub async fn pdf_page(
        &self,
        actor: &Actor,
        id: Uuid,
        page: u32,
    ) -> Result<Rendering, ServiceError> {
        let node = self.node(actor, id, Need::Read).await?;
        let Some(kind) = Kind::of(node.mime.as_deref(), &node.name).filter(|k| k.has_pages())
        else {
            return Err(AppError::NotFound.into());
        };
        let (sha256, made) = self.made(&node).await?;
        if page == 0 || page > made.pages.unwrap_or(0) {
            return Err(AppError::NotFound.into());
        }
        let key = self
            .inner
            .previews
            .page(self.db(), &sha256, kind, page)
            .await?;
        if page == 1 {
            // The viewer shows the first page first: the document was opened.
            self.note_open(actor, &node).await;
        }
        Ok(Rendering {
            sha256,
            name: format!("page-{page}"),
            content_type: "image/jpeg".to_owned(),
            source: self.source(key),
        })
    }

    /// The content's done thumbnail job, or 404.
    async fn made(&self, node: &node::Model) -> Result<(String, Made), ServiceError> {
        let sha256 = node
            .sha256
            .clone()
            .filter(|_| !node.is_folder())
            .ok_or(AppError::NotFound)?;
        let job = queue::find(self.db(), THUMBNAIL, vec![sha256.clone()]).await?;
        let made = job
            .first()
            .and_then(status::made)
            .ok_or(AppError::NotFound)?;
        Ok((sha256, made))
    }
}
