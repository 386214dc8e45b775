//! Relative paths of folder uploads (`Photos/2026/a.jpg`): each folder on the way is found,
//! or made, below the folder the upload goes into.

use app::AppError;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::{activity::Author, name::validate_name, tree};
use crate::{entities::node, error::ServiceError};

/// The most folders one relative path may go down.
const MAX_DEPTH: usize = 64;

/// The folder names of a relative path, each validated; the last segment (the file's own
/// name) is left out. `None` or an empty path means the folder itself.
pub fn folders_of(relative_path: Option<&str>) -> Result<Vec<String>, AppError> {
    let path = relative_path.unwrap_or_default().trim_matches('/');
    match path.rsplit_once('/') {
        Some((folders, _file)) => validated(folders),
        None => Ok(Vec::new()),
    }
}

/// Every segment of `path` ("Photos/2026"), validated, as folder names.
pub fn folder_path(path: &str) -> Result<Vec<String>, AppError> {
    let path = path.trim_matches('/');
    if path.is_empty() {
        return Ok(Vec::new());
    }
    validated(path)
}

fn validated(path: &str) -> Result<Vec<String>, AppError> {
    let segments: Vec<&str> = path.split('/').collect();
    if segments.len() > MAX_DEPTH {
        return Err(AppError::validation(
            "relative_path",
            format!("A relative path may go at most {MAX_DEPTH} folders deep."),
        ));
    }
    segments
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

/// A name asked about, what has that name in the folder, and a name nothing there has.
pub struct Clash {
    pub asked: String,
    pub existing: node::Model,
    pub free_name: String,
}

/// The items of `parent` that have one of `names`.
pub async fn clashes(
    db: &DatabaseConnection,
    parent: &node::Model,
    names: &[String],
) -> Result<Vec<Clash>, ServiceError> {
    let mut found = Vec::new();
    for asked in names {
        // A name that is not valid clashes with nothing: its upload explains why it fails.
        let Ok(name) = validate_name(asked) else {
            continue;
        };
        if let Some(existing) = find_child(db, parent, &name).await? {
            let free_name = super::trash::free_name(db, parent.id, &name).await?;
            found.push(Clash {
                asked: asked.clone(),
                existing,
                free_name,
            });
        }
    }
    Ok(found)
}

/// The folder at `names` below `parent`, with any missing folder made on the way (also when
/// several uploads of one folder race to make it).
pub async fn ensure_folders(
    db: &DatabaseConnection,
    actor: Author,
    parent: node::Model,
    names: &[String],
) -> Result<node::Model, ServiceError> {
    let mut here = parent;
    for name in names {
        here = match actor {
            Author::User(_) => folder_named(db, actor, &here, name).await?,
            Author::Link(_) => free_folder(db, actor, &here, name).await?,
        };
    }
    Ok(here)
}

/// The folder `name` in `here`, made if missing; a file of that name in the way is an error.
async fn folder_named(
    db: &DatabaseConnection,
    actor: Author,
    here: &node::Model,
    name: &str,
) -> Result<node::Model, ServiceError> {
    let found = match find_child(db, here, name).await? {
        Some(existing) => existing,
        None => match tree::create_folder(db, actor, here, name.to_owned()).await {
            Ok(made) => made,
            Err(ServiceError::User(AppError::Conflict { .. })) => find_child(db, here, name)
                .await?
                .ok_or(AppError::Internal)?,
            Err(e) => return Err(e),
        },
    };
    if !found.is_folder() {
        return Err(AppError::conflict(
            "relative_path",
            format!("A file named “{name}” is where the folder should go."),
        )
        .into());
    }
    Ok(found)
}

/// For a link (which must learn nothing of what is there): the first of "name", "name (1)"…
/// that is a folder or is free, made if free. The same path always leads to the same folder.
async fn free_folder(
    db: &DatabaseConnection,
    actor: Author,
    here: &node::Model,
    name: &str,
) -> Result<node::Model, ServiceError> {
    for n in 0..100 {
        let candidate = super::name::numbered(name, n);
        if candidate.len() > super::name::MAX_NAME_BYTES {
            break;
        }
        match find_child(db, here, &candidate).await? {
            Some(folder) if folder.is_folder() => return Ok(folder),
            Some(_) => continue,
            None => match tree::create_folder(db, actor, here, candidate.clone()).await {
                Ok(made) => return Ok(made),
                Err(ServiceError::User(AppError::Conflict { .. })) => {
                    if let Some(folder) = find_child(db, here, &candidate).await? {
                        if folder.is_folder() {
                            return Ok(folder);
                        }
                    }
                }
                Err(e) => return Err(e),
            },
        }
    }
    Err(AppError::conflict(
        "relative_path",
        "This folder could not be made here; upload it under another name.",
    )
    .into())
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

/// The live child of `parent` named exactly `name` (names are case-sensitive).
pub async fn child_named(
    db: &sea_orm::DatabaseConnection,
    parent: uuid::Uuid,
    name: &str,
) -> Result<Option<node::Model>, ServiceError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    Ok(node::Entity::find()
        .filter(node::Column::ParentId.eq(parent))
        .filter(node::Column::Name.eq(name))
        .filter(node::Column::TrashedAt.is_null())
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
        assert_eq!(folder_path("a/b/").unwrap(), vec!["a", "b"]);
        assert!(folder_path("a/\u{0}").is_err());
    }
}
