//! A folder's contents one page at a time, folders first, in the order the drive shows them.

use sea_orm::{
    sea_query::Expr, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Order,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::{
    entities::node::{self, FILE, FOLDER},
    error::ServiceError,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    Modified,
    Size,
}

/// One page of a folder's live children, folders first; `limit + 1` rows tell if more follow.
/// Each kind is read on its own, so that either direction of either order is one range of an
/// index (migration 22) rather than a sort of the whole folder.
pub async fn children(
    db: &DatabaseConnection,
    parent: Uuid,
    sort: Sort,
    order: Order,
    limit: u64,
    offset: u64,
) -> Result<(Vec<node::Model>, bool), ServiceError> {
    let mut rows = kind_page(db, parent, FOLDER, sort, &order, limit + 1, offset).await?;
    if rows.len() as u64 <= limit {
        // The page reaches past the folders: how many there are places it among the files.
        let folders = if rows.is_empty() && offset > 0 {
            live_children(parent)
                .filter(node::Column::Kind.eq(FOLDER))
                .count(db)
                .await?
        } else {
            offset + rows.len() as u64
        };
        let wanted = limit + 1 - rows.len() as u64;
        let files = offset.saturating_sub(folders);
        rows.extend(kind_page(db, parent, FILE, sort, &order, wanted, files).await?);
    }
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

fn live_children(parent: Uuid) -> sea_orm::Select<node::Entity> {
    node::Entity::find()
        .filter(node::Column::ParentId.eq(parent))
        .filter(node::Column::TrashedAt.is_null())
}

/// `limit` live children of one kind from `offset`, in the page's order.
async fn kind_page(
    db: &DatabaseConnection,
    parent: Uuid,
    kind: &str,
    sort: Sort,
    order: &Order,
    limit: u64,
    offset: u64,
) -> Result<Vec<node::Model>, ServiceError> {
    let query = live_children(parent).filter(node::Column::Kind.eq(kind));
    let query = match sort {
        // Natural order: numbers by value, case and accents aside (files::natural); names
        // equal in it in plain byte order.
        Sort::Name => {
            let plain = match db.get_database_backend() {
                sea_orm::DatabaseBackend::Postgres => "name COLLATE \"C\"",
                _ => "name",
            };
            let natural = format!("name COLLATE {}", super::natural::COLLATION);
            query
                .order_by(Expr::cust(natural), order.clone())
                .order_by(Expr::cust(plain), order.clone())
        }
        Sort::Modified => query.order_by(node::Column::ModifiedAt, order.clone()),
        Sort::Size => query.order_by(node::Column::Size, order.clone()),
    };
    Ok(query
        .order_by(node::Column::Id, order.clone())
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?)
}
