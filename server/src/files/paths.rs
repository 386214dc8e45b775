//! Relative paths of folder uploads (`Photos/2026/a.jpg`): each folder on the way is found,
//! or made, below the folder the upload goes into.

use app::AppError;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{name::validate_name, tree};
use crate::{entities::node, error::ServiceError};

/// The most folders one relative path may go down.
const MAX_DEPTH: usize = 64;

/// The folder names of a relative path, each validated; the last segment (the file's own
/// name) is left out. `None` or an empty path means the folder itself.
pub fn folders_of(relative_path: Option<&str>) -> Result<Vec<String>, AppError> {
    let Some(path) = relative_path
        .map(|p| p.trim_matches('/'))
        .filter(|p| !p.is_empty())
    else {
        return Ok(Vec::new());
    };
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > MAX_DEPTH + 1 {
        return Err(AppError::validation(
            "relative_path",
            format!("A relative path may go at most {MAX_DEPTH} folders deep."),
        ));
    }
    segments[..segments.len() - 1]
        .iter()
        .map(|segment| {
            validate_name(segment).map_err(|e| match e {
                AppError::Validation { message, .. } => AppError::validation(
                    "relative_path",
                    format!("“{segment}” in the relative path: {message}"),
                ),
                other => other,
            })
        })
        .collect()
}

/// The folder at `names` below `parent`, with any missing folder made on the way (also when
/// several uploads of one folder race to make it).
pub async fn ensure_folders(
    db: &DatabaseConnection,
    actor: uuid::Uuid,
    parent: node::Model,
    names: &[String],
) -> Result<node::Model, ServiceError> {
    let mut here = parent;
    for name in names {
        here = match find_child(db, &here, name).await? {
            Some(existing) => existing,
            None => match tree::create_folder(db, actor, &here, name.clone()).await {
                Ok(made) => made,
                Err(ServiceError::User(AppError::Conflict { .. })) => find_child(db, &here, name)
                    .await?
                    .ok_or(AppError::Internal)?,
                Err(e) => return Err(e),
            },
        };
        if !here.is_folder() {
            return Err(AppError::conflict(
                "relative_path",
                format!("A file named “{name}” is where the folder should go."),
            )
            .into());
        }
    }
    Ok(here)
}

async fn find_child(
    db: &DatabaseConnection,
    parent: &node::Model,
    name: &str,
) -> Result<Option<node::Model>, ServiceError> {
    Ok(node::Entity::find()
        .filter(node::Column::ParentId.eq(parent.id))
        .filter(node::Column::TrashedAt.is_null())
        .filter(node::Column::Name.eq(name))
        .one(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_name_the_folders_on_the_way() {
        assert!(folders_of(None).unwrap().is_empty());
        assert!(folders_of(Some("a.txt")).unwrap().is_empty());
        assert_eq!(
            folders_of(Some("Photos/2026/a.jpg")).unwrap(),
            vec!["Photos", "2026"]
        );
        assert_eq!(folders_of(Some("/x/y.txt/")).unwrap(), vec!["x"]);
        assert!(folders_of(Some("a/../b.txt")).is_err());
        assert!(folders_of(Some("a//b.txt")).is_err());
        assert!(folders_of(Some(&"d/".repeat(70))).is_err());
    }
}
