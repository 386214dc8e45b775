//! WebDAV dead properties: what clients store on an item with PROPPATCH, kept as the XML
//! content they sent, and returned as it was.

use sea_orm::{
    sea_query::Query, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

use crate::{
    entities::{dav_prop, node},
    error::ServiceError,
};

/// One change of a PROPPATCH: set `value` (XML content) or, when None, remove.
#[derive(Debug, Clone)]
pub struct PropChange {
    pub namespace: String,
    pub name: String,
    pub value: Option<String>,
}

/// The dead properties of `node`.
pub async fn of(db: &DatabaseConnection, node: Uuid) -> Result<Vec<dav_prop::Model>, ServiceError> {
    Ok(dav_prop::Entity::find()
        .filter(dav_prop::Column::NodeId.eq(node))
        .all(db)
        .await?)
}

/// The dead properties of the children of `folder`, in one query.
pub async fn of_children(
    db: &DatabaseConnection,
    folder: Uuid,
) -> Result<Vec<dav_prop::Model>, ServiceError> {
    let children = Query::select()
        .column(node::Column::Id)
        .from(node::Entity)
        .and_where(node::Column::ParentId.eq(folder))
        .to_owned();
    Ok(dav_prop::Entity::find()
        .filter(dav_prop::Column::NodeId.in_subquery(children))
        .all(db)
        .await?)
}

/// Applies `changes` to `node`'s dead properties, all or none.
pub async fn patch(
    db: &DatabaseConnection,
    node: Uuid,
    changes: &[PropChange],
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    for change in changes {
        dav_prop::Entity::delete_many()
            .filter(dav_prop::Column::NodeId.eq(node))
            .filter(dav_prop::Column::Namespace.eq(&change.namespace))
            .filter(dav_prop::Column::Name.eq(&change.name))
            .exec(&txn)
            .await?;
        if let Some(value) = &change.value {
            let row = dav_prop::ActiveModel {
                node_id: Set(node),
                namespace: Set(change.namespace.clone()),
                name: Set(change.name.clone()),
                value: Set(value.clone()),
            };
            dav_prop::Entity::insert(row).exec(&txn).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
