//! A public link's holder, who has no account: the link is opened by its token, checked
//! (revoked, expired, used up, its owner disabled: 410), past its password if it has one,
//! and then acts as itself through every other method of the service, as an [`Actor`] whose
//! reach the policy keeps to the linked item and what lies below it.

use std::{collections::HashMap, net::IpAddr};

use app::dto::{LinkRole, Thumb};
use sea_orm::Order;

use axum::response::Response;
use uuid::Uuid;

use super::Service;
use crate::{
    entities::node,
    error::ServiceError,
    files::{
        page::{self, Sort},
        tree,
    },
    identity::users,
    policy::{Actor, Need},
    sharing::{links::Opened, metering},
};

/// The most entries a link's folder page lists (the zip has them all).
const SHOWN: u64 = 1000;

/// What a link's page shows: the item (a folder's first entries), the way to it from the
/// linked item, the owner's name; a drop box shows its folder's name and nothing inside.
pub struct LinkView {
    pub item: node::Model,
    pub rows: Vec<node::Model>,
    pub path: Vec<(Uuid, String)>,
    pub thumbs: HashMap<Uuid, Thumb>,
    pub owner_name: Option<String>,
}

impl Service {
    /// The link of `token`, if it works (404 for none, 410 for one that no longer works).
    pub async fn open_link(&self, token: &str) -> Result<Opened, ServiceError> {
        self.inner.links.open(token).await
    }

    /// The link as an actor, once its holder is past its password (`unlocked`: they gave it).
    pub fn link_actor(&self, opened: &Opened, unlocked: bool) -> Result<Actor, ServiceError> {
        self.inner.links.actor(opened, unlocked)
    }

    /// The linked item (`id` None) or one below a linked folder, for `need`.
    pub async fn link_item(
        &self,
        opened: &Opened,
        id: Option<Uuid>,
        need: Need,
        unlocked: bool,
    ) -> Result<node::Model, ServiceError> {
        self.inner.links.item(opened, id, need, unlocked).await
    }

    /// Checks the link's password (a limited number of tries per address).
    pub async fn unlock_link(
        &self,
        opened: &Opened,
        password: String,
        ip: Option<IpAddr>,
    ) -> Result<(), ServiceError> {
        self.inner.links.unlock(&opened.link, password, ip).await
    }

    /// Charges the link's download limit for `response` (content `whole` bytes long) before
    /// it goes out, counting what is really sent; 410 when the limit would be passed.
    pub async fn meter_download(
        &self,
        opened: &Opened,
        response: Response,
        whole: u64,
    ) -> Result<Response, ServiceError> {
        metering::charge(&self.inner.links, opened.link.id, response, whole).await
    }

    /// What the link's page shows of `folder` (the linked item when None).
    pub async fn link_view(
        &self,
        opened: &Opened,
        folder: Option<Uuid>,
        unlocked: bool,
    ) -> Result<LinkView, ServiceError> {
        let owner_name = users::by_id(self.db(), opened.root.owner_id)
            .await?
            .map(|u| u.name);
        if opened.role == LinkRole::Uploader {
            let root = self.link_item(opened, None, Need::Upload, unlocked).await?;
            return Ok(LinkView {
                path: vec![(root.id, root.name.clone())],
                item: root,
                rows: Vec::new(),
                thumbs: HashMap::new(),
                owner_name,
            });
        }
        let item = self.link_item(opened, folder, Need::Read, unlocked).await?;
        let rows = if item.is_folder() {
            page::children(self.db(), item.id, Sort::Name, Order::Asc, SHOWN, 0)
                .await?
                .0
        } else {
            Vec::new()
        };
        let path = tree::path_to(self.db(), item.id).await?;
        let from = path
            .iter()
            .position(|(id, _)| *id == opened.root.id)
            .unwrap_or(0);
        let mut shown = rows.clone();
        shown.push(item.clone());
        let thumbs = crate::previews::status::thumbs(self.db(), &shown).await?;
        Ok(LinkView {
            item,
            rows,
            path: path[from..].to_vec(),
            thumbs,
            owner_name,
        })
    }
}
