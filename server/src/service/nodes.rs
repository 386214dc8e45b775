//! Folders and files: look at them, list them, make, rename, move and copy them.

use app::AppError;
use sea_orm::Order;
use uuid::Uuid;

use super::Service;
use crate::{
    entities::node,
    error::ServiceError,
    files::{
        copy, moving,
        name::validate_name,
        page::{self, Sort},
        paths::{self, Clash},
        tree,
    },
    identity::users,
    policy::{Actor, Need},
    sharing::{grants, roles},
};

/// One page of a folder's contents.
pub struct Listing {
    pub folder: node::Model,
    pub rows: Vec<node::Model>,
    pub more: bool,
}

/// A page of a folder as the drive shows it: with the way to it and what is shared.
pub struct FolderListing {
    pub listing: Listing,
    /// From the top-most folder the actor may see down to this one.
    pub path: Vec<(Uuid, String)>,
    /// The owner's name, when the folder is someone else's.
    pub shared_by: Option<String>,
    /// The ids among `rows` that are shared with someone.
    pub shared: std::collections::HashSet<Uuid>,
    /// The ids among `rows` the actor starred.
    pub starred: std::collections::HashSet<Uuid>,
    /// The thumbnails' states of `rows`, by id.
    pub thumbs: std::collections::HashMap<Uuid, app::dto::Thumb>,
}

impl Service {
    /// The actor's own root folder.
    pub async fn root(&self, actor: &Actor) -> Result<node::Model, ServiceError> {
        if actor.link_scope().is_some() {
            return Err(AppError::NotFound.into());
        }
        tree::root_of(self.db(), actor.user_id).await
    }

    /// The folder `node` lives in, when the actor may open it (for a link to it from a list
    /// away from the folder: Starred, Recent, search).
    pub async fn readable_parent(&self, actor: &Actor, node: &node::Model) -> Option<Uuid> {
        let parent = node.parent_id?;
        if node.owner_id == actor.user_id && actor.link_scope().is_none() {
            // One's own live item is in one's own live folder: nothing to ask.
            return Some(parent);
        }
        self.node(actor, parent, Need::Read)
            .await
            .ok()
            .map(|p| p.id)
    }

    /// One page of the folder `id` (the actor's root folder when None), folders first.
    pub async fn children(
        &self,
        actor: &Actor,
        id: Option<Uuid>,
        sort: Sort,
        order: Order,
        limit: u64,
        offset: u64,
    ) -> Result<Listing, ServiceError> {
        let folder = match id {
            Some(id) => self.node(actor, id, Need::Read).await?,
            None => self.root(actor).await?,
        };
        if !folder.is_folder() {
            return Err(AppError::validation("id", "Only folders have contents.").into());
        }
        let (rows, more) = page::children(self.db(), folder.id, sort, order, limit, offset).await?;
        Ok(Listing { folder, rows, more })
    }

    /// The same page, with what the drive shows around it.
    pub async fn folder_listing(
        &self,
        actor: &Actor,
        id: Option<Uuid>,
        sort: Sort,
        order: Order,
        limit: u64,
        offset: u64,
    ) -> Result<FolderListing, ServiceError> {
        let listing = self.children(actor, id, sort, order, limit, offset).await?;
        let folder = &listing.folder;
        let mut path = tree::path_to(self.db(), folder.id).await?;
        let shared_by = if folder.owner_id == actor.user_id {
            None
        } else {
            // From the top-most folder shared with them: the owner's folders above stay hidden.
            let granted: Vec<Uuid> = roles::grants_above(self.db(), actor.user_id, folder.id)
                .await?
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            let top = path
                .iter()
                .position(|(id, _)| granted.contains(id))
                .unwrap_or(path.len().saturating_sub(1));
            path.drain(..top);
            let owner = users::by_id(self.db(), folder.owner_id).await?;
            Some(owner.map_or_else(|| "someone".to_owned(), |o| o.name))
        };
        let ids: Vec<Uuid> = listing.rows.iter().map(|n| n.id).collect();
        let shared = grants::shared_among(self.db(), &ids).await?;
        let starred = self.starred_among(actor, &ids).await?;
        let thumbs = crate::previews::status::thumbs(self.db(), &listing.rows).await?;
        Ok(FolderListing {
            listing,
            path,
            shared_by,
            shared,
            starred,
            thumbs,
        })
    }

    /// A new folder `name` in `parent`.
    pub async fn create_folder(
        &self,
        actor: &Actor,
        parent: Uuid,
        name: &str,
    ) -> Result<node::Model, ServiceError> {
        let name = validate_name(name)?;
        let parent = self.node(actor, parent, Need::Write).await?;
        tree::create_folder(self.db(), actor.author(), &parent, name).await
    }

    /// The folder at `path` ("a/b/c") below `parent`, made where missing.
    pub async fn make_folders(
        &self,
        actor: &Actor,
        parent: Uuid,
        path: &str,
    ) -> Result<node::Model, ServiceError> {
        let parent = self.node(actor, parent, Need::Write).await?;
        if !parent.is_folder() {
            return Err(AppError::NotFound.into());
        }
        let names = paths::folder_path(path)?;
        paths::ensure_folders(self.db(), actor.author(), parent, &names).await
    }

    /// Renames `id` and/or moves it into `parent` (moves into or out of a share need manager
    /// rights at both ends: the policy's rule, asked in `files::moving`).
    pub async fn rename_or_move(
        &self,
        actor: &Actor,
        id: Uuid,
        name: Option<&str>,
        parent: Option<Uuid>,
    ) -> Result<node::Model, ServiceError> {
        let name = name.map(validate_name).transpose()?;
        moving::rename_or_move(self.db(), actor, id, name, parent).await
    }

    /// Copies `id` into `dest` (its own folder when None) as `name` (its own name, made free
    /// when taken).
    pub async fn copy(
        &self,
        actor: &Actor,
        id: Uuid,
        dest: Option<Uuid>,
        name: Option<&str>,
    ) -> Result<node::Model, ServiceError> {
        let item = self.node(actor, id, Need::Read).await?;
        let name = name.map(validate_name).transpose()?;
        let dest = dest.or(item.parent_id).ok_or(AppError::NotFound)?;
        let dest = self.node(actor, dest, Need::Write).await?;
        copy::copy(self.db(), actor.user_id, &item, &dest, name).await
    }

    /// The items of folder `parent` that have one of `names`, each with a free name.
    pub async fn clashes(
        &self,
        actor: &Actor,
        parent: Uuid,
        names: &[String],
    ) -> Result<Vec<Clash>, ServiceError> {
        if names.len() > 1000 {
            return Err(
                AppError::validation("names", "Ask about at most 1000 names at once.").into(),
            );
        }
        let parent = self.node(actor, parent, Need::Write).await?;
        paths::clashes(self.db(), &parent, names).await
    }
}
