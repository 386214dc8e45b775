//! Uploads by content hash (`Upload-Hash` on a tus creation): a file whose content the
//! uploader can already read somewhere is made at once, without its bytes. Only content they
//! may read counts, so the answer tells them nothing they did not know; anything else is an
//! ordinary upload.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::{Service, Target, Uploader};
use crate::{entities::node, error::ServiceError, files::content, policy::Need};

/// Files with the content looked at, at most, for one the uploader may read.
const CANDIDATES: u64 = 50;

impl Service {
    /// The file made at `target` from content with this SHA-256 (hex, lower case) that the
    /// uploader may read, or `None`: the bytes must be uploaded.
    pub async fn upload_known(
        &self,
        uploader: &Uploader,
        target: &Target,
        sha256: &str,
    ) -> Result<Option<node::Model>, ServiceError> {
        // A link's uploads see nothing but its folder: it always sends the bytes.
        if uploader.account.is_none() || uploader.actor.link_scope().is_some() {
            return Ok(None);
        }
        let Some(blob) = content::find_blob(self.db(), sha256).await? else {
            return Ok(None);
        };
        if blob.size != target.length() {
            return Ok(None);
        }
        // Their own files first (one is enough), then others' that may be shared with them.
        let user = uploader.actor.user_id;
        let mut holders: Vec<node::Model> = Vec::new();
        for own in [true, false] {
            let mut query = node::Entity::find()
                .filter(node::Column::Sha256.eq(sha256))
                .filter(node::Column::TrashedAt.is_null());
            query = match own {
                true => query.filter(node::Column::OwnerId.eq(user)),
                false => query.filter(node::Column::OwnerId.ne(user)),
            };
            holders.extend(query.limit(CANDIDATES).all(self.db()).await?);
        }
        let mut readable = false;
        for holder in holders {
            match self.node(&uploader.actor, holder.id, Need::Read).await {
                Ok(_) => {
                    readable = true;
                    break;
                }
                Err(ServiceError::User(_)) => {}
                Err(e) => return Err(e),
            }
        }
        if !readable {
            return Ok(None);
        }
        let keep = self.keep_versions();
        content::record_known(self.db(), self.blobs(), &target.0, sha256.to_owned(), keep).await
    }
}
